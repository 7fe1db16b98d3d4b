package dev.promkit.promql.parser;

import java.util.List;

/**
 * A range vector selector: {@code x[5m]}. Its offset, {@code @}, {@code anchored} and {@code
 * smoothed} modifiers live on the inner {@link VectorSelector}, as in Prometheus.
 *
 * @param vectorSelector the selector the range applies to
 * @param rangeMs the range in milliseconds; when {@code rangeExpr} is not constant the engine
 *     evaluates that instead
 * @param rangeExpr the range as written when it is more than a literal ({@code [5m+step()]}),
 *     else null
 * @param positionRange where it is in the query (including modifiers)
 */
public record MatrixSelector(
    VectorSelector vectorSelector, long rangeMs, DurationExpr rangeExpr, PositionRange positionRange)
    implements Expr {

  /**
   * The range in milliseconds for a query with the given step and range (end - start), both in
   * milliseconds.
   *
   * @throws IllegalArgumentException if a duration expression evaluates to a non-positive or
   *     invalid duration
   */
  public long rangeMs(long queryStepMs, long queryRangeMs) {
    if (rangeExpr == null || rangeExpr.isConstant()) {
      return rangeMs;
    }
    return rangeExpr.toMillis(queryStepMs, queryRangeMs, false);
  }

  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public List<Expr> children() {
    return List.of(vectorSelector);
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
