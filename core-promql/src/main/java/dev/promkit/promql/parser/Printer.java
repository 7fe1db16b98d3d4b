package dev.promkit.promql.parser;

import dev.promkit.tsdb.storage.LabelMatcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prints expressions in Prometheus' canonical single-line form: {@code sum by (job)
 * (rate(x[5m]))}, {@code a + on (b) group_left (c) d}, {@code x{a="b"} @ 100.000 offset 5m}.
 * Parsing the output gives back an equal tree, positions aside.
 */
public final class Printer {
  private static final Pattern LEGACY_METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LEGACY_LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private Printer() {}

  /** The canonical text of an expression. */
  public static String print(Expr e) {
    StringBuilder sb = new StringBuilder();
    write(sb, e);
    return sb.toString();
  }

  /** The canonical text of a duration expression. */
  public static String print(DurationExpr d) {
    StringBuilder sb = new StringBuilder();
    write(sb, d);
    return sb.toString();
  }

  /**
   * Multi-line form for long queries, as Prometheus' {@code Prettify} (used by {@code
   * /api/v1/format_query}): a node whose one-line form exceeds 100 characters is split; an
   * aggregation or call puts its arguments on their own lines, a binary expression its operator
   * between its operands, each nesting level indented by two spaces. Selectors, literals and
   * subqueries stay on one line.
   */
  public static String pretty(Expr e) {
    return pretty(e, 0);
  }

  private static final int MAX_LINE = 100;

  private static String indent(int level) {
    return "  ".repeat(level);
  }

  private static String pretty(Expr e, int level) {
    String flat = print(e);
    boolean split = flat.length() > MAX_LINE;
    if (!split || e instanceof VectorSelector || e instanceof MatrixSelector
        || e instanceof NumberLiteral || e instanceof StringLiteral) {
      if (e instanceof UnaryExpr) {
        UnaryExpr u = (UnaryExpr) e;
        return indent(level) + u.op().text() + print(u.expr());
      }
      return indent(level) + flat;
    }
    if (e instanceof AggregateExpr) {
      AggregateExpr a = (AggregateExpr) e;
      StringBuilder sb = new StringBuilder(indent(level)).append(a.op().text());
      if (a.without()) {
        sb.append(" without (");
        joinLabels(sb, a.grouping());
        sb.append(") ");
      } else if (!a.grouping().isEmpty()) {
        sb.append(" by (");
        joinLabels(sb, a.grouping());
        sb.append(") ");
      }
      sb.append("(\n");
      if (a.param() != null) {
        sb.append(pretty(a.param(), level + 1)).append(",\n");
      }
      return sb.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')')
          .toString();
    }
    if (e instanceof BinaryExpr) {
      BinaryExpr b = (BinaryExpr) e;
      // The operator line is the flat form minus its operands: " op bool on (...) ".
      String lhs = print(b.lhs());
      String rhs = print(b.rhs());
      String op = flat.substring(lhs.length() + 1, flat.length() - rhs.length() - 1);
      return pretty(b.lhs(), level + 1) + "\n" + indent(level) + op + "\n"
          + pretty(b.rhs(), level + 1);
    }
    if (e instanceof Call) {
      Call c = (Call) e;
      StringBuilder sb = new StringBuilder(indent(level)).append(c.function().functionName())
          .append("(\n");
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          sb.append(",\n");
        }
        sb.append(pretty(c.args().get(i), level + 1));
      }
      return sb.append('\n').append(indent(level)).append(')').toString();
    }
    if (e instanceof ParenExpr) {
      return indent(level) + "(\n" + pretty(((ParenExpr) e).expr(), level + 1) + "\n"
          + indent(level) + ")";
    }
    if (e instanceof UnaryExpr) {
      UnaryExpr u = (UnaryExpr) e;
      return indent(level) + u.op().text() + pretty(u.expr(), level).strip();
    }
    if (e instanceof SubqueryExpr) {
      SubqueryExpr sq = (SubqueryExpr) e;
      String inner = print(sq.expr());
      return pretty(sq.expr(), level) + flat.substring(inner.length());
    }
    throw new IllegalArgumentException("unknown expression type " + e.getClass());
  }

  private static void write(StringBuilder sb, Expr e) {
    if (e instanceof NumberLiteral) {
      sb.append(formatPlain(((NumberLiteral) e).value()));
    } else if (e instanceof StringLiteral) {
      sb.append(GoStrings.quote(((StringLiteral) e).value()));
    } else if (e instanceof VectorSelector) {
      VectorSelector vs = (VectorSelector) e;
      writeSelector(sb, vs);
      writeAt(sb, vs.timestampMs(), vs.startOrEnd());
      writeModes(sb, vs);
      writeOffset(sb, vs.offsetMs(), vs.offsetExpr());
    } else if (e instanceof MatrixSelector) {
      MatrixSelector ms = (MatrixSelector) e;
      VectorSelector vs = ms.vectorSelector();
      writeSelector(sb, vs);
      sb.append('[');
      writeDuration(sb, ms.rangeMs(), ms.rangeExpr());
      sb.append(']');
      writeModes(sb, vs);
      writeAt(sb, vs.timestampMs(), vs.startOrEnd());
      writeOffset(sb, vs.offsetMs(), vs.offsetExpr());
    } else if (e instanceof SubqueryExpr) {
      SubqueryExpr sq = (SubqueryExpr) e;
      write(sb, sq.expr());
      sb.append('[');
      writeDuration(sb, sq.rangeMs(), sq.rangeExpr());
      sb.append(':');
      if (sq.stepExpr() != null || sq.stepMs() != 0) {
        writeDuration(sb, sq.stepMs(), sq.stepExpr());
      }
      sb.append(']');
      writeAt(sb, sq.timestampMs(), sq.startOrEnd());
      writeOffset(sb, sq.offsetMs(), sq.offsetExpr());
    } else if (e instanceof ParenExpr) {
      sb.append('(');
      write(sb, ((ParenExpr) e).expr());
      sb.append(')');
    } else if (e instanceof UnaryExpr) {
      UnaryExpr u = (UnaryExpr) e;
      sb.append(u.op().text());
      write(sb, u.expr());
    } else if (e instanceof BinaryExpr) {
      writeBinary(sb, (BinaryExpr) e);
    } else if (e instanceof AggregateExpr) {
      AggregateExpr a = (AggregateExpr) e;
      sb.append(a.op().text());
      if (a.without()) {
        sb.append(" without (");
        joinLabels(sb, a.grouping());
        sb.append(") ");
      } else if (!a.grouping().isEmpty()) {
        sb.append(" by (");
        joinLabels(sb, a.grouping());
        sb.append(") ");
      }
      sb.append('(');
      if (a.param() != null) {
        write(sb, a.param());
        sb.append(", ");
      }
      write(sb, a.expr());
      sb.append(')');
    } else if (e instanceof Call) {
      Call c = (Call) e;
      sb.append(c.function().functionName()).append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        write(sb, c.args().get(i));
      }
      sb.append(')');
    } else {
      throw new IllegalArgumentException("unknown expression type " + e.getClass());
    }
  }

  private static void writeBinary(StringBuilder sb, BinaryExpr b) {
    write(sb, b.lhs());
    sb.append(' ').append(b.op().text());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    VectorMatching vm = b.matching();
    if (vm != null) {
      boolean grouped = vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
          || vm.card() == VectorMatching.Cardinality.ONE_TO_MANY;
      if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
        sb.append(vm.on() ? " on (" : " ignoring (");
        joinLabels(sb, vm.matchingLabels());
        sb.append(')');
      }
      if (grouped) {
        sb.append(vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
            ? " group_left (" : " group_right (");
        joinLabels(sb, vm.include());
        sb.append(')');
      }
      Double l = vm.fillLeft();
      Double r = vm.fillRight();
      if (l != null && r != null && l.equals(r)) {
        sb.append(" fill (").append(formatNumber(l)).append(')');
      } else {
        if (l != null) {
          sb.append(" fill_left (").append(formatNumber(l)).append(')');
        }
        if (r != null) {
          sb.append(" fill_right (").append(formatNumber(r)).append(')');
        }
      }
    }
    sb.append(' ');
    write(sb, b.rhs());
  }

  private static void writeSelector(StringBuilder sb, VectorSelector vs) {
    List<String> parts = new ArrayList<>(vs.matchers().size());
    String name = vs.name();
    boolean legacyName = name.isEmpty() || LEGACY_METRIC.matcher(name).matches();
    if (!legacyName) {
      parts.add(GoStrings.quote(name));
    }
    for (LabelMatcher m : vs.matchers()) {
      if (!name.isEmpty()
          && m.name().equals("__name__")
          && m.type() == LabelMatcher.Type.EQ
          && m.value().equals(name)) {
        continue;
      }
      parts.add(matcherString(m));
    }
    if (legacyName) {
      sb.append(name);
    }
    if (!parts.isEmpty() || name.isEmpty()) {
      java.util.Collections.sort(parts); // Prometheus prints matchers sorted, joined by ","
      sb.append('{').append(String.join(",", parts)).append('}');
    }
  }

  /** A matcher as PromQL text, quoting a label name that is not a legacy name. */
  static String matcherString(LabelMatcher m) {
    return labelName(m.name()) + m.type().op() + GoStrings.quote(m.value());
  }

  private static String labelName(String n) {
    return LEGACY_LABEL.matcher(n).matches() ? n : GoStrings.quote(n);
  }

  private static void joinLabels(StringBuilder sb, List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(labelName(labels.get(i)));
    }
  }

  private static void writeAt(StringBuilder sb, Long ts, AtPreprocessor pre) {
    if (pre != null) {
      sb.append(pre == AtPreprocessor.START ? " @ start()" : " @ end()");
    } else if (ts != null) {
      sb.append(" @ ").append(new BigDecimal(ts).movePointLeft(3).setScale(3).toPlainString());
    }
  }

  private static void writeOffset(StringBuilder sb, long ms, DurationExpr expr) {
    if (expr != null) {
      sb.append(" offset ");
      boolean simple = expr instanceof DurationExpr.Literal
          || expr instanceof DurationExpr.Paren
          || expr instanceof DurationExpr.Step
          || expr instanceof DurationExpr.Range
          || expr instanceof DurationExpr.MinMax
          || (expr instanceof DurationExpr.Unary
              && !(((DurationExpr.Unary) expr).expr() instanceof DurationExpr.Binary));
      if (simple) {
        write(sb, expr);
      } else {
        sb.append('(');
        write(sb, expr);
        sb.append(')');
      }
    } else if (ms > 0) {
      sb.append(" offset ").append(formatDuration(ms));
    } else if (ms < 0) {
      sb.append(" offset -").append(formatDuration(-ms));
    }
  }

  private static void writeModes(StringBuilder sb, VectorSelector vs) {
    if (vs.anchored()) {
      sb.append(" anchored");
    }
    if (vs.smoothed()) {
      sb.append(" smoothed");
    }
  }

  private static void writeDuration(StringBuilder sb, long ms, DurationExpr expr) {
    if (expr != null) {
      write(sb, expr);
    } else {
      sb.append(formatDuration(ms));
    }
  }

  private static void write(StringBuilder sb, DurationExpr d) {
    if (d instanceof DurationExpr.Literal) {
      DurationExpr.Literal l = (DurationExpr.Literal) d;
      double s = l.seconds();
      double ms = s * 1000;
      if (l.unit() && ms == Math.rint(ms) && Math.abs(ms) < 0x1p62) {
        sb.append(formatDuration((long) ms)); // negative: "-5m", read back as the same literal
      } else {
        sb.append(formatPlain(s));
      }
    } else if (d instanceof DurationExpr.Unary) {
      DurationExpr.Unary u = (DurationExpr.Unary) d;
      sb.append(u.op().text());
      write(sb, u.expr());
    } else if (d instanceof DurationExpr.Binary) {
      DurationExpr.Binary b = (DurationExpr.Binary) d;
      write(sb, b.lhs());
      sb.append(' ').append(b.op().text()).append(' ');
      write(sb, b.rhs());
    } else if (d instanceof DurationExpr.Paren) {
      sb.append('(');
      write(sb, ((DurationExpr.Paren) d).expr());
      sb.append(')');
    } else if (d instanceof DurationExpr.Step) {
      sb.append("step()");
    } else if (d instanceof DurationExpr.Range) {
      sb.append("range()");
    } else if (d instanceof DurationExpr.MinMax) {
      DurationExpr.MinMax m = (DurationExpr.MinMax) d;
      sb.append(m.op().text()).append('(');
      write(sb, m.lhs());
      sb.append(", ");
      write(sb, m.rhs());
      sb.append(')');
    } else {
      throw new IllegalArgumentException("unknown duration expression " + d.getClass());
    }
  }

  /**
   * A duration in Prometheus' notation ({@code 1h30m}, {@code 1d}, {@code 500ms}, {@code 0s}).
   * Negative values get a leading minus.
   */
  public static String formatDuration(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    long[] sizes = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000,
        3600L * 1000, 60L * 1000, 1000L, 1L};
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      long n = ms / sizes[i];
      if (n > 0) {
        sb.append(n).append(units[i]);
        ms -= n * sizes[i];
      }
    }
    return sb.toString();
  }

  /**
   * A number as Prometheus prints a number literal: Go's {@code strconv.FormatFloat(v, 'f', -1,
   * 64)}, i.e. the shortest digits that read back exactly, never with an exponent; {@code +Inf},
   * {@code -Inf}, {@code NaN}.
   */
  public static String formatPlain(double v) {
    return dev.promkit.promql.format.GoFloat.formatF(v); // JDK 17 Double.toString is not shortest
  }

  /**
   * A number as Go's {@code %v} prints a float64 (shortest digits, exponent form below 1e-4 or
   * from 1e6, e.g. {@code 1e+06}), with {@code +Inf}, {@code -Inf} and {@code NaN}.
   */
  public static String formatNumber(double v) {
    return dev.promkit.promql.format.GoFloat.formatG(v);
  }

}
