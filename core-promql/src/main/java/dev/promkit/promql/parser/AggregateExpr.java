package dev.promkit.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * An aggregation: {@code sum by (job) (x)}, {@code topk(3, x)}, {@code count_values("v", x)}.
 *
 * @param op the aggregator ({@link TokenType#isAggregator()})
 * @param expr the aggregated instant vector
 * @param param the parameter of {@code topk}, {@code quantile}, {@code count_values}... or null
 * @param grouping the labels of {@code by}/{@code without}, in source order
 * @param without true for {@code without}
 * @param positionRange where it is in the query
 */
public record AggregateExpr(
    TokenType op, Expr expr, Expr param, List<String> grouping, boolean without,
    PositionRange positionRange)
    implements Expr {

  /** Copies the grouping list. */
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public List<Expr> children() {
    List<Expr> out = new ArrayList<>(2);
    if (param != null) {
      out.add(param);
    }
    out.add(expr);
    return out;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
