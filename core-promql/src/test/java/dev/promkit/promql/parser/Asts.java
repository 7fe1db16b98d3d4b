package dev.promkit.promql.parser;

import java.util.ArrayList;
import java.util.List;

/** Test helper: the same tree with every position set to {@link PositionRange#NONE}. */
final class Asts {
  private Asts() {}

  static Expr strip(Expr e) {
    PositionRange n = PositionRange.NONE;
    if (e instanceof NumberLiteral) {
      return new NumberLiteral(((NumberLiteral) e).value(), n);
    }
    if (e instanceof StringLiteral) {
      return new StringLiteral(((StringLiteral) e).value(), n);
    }
    if (e instanceof VectorSelector) {
      VectorSelector v = (VectorSelector) e;
      List<dev.promkit.tsdb.storage.LabelMatcher> ms = new ArrayList<>(v.matchers());
      ms.sort(java.util.Comparator.comparing(Object::toString)); // the printer sorts matchers
      return new VectorSelector(v.name(), ms, v.offsetMs(), strip(v.offsetExpr()),
          v.timestampMs(), v.startOrEnd(), v.anchored(), v.smoothed(), n);
    }
    if (e instanceof MatrixSelector) {
      MatrixSelector m = (MatrixSelector) e;
      return new MatrixSelector((VectorSelector) strip(m.vectorSelector()), m.rangeMs(),
          strip(m.rangeExpr()), n);
    }
    if (e instanceof SubqueryExpr) {
      SubqueryExpr s = (SubqueryExpr) e;
      return new SubqueryExpr(strip(s.expr()), s.rangeMs(), strip(s.rangeExpr()), s.stepMs(),
          strip(s.stepExpr()), s.offsetMs(), strip(s.offsetExpr()), s.timestampMs(),
          s.startOrEnd(), n);
    }
    if (e instanceof ParenExpr) {
      return new ParenExpr(strip(((ParenExpr) e).expr()), n);
    }
    if (e instanceof UnaryExpr) {
      UnaryExpr u = (UnaryExpr) e;
      return new UnaryExpr(u.op(), strip(u.expr()), n);
    }
    if (e instanceof BinaryExpr) {
      BinaryExpr b = (BinaryExpr) e;
      return new BinaryExpr(b.op(), strip(b.lhs()), strip(b.rhs()), b.matching(), b.returnBool(),
          n);
    }
    if (e instanceof AggregateExpr) {
      AggregateExpr a = (AggregateExpr) e;
      return new AggregateExpr(a.op(), strip(a.expr()), a.param() == null ? null : strip(a.param()),
          a.grouping(), a.without(), n);
    }
    if (e instanceof Call) {
      Call c = (Call) e;
      List<Expr> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(strip(a));
      }
      return new Call(c.function(), args, n);
    }
    throw new IllegalArgumentException(String.valueOf(e));
  }

  static DurationExpr strip(DurationExpr d) {
    PositionRange n = PositionRange.NONE;
    if (d == null) {
      return null;
    }
    if (d instanceof DurationExpr.Literal) {
      DurationExpr.Literal l = (DurationExpr.Literal) d;
      return new DurationExpr.Literal(l.seconds(), l.unit(), n);
    }
    if (d instanceof DurationExpr.Unary) {
      DurationExpr.Unary u = (DurationExpr.Unary) d;
      return new DurationExpr.Unary(u.op(), strip(u.expr()), n);
    }
    if (d instanceof DurationExpr.Binary) {
      DurationExpr.Binary b = (DurationExpr.Binary) d;
      return new DurationExpr.Binary(b.op(), strip(b.lhs()), strip(b.rhs()), n);
    }
    if (d instanceof DurationExpr.Paren) {
      return new DurationExpr.Paren(strip(((DurationExpr.Paren) d).expr()), n);
    }
    if (d instanceof DurationExpr.Step) {
      return new DurationExpr.Step(n);
    }
    if (d instanceof DurationExpr.Range) {
      return new DurationExpr.Range(n);
    }
    if (d instanceof DurationExpr.MinMax) {
      DurationExpr.MinMax m = (DurationExpr.MinMax) d;
      return new DurationExpr.MinMax(m.op(), strip(m.lhs()), strip(m.rhs()), n);
    }
    throw new IllegalArgumentException(String.valueOf(d));
  }
}
