package dev.promkit.promql.engine;

import dev.promkit.promql.parser.BinaryExpr;
import dev.promkit.promql.parser.TokenType;
import dev.promkit.promql.parser.ValueType;
import dev.promkit.promql.parser.VectorMatching;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Binary operators: arithmetic, comparisons (filter or {@code bool}), set operators, vector matching. */
final class BinaryOps {
  private final Evaluator ev;
  /** Signatures by input Labels: inputs hand the same Labels objects at every step (identity map, bounded). */
  private final Map<Labels, String> sigCache = new IdentityHashMap<>();
  /** Result labels per (left, right) label pair: the same pairs meet at every step. */
  private final Map<LabelPair, Labels> resultCache = new HashMap<>();

  private record LabelPair(Labels left, Labels right) {}

  // Per-step scratch, cleared and reused at every step instead of allocated.
  private final Set<String> sigSet = new HashSet<>();
  private final Map<String, Sample> rightSigs = new LinkedHashMap<>();
  private final Map<String, Set<Labels>> matchedSigs = new HashMap<>();
  /** Last result labels per left-hand Labels (identity), with the right-hand Labels they were made with. */
  private final IdentityHashMap<Labels, Labels[]> lastResult = new IdentityHashMap<>();

  BinaryOps(Evaluator ev) {
    this.ev = ev;
  }

  Matrix eval(BinaryExpr e) {
    ValueType lt = e.lhs().type();
    ValueType rt = e.rhs().type();
    TokenType op = e.op();
    if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      return ev.rangeEval((in, ts) -> {
        Vector out = new Vector(1);
        if (!in[0].isEmpty() && !in[1].isEmpty()) {
          out.add(new Sample(Labels.empty(), ts, scalarBinop(op, in[0].get(0).f(), in[1].get(0).f())));
        }
        return out;
      }, e.lhs(), e.rhs());
    }
    if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
      VectorMatching m = e.matching() != null ? e.matching() : VectorMatching.oneToOne();
      switch (op) {
        case LAND:
          return ev.rangeEval((in, ts) -> and(in[0], in[1], m), e.lhs(), e.rhs());
        case LOR:
          return ev.rangeEval((in, ts) -> or(in[0], in[1], m), e.lhs(), e.rhs());
        case LUNLESS:
          return ev.rangeEval((in, ts) -> unless(in[0], in[1], m), e.lhs(), e.rhs());
        default:
          return ev.rangeEval((in, ts) -> vectorBinop(op, in[0], in[1], m, e.returnBool(), ts), e.lhs(), e.rhs());
      }
    }
    if (lt == ValueType.VECTOR) {
      return ev.rangeEval((in, ts) -> vectorScalarBinop(op, in[0], in[1], false, e.returnBool()), e.lhs(), e.rhs());
    }
    return ev.rangeEval((in, ts) -> vectorScalarBinop(op, in[1], in[0], true, e.returnBool()), e.lhs(), e.rhs());
  }

  // ---------------------------------------------------------------------------------------------

  private String signature(Labels l, VectorMatching m) {
    String s = sigCache.get(l);
    if (s != null) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    if (m.on()) {
      Set<String> names = new TreeSet<>(m.matchingLabels());
      for (String n : names) {
        sb.append(n).append('\u0000').append(l.get(n)).append('\u0001');
      }
    } else {
      Set<String> skip = new HashSet<>(m.matchingLabels());
      skip.add(Labels.METRIC_NAME);
      for (int i = 0; i < l.size(); i++) {
        if (!skip.contains(l.name(i))) {
          sb.append(l.name(i)).append('\u0000').append(l.value(i)).append('\u0001');
        }
      }
    }
    s = sb.toString();
    if (sigCache.size() >= 1 << 16) { // fresh Labels objects at every step: keep the cache bounded
      sigCache.clear();
    }
    sigCache.put(l, s);
    return s;
  }

  private Vector and(Vector lhs, Vector rhs, VectorMatching m) {
    Vector out = new Vector(lhs.size());
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return out;
    }
    Set<String> right = sigSet;
    right.clear();
    for (Sample s : rhs) {
      right.add(signature(s.metric(), m));
    }
    for (Sample s : lhs) {
      if (right.contains(signature(s.metric(), m))) {
        out.add(s);
      }
    }
    return out;
  }

  private Vector or(Vector lhs, Vector rhs, VectorMatching m) {
    Vector out = new Vector(lhs.size() + rhs.size());
    if (lhs.isEmpty() || rhs.isEmpty()) {
      out.addAll(lhs);
      out.addAll(rhs);
      return out;
    }
    Set<String> left = sigSet;
    left.clear();
    for (Sample s : lhs) {
      left.add(signature(s.metric(), m));
      out.add(s);
    }
    for (Sample s : rhs) {
      if (!left.contains(signature(s.metric(), m))) {
        out.add(s);
      }
    }
    return out;
  }

  private Vector unless(Vector lhs, Vector rhs, VectorMatching m) {
    Vector out = new Vector(lhs.size());
    if (lhs.isEmpty() || rhs.isEmpty()) {
      out.addAll(lhs);
      return out;
    }
    Set<String> right = sigSet;
    right.clear();
    for (Sample s : rhs) {
      right.add(signature(s.metric(), m));
    }
    for (Sample s : lhs) {
      if (!right.contains(signature(s.metric(), m))) {
        out.add(s);
      }
    }
    return out;
  }

  /** Labels used to build a filled-in sample: the matching labels of the other side's sample. */
  private static Labels matchLabels(Labels l, VectorMatching m) {
    Set<String> names = new HashSet<>(m.matchingLabels());
    Labels.Builder b = new Labels.Builder();
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      boolean in = names.contains(n);
      if (in == m.on() && (m.on() || !n.equals(Labels.METRIC_NAME))) {
        b.set(n, l.value(i));
      }
    }
    return b.build();
  }

  private Vector vectorBinop(TokenType op, Vector lhs, Vector rhs, VectorMatching m, boolean returnBool, long ts) {
    Vector out = new Vector(Math.max(lhs.size(), rhs.size()));
    Double fillL = m.fillLeft();
    Double fillR = m.fillRight();
    if ((lhs.isEmpty() && rhs.isEmpty()) || ((lhs.isEmpty() || rhs.isEmpty()) && fillL == null && fillR == null)) {
      return out;
    }
    boolean oneToMany = m.card() == VectorMatching.Cardinality.ONE_TO_MANY;
    if (oneToMany) {
      Vector t = lhs;
      lhs = rhs;
      rhs = t;
    }
    Map<String, Sample> rightSigs = this.rightSigs;
    rightSigs.clear();
    for (Sample rs : rhs) {
      String sig = signature(rs.metric(), m);
      Sample dup = rightSigs.get(sig);
      if (dup != null) {
        String oneSide = oneToMany ? "left" : "right";
        // Reported in label order, so that the message is stable.
        Labels a = rs.metric().compareTo(dup.metric()) <= 0 ? rs.metric() : dup.metric();
        Labels b = a == rs.metric() ? dup.metric() : rs.metric();
        throw new PromQLException("found duplicate series for the match group " + matchedLabels(rs.metric(), m)
            + " on the " + oneSide + " hand-side of the operation: [" + a + ", " + b
            + "];many-to-many matching not allowed: matching labels must be unique on one side");
      }
      rightSigs.put(sig, rs);
    }
    Map<String, Set<Labels>> matchedSigs = this.matchedSigs;
    matchedSigs.clear();
    for (Sample ls : lhs) {
      String sig = signature(ls.metric(), m);
      Sample rs = rightSigs.get(sig);
      if (rs == null) {
        if (fillR == null) {
          continue;
        }
        rs = new Sample(matchLabels(ls.metric(), m), ts, fillR);
      }
      doBinop(op, ls, rs, sig, m, returnBool, oneToMany, matchedSigs, out);
    }
    if (fillL != null) {
      for (Map.Entry<String, Sample> en : rightSigs.entrySet()) {
        if (matchedSigs.containsKey(en.getKey())) {
          continue;
        }
        Sample rs = en.getValue();
        Sample ls = new Sample(matchLabels(rs.metric(), m), ts, fillL);
        doBinop(op, ls, rs, en.getKey(), m, returnBool, oneToMany, matchedSigs, out);
      }
    }
    return out;
  }

  private static String matchedLabels(Labels l, VectorMatching m) {
    if (m.on()) {
      Set<String> names = new HashSet<>(m.matchingLabels());
      Labels.Builder b = new Labels.Builder();
      for (int i = 0; i < l.size(); i++) {
        if (names.contains(l.name(i))) {
          b.set(l.name(i), l.value(i));
        }
      }
      return b.build().toString();
    }
    return matchLabels(l, m).toString();
  }

  private void doBinop(TokenType op, Sample ls, Sample rs, String sig, VectorMatching m, boolean returnBool,
      boolean oneToMany, Map<String, Set<Labels>> matchedSigs, Vector out) {
    double fl = ls.f();
    double fr = rs.f();
    if (oneToMany) {
      double t = fl;
      fl = fr;
      fr = t;
    }
    double value;
    boolean keep;
    if (isComparison(op)) {
      value = fl;
      keep = compare(op, fl, fr);
    } else {
      value = arith(op, fl, fr);
      keep = true;
    }
    if (returnBool) {
      value = keep ? 1 : 0;
    }
    Labels metric = resultMetric(ls.metric(), rs.metric(), op, m);
    Set<Labels> inserted = matchedSigs.get(sig);
    if (m.card() == VectorMatching.Cardinality.ONE_TO_ONE) {
      if (inserted != null) {
        throw new PromQLException("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
      }
      matchedSigs.put(sig, Set.of());
    } else {
      if (inserted == null) {
        inserted = new HashSet<>();
        matchedSigs.put(sig, inserted);
      } else if (inserted.contains(metric)) {
        throw new PromQLException("multiple matches for labels: grouping labels must ensure unique matches");
      }
      inserted.add(metric);
    }
    if (!keep && !returnBool) {
      return;
    }
    out.add(new Sample(metric, ls.t(), value, null, returnBool));
  }

  /** Result labels of a (left, right) pair: the same pairs meet at every step, so they are cached. */
  private Labels resultMetric(Labels lhs, Labels rhs, TokenType op, VectorMatching m) {
    Labels[] last = lastResult.get(lhs);
    if (last != null && last[0] == rhs) {
      return last[1];
    }
    Labels r = resultCache.computeIfAbsent(new LabelPair(lhs, rhs), k -> computeResultMetric(k.left(), k.right(), op, m));
    if (lastResult.size() < 1 << 16) {
      lastResult.put(lhs, new Labels[] {rhs, r});
    } else if (last != null) {
      last[0] = rhs;
      last[1] = r;
    }
    return r;
  }

  private static Labels computeResultMetric(Labels lhs, Labels rhs, TokenType op, VectorMatching m) {
    Labels.Builder b = lhs.toBuilder();
    if (changesMetricSchema(op)) {
      b.remove(Labels.METRIC_NAME).remove("__type__").remove("__unit__");
    }
    if (m.card() == VectorMatching.Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Set<String> keep = new HashSet<>(m.matchingLabels());
        for (int i = 0; i < lhs.size(); i++) {
          if (!keep.contains(lhs.name(i))) {
            b.remove(lhs.name(i));
          }
        }
      } else {
        for (String n : m.matchingLabels()) {
          b.remove(n);
        }
      }
    }
    for (String n : m.include()) {
      String v = rhs.get(n);
      if (!v.isEmpty()) {
        b.set(n, v);
      } else {
        b.remove(n);
      }
    }
    return b.build();
  }

  private static Vector vectorScalarBinop(TokenType op, Vector lhs, Vector scalar, boolean swap, boolean returnBool) {
    Vector out = new Vector(lhs.size());
    if (scalar.isEmpty()) {
      return out;
    }
    double sv = scalar.get(0).f();
    for (Sample s : lhs) {
      double lf = s.f();
      double rf = sv;
      if (swap) {
        lf = sv;
        rf = s.f();
      }
      double value;
      boolean keep;
      if (isComparison(op)) {
        keep = compare(op, lf, rf);
        value = swap ? rf : lf;
      } else {
        value = arith(op, lf, rf);
        keep = true;
      }
      if (returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (keep) {
        boolean drop = s.dropName() || changesMetricSchema(op) || returnBool;
        out.add(new Sample(s.metric(), s.t(), value, null, drop));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  static boolean changesMetricSchema(TokenType op) {
    switch (op) {
      case ADD:
      case SUB:
      case MUL:
      case DIV:
      case POW:
      case MOD:
        return true;
      default:
        return isAtan2(op);
    }
  }

  private static boolean isAtan2(TokenType op) {
    return op.name().equals("ATAN2");
  }

  static boolean isComparison(TokenType op) {
    switch (op) {
      case EQLC:
      case NEQ:
      case GTR:
      case LSS:
      case GTE:
      case LTE:
        return true;
      default:
        return false;
    }
  }

  static boolean compare(TokenType op, double l, double r) {
    switch (op) {
      case EQLC: return l == r;
      case NEQ: return l != r;
      case GTR: return l > r;
      case LSS: return l < r;
      case GTE: return l >= r;
      case LTE: return l <= r;
      default: throw new IllegalArgumentException("not a comparison: " + op);
    }
  }

  static double arith(TokenType op, double l, double r) {
    switch (op) {
      case ADD: return l + r;
      case SUB: return l - r;
      case MUL: return l * r;
      case DIV: return l / r;
      case POW: return goPow(l, r);
      case MOD: return l % r; // Java's % on doubles is fmod, as Go's math.Mod
      default:
        if (isAtan2(op)) {
          return Math.atan2(l, r);
        }
        throw new PromQLException("operator \"" + op + "\" not allowed for float operations");
    }
  }

  /** Go's math.Pow where it differs from Java's: 1^y = 1 and (-1)^(±Inf) = 1. */
  static double goPow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  static double scalarBinop(TokenType op, double l, double r) {
    if (isComparison(op)) {
      return compare(op, l, r) ? 1 : 0;
    }
    return arith(op, l, r);
  }
}
