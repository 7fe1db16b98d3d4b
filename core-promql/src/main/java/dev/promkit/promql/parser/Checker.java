package dev.promkit.promql.parser;

import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.List;

/**
 * Type checks a parsed tree with Prometheus' rules and wording ({@code checkAST}).
 */
final class Checker {
  private final String query;

  Checker(String query) {
    this.query = query;
  }

  private ParseException error(PositionRange r, String msg) {
    return new ParseException(r, query, msg);
  }

  ValueType check(Expr e) {
    if (e instanceof NumberLiteral || e instanceof StringLiteral) {
      return e.type();
    }
    if (e instanceof VectorSelector) {
      checkSelector((VectorSelector) e);
      return ValueType.VECTOR;
    }
    if (e instanceof MatrixSelector) {
      checkSelector(((MatrixSelector) e).vectorSelector());
      return ValueType.MATRIX;
    }
    if (e instanceof SubqueryExpr) {
      SubqueryExpr s = (SubqueryExpr) e;
      ValueType t = check(s.expr());
      if (t != ValueType.VECTOR) {
        throw error(s.positionRange(),
            "subquery is only allowed on instant vector, got " + t.text() + " instead");
      }
      return ValueType.MATRIX;
    }
    if (e instanceof ParenExpr) {
      return check(((ParenExpr) e).expr());
    }
    if (e instanceof UnaryExpr) {
      UnaryExpr u = (UnaryExpr) e;
      ValueType t = check(u.expr());
      if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
        throw error(u.positionRange(), "unary expression only allowed on expressions of type"
            + " scalar or instant vector, got " + GoStrings.quote(t.documentedName()));
      }
      return t;
    }
    if (e instanceof BinaryExpr) {
      return checkBinary((BinaryExpr) e);
    }
    if (e instanceof AggregateExpr) {
      AggregateExpr a = (AggregateExpr) e;
      if (a.param() != null) {
        ValueType want = a.op() == TokenType.COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
        expectType(a.param(), want, "aggregation parameter");
      }
      expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
      return ValueType.VECTOR;
    }
    if (e instanceof Call) {
      return checkCall((Call) e);
    }
    throw new IllegalArgumentException("unknown expression type " + e.getClass());
  }

  private void expectType(Expr e, ValueType want, String context) {
    ValueType t = check(e);
    if (t != want) {
      throw error(e.positionRange(), "expected type " + want.documentedName() + " in " + context
          + ", got " + t.documentedName());
    }
  }

  private ValueType checkCall(Call c) {
    Function f = c.function();
    int n = c.args().size();
    String name = GoStrings.quote(f.functionName());
    if (f.variadic() == 0) {
      if (n != f.argTypes().size()) {
        throw error(c.positionRange(), "expected " + f.argTypes().size()
            + " argument(s) in call to " + name + ", got " + n);
      }
    } else if (n < f.minArgs()) {
      throw error(c.positionRange(), "expected at least " + f.minArgs()
          + " argument(s) in call to " + name + ", got " + n);
    } else if (n > f.maxArgs()) {
      throw error(c.positionRange(), "expected at most " + f.maxArgs()
          + " argument(s) in call to " + name + ", got " + n);
    }
    boolean infoSelector = false;
    if (f == Function.INFO && n > 1) {
      Expr sel = c.args().get(1);
      if (sel.type() != ValueType.VECTOR) {
        throw error(c.positionRange(), "expected type instant vector in call to function " + name
            + ", got " + sel.type().documentedName());
      }
      if (!(sel instanceof VectorSelector)) {
        throw error(sel.positionRange(), "expected label selectors only");
      }
      if (!((VectorSelector) sel).name().isEmpty()) {
        throw error(sel.positionRange(),
            "expected label selectors only, got vector selector instead");
      }
      infoSelector = true; // it only filters info series, so it may match everything
    }
    for (int i = 0; i < n; i++) {
      Expr arg = c.args().get(i);
      if (infoSelector && i == 1) {
        continue;
      }
      expectType(arg, f.argType(i), "call to function " + name);
    }
    return f.returnType();
  }

  private ValueType checkBinary(BinaryExpr b) {
    ValueType lt = check(b.lhs());
    ValueType rt = check(b.rhs());
    TokenType op = b.op();
    if (b.returnBool() && !op.isComparison()) {
      throw error(opRange(b), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR
        && rt == ValueType.SCALAR) {
      throw error(opRange(b), "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching vm = b.matching();
    if (vm != null && vm.on()) {
      for (String l1 : vm.matchingLabels()) {
        if (vm.include().contains(l1)) {
          throw error(opRange(b), "label " + GoStrings.quote(l1)
              + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw error(b.lhs().positionRange(),
          "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw error(b.rhs().positionRange(),
          "binary expression must contain only scalar and instant vector types");
    }
    if (vm != null && op.isSetOperator()
        && vm.card() != VectorMatching.Cardinality.MANY_TO_MANY) {
      throw error(b.positionRange(), "set operations must always be many-to-many");
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(b.positionRange(), "set operator " + GoStrings.quote(op.text())
          + " not allowed in binary scalar expression");
    }
    return lt == ValueType.SCALAR && rt == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
  }

  /** The operator's text range, whitespace trimmed, as Prometheus reports it. */
  private PositionRange opRange(BinaryExpr b) {
    int s = b.lhs().positionRange().end();
    int e = b.rhs().positionRange().start() - 1;
    while (s < query.length() && Character.isWhitespace(query.charAt(s))) {
      s++;
    }
    while (e > s && e < query.length() && Character.isWhitespace(query.charAt(e))) {
      e--;
    }
    return new PositionRange(s, Math.max(s, e));
  }

  private void checkSelector(VectorSelector vs) {
    List<LabelMatcher> ms = vs.matchers();
    if (!vs.name().isEmpty()) {
      for (int i = 0; i < ms.size() - 1; i++) {
        if (ms.get(i).name().equals("__name__")) {
          throw error(vs.positionRange(), "metric name must not be set twice: "
              + GoStrings.quote(vs.name()) + " or " + GoStrings.quote(ms.get(i).value()));
        }
      }
      return;
    }
    for (LabelMatcher m : ms) {
      if (!m.matchesEmpty()) {
        return;
      }
    }
    throw error(vs.positionRange(), "vector selector must contain at least one non-empty matcher");
  }
}
