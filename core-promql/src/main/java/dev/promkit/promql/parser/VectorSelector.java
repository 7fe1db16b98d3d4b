package dev.promkit.promql.parser;

import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.List;

/**
 * An instant vector selector: {@code name{l="v"} offset 5m @ 100 smoothed}.
 *
 * <p>As in Prometheus, when the name is written outside the braces, {@code matchers} ends with the
 * equivalent {@code __name__="name"} matcher, so {@code matchers} alone says what to select. A
 * name written as a quoted string inside the braces ({@code {"my.metric"}}) is only a matcher and
 * leaves {@code name} empty.
 *
 * @param name the metric name written before the braces, or {@code ""}
 * @param matchers all matchers, in source order, the name matcher last
 * @param offsetMs the offset in milliseconds (negative looks ahead); when {@code offsetExpr} is
 *     not null and not constant, the engine evaluates that instead
 * @param offsetExpr the offset as written when it is more than a literal, else null
 * @param timestampMs the {@code @} time in Unix milliseconds, or null
 * @param startOrEnd {@code @ start()} / {@code @ end()}, or null
 * @param anchored the 3.x {@code anchored} modifier
 * @param smoothed the 3.x {@code smoothed} modifier
 * @param positionRange where it is in the query (including modifiers)
 */
public record VectorSelector(
    String name,
    List<LabelMatcher> matchers,
    long offsetMs,
    DurationExpr offsetExpr,
    Long timestampMs,
    AtPreprocessor startOrEnd,
    boolean anchored,
    boolean smoothed,
    PositionRange positionRange)
    implements Expr {

  /** Copies the matcher list. */
  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  /** A plain selector without modifiers. */
  public static VectorSelector of(String name, List<LabelMatcher> matchers, PositionRange pos) {
    return new VectorSelector(name, matchers, 0, null, null, null, false, false, pos);
  }

  /**
   * The offset in milliseconds for a query with the given step and range (end - start), both in
   * milliseconds: {@code offsetExpr} evaluated when it uses {@code step()} or {@code range()}.
   *
   * @throws IllegalArgumentException if the expression does not give a valid duration
   */
  public long offsetMs(long queryStepMs, long queryRangeMs) {
    if (offsetExpr == null || offsetExpr.isConstant()) {
      return offsetMs;
    }
    return offsetExpr.toMillis(queryStepMs, queryRangeMs, true);
  }

  /** Whether an {@code @} modifier (time, start() or end()) is present. */
  public boolean hasAt() {
    return timestampMs != null || startOrEnd != null;
  }

  /** This selector with another offset. */
  public VectorSelector withOffset(long ms, DurationExpr expr) {
    return new VectorSelector(
        name, matchers, ms, expr, timestampMs, startOrEnd, anchored, smoothed, positionRange);
  }

  /** This selector with another {@code @} modifier. */
  public VectorSelector withAt(Long ms, AtPreprocessor preprocessor) {
    return new VectorSelector(
        name, matchers, offsetMs, offsetExpr, ms, preprocessor, anchored, smoothed, positionRange);
  }

  /** This selector with other anchored/smoothed flags. */
  public VectorSelector withModes(boolean anchored, boolean smoothed) {
    return new VectorSelector(
        name, matchers, offsetMs, offsetExpr, timestampMs, startOrEnd, anchored, smoothed,
        positionRange);
  }

  /** This selector with another position. */
  public VectorSelector withPositionRange(PositionRange pos) {
    return new VectorSelector(
        name, matchers, offsetMs, offsetExpr, timestampMs, startOrEnd, anchored, smoothed, pos);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
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
