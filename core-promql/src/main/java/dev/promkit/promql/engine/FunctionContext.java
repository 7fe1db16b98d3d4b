package dev.promkit.promql.engine;

/**
 * What a {@link FunctionImpl} may know about the call it computes, beyond its argument values.
 * Implemented by the evaluator; valid only during the call.
 */
public interface FunctionContext {
  /** The function's name as written in the query. */
  String name();

  /** The evaluation time of this step (ms). */
  long timestamp();

  /**
   * For a function with a range-vector argument: the range of that argument (ms) — the selector's
   * {@code [range]} or the subquery's range. 0 when the function has no range-vector argument.
   */
  long rangeMillis();

  /**
   * For a range-vector argument with an offset: the selector's or subquery's offset (ms, may be
   * negative); the window of this step is {@code (timestamp - offset - range, timestamp - offset]}.
   * With an {@code @} modifier the window ends at the {@code @} time minus the offset instead, see
   * {@link #windowEnd()}.
   */
  long offsetMillis();

  /** End of the range window of this step (ms, inclusive): its start is {@code windowEnd() - rangeMillis()}, exclusive. */
  long windowEnd();

  /**
   * Whether the range-vector argument carries the 3.x {@code anchored} modifier. The matrix passed
   * then holds the points of the widened window {@code (windowEnd - range - lookbackDelta,
   * windowEnd]}, so that the function finds the sample the window is anchored to.
   */
  boolean anchored();

  /**
   * Whether the range-vector argument carries the 3.x {@code smoothed} modifier. The matrix passed
   * then holds the points of {@code (windowEnd - range - lookbackDelta, windowEnd + lookbackDelta]},
   * so that the function can interpolate at both window edges.
   */
  boolean smoothed();

  /** The lookback delta of the query (ms). */
  long lookbackDeltaMillis();

  /** Start of the whole query (ms): the value of {@code start()}. */
  long queryStart();

  /** End of the whole query (ms): the value of {@code end()}. */
  long queryEnd();

  /** Step of the whole query (ms), 0 for an instant query: the value of {@code step()}. */
  long queryStep();

  /**
   * Adds a warning about the argument at index {@code arg} (0-based), or about the whole call when
   * {@code arg} is -1. The message has no "PromQL warning: " prefix and no position.
   */
  void warn(String message, int arg);

  /** Adds an info note, as {@link #warn}. */
  void info(String message, int arg);
}
