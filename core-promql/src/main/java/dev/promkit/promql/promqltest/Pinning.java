package dev.promkit.promql.promqltest;

import dev.promkit.promql.parser.AggregateExpr;
import dev.promkit.promql.parser.BinaryExpr;
import dev.promkit.promql.parser.Call;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.parser.MatrixSelector;
import dev.promkit.promql.parser.NumberLiteral;
import dev.promkit.promql.parser.ParenExpr;
import dev.promkit.promql.parser.StringLiteral;
import dev.promkit.promql.parser.SubqueryExpr;
import dev.promkit.promql.parser.UnaryExpr;
import dev.promkit.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * The rewrite of Prometheus' runner for its {@code @} variants: every selector and subquery without
 * an {@code @} gets {@code @ t}; nothing inside a subquery with an {@code @} is touched.
 */
final class Pinning {
  private Pinning() {}

  static Expr pin(Expr e, long t) {
    if (e instanceof VectorSelector) {
      VectorSelector vs = (VectorSelector) e;
      return vs.hasAt() ? vs : vs.withAt(t, null);
    }
    if (e instanceof MatrixSelector) {
      MatrixSelector m = (MatrixSelector) e;
      if (m.vectorSelector().hasAt()) {
        return m;
      }
      return new MatrixSelector(m.vectorSelector().withAt(t, null), m.rangeMs(), m.rangeExpr(), m.positionRange());
    }
    if (e instanceof SubqueryExpr) {
      SubqueryExpr s = (SubqueryExpr) e;
      return s.hasAt() ? s : s.withAt(t, null);
    }
    if (e instanceof ParenExpr) {
      ParenExpr p = (ParenExpr) e;
      return new ParenExpr(pin(p.expr(), t), p.positionRange());
    }
    if (e instanceof UnaryExpr) {
      UnaryExpr u = (UnaryExpr) e;
      return new UnaryExpr(u.op(), pin(u.expr(), t), u.positionRange());
    }
    if (e instanceof BinaryExpr) {
      BinaryExpr b = (BinaryExpr) e;
      return new BinaryExpr(b.op(), pin(b.lhs(), t), pin(b.rhs(), t), b.matching(), b.returnBool(), b.positionRange());
    }
    if (e instanceof AggregateExpr) {
      AggregateExpr a = (AggregateExpr) e;
      return new AggregateExpr(a.op(), pin(a.expr(), t), a.param() == null ? null : pin(a.param(), t), a.grouping(),
          a.without(), a.positionRange());
    }
    if (e instanceof Call) {
      Call c = (Call) e;
      List<Expr> args = new ArrayList<>(c.args().size());
      for (Expr a : c.args()) {
        args.add(pin(a, t));
      }
      return new Call(c.function(), args, c.positionRange());
    }
    if (e instanceof NumberLiteral || e instanceof StringLiteral) {
      return e;
    }
    throw new IllegalArgumentException("unknown expression node " + e.getClass().getSimpleName());
  }
}
