package dev.promkit.promql.parser;

import java.util.List;

/**
 * A subquery: {@code expr[10m:1m] offset 5m @ 100}.
 *
 * @param expr the instant-vector expression evaluated at each step
 * @param rangeMs the range in milliseconds (see {@code rangeExpr})
 * @param rangeExpr the range as written when more than a literal, else null
 * @param stepMs the step in milliseconds; 0 means the engine's default step
 * @param stepExpr the step as written when more than a literal, else null
 * @param offsetMs the offset in milliseconds (see {@code offsetExpr})
 * @param offsetExpr the offset as written when more than a literal, else null
 * @param timestampMs the {@code @} time in Unix milliseconds, or null
 * @param startOrEnd {@code @ start()} / {@code @ end()}, or null
 * @param positionRange where it is in the query (including modifiers)
 */
public record SubqueryExpr(
    Expr expr,
    long rangeMs,
    DurationExpr rangeExpr,
    long stepMs,
    DurationExpr stepExpr,
    long offsetMs,
    DurationExpr offsetExpr,
    Long timestampMs,
    AtPreprocessor startOrEnd,
    PositionRange positionRange)
    implements Expr {

  /**
   * The range in milliseconds for a query with the given step and range (end - start).
   *
   * @throws IllegalArgumentException if a duration expression gives no positive duration
   */
  public long rangeMs(long queryStepMs, long queryRangeMs) {
    return rangeExpr == null || rangeExpr.isConstant()
        ? rangeMs : rangeExpr.toMillis(queryStepMs, queryRangeMs, false);
  }

  /**
   * The step in milliseconds for a query with the given step and range; 0 means the engine's
   * default subquery step.
   *
   * @throws IllegalArgumentException if a duration expression gives no positive duration
   */
  public long stepMs(long queryStepMs, long queryRangeMs) {
    return stepExpr == null || stepExpr.isConstant()
        ? stepMs : stepExpr.toMillis(queryStepMs, queryRangeMs, false);
  }

  /**
   * The offset in milliseconds for a query with the given step and range.
   *
   * @throws IllegalArgumentException if the expression gives no valid duration
   */
  public long offsetMs(long queryStepMs, long queryRangeMs) {
    return offsetExpr == null || offsetExpr.isConstant()
        ? offsetMs : offsetExpr.toMillis(queryStepMs, queryRangeMs, true);
  }

  /** Whether an {@code @} modifier (time, start() or end()) is present. */
  public boolean hasAt() {
    return timestampMs != null || startOrEnd != null;
  }

  /** This subquery with another offset. */
  public SubqueryExpr withOffset(long ms, DurationExpr e) {
    return new SubqueryExpr(
        expr, rangeMs, rangeExpr, stepMs, stepExpr, ms, e, timestampMs, startOrEnd, positionRange);
  }

  /** This subquery with another {@code @} modifier. */
  public SubqueryExpr withAt(Long ms, AtPreprocessor preprocessor) {
    return new SubqueryExpr(
        expr, rangeMs, rangeExpr, stepMs, stepExpr, offsetMs, offsetExpr, ms, preprocessor,
        positionRange);
  }

  /** This subquery with another inner expression. */
  public SubqueryExpr withExpr(Expr inner) {
    return new SubqueryExpr(
        inner, rangeMs, rangeExpr, stepMs, stepExpr, offsetMs, offsetExpr, timestampMs, startOrEnd,
        positionRange);
  }

  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public List<Expr> children() {
    return List.of(expr);
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
