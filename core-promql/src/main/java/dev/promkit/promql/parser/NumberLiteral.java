package dev.promkit.promql.parser;

import java.util.List;

/**
 * A number: {@code 1}, {@code 0x1f}, {@code 1e-3}, {@code Inf}, {@code NaN}, or a duration
 * literal in number position ({@code 1m} is 60).
 *
 * @param value the value (a leading unary minus is folded in)
 * @param positionRange where it is in the query
 */
public record NumberLiteral(double value, PositionRange positionRange) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }

  @Override
  public List<Expr> children() {
    return List.of();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
