package dev.promkit.promql.value;

/**
 * A float point of a series.
 *
 * @param t timestamp (ms)
 * @param f value
 * @param st start (created) timestamp of the sample (ms), 0 when unknown. Only points of range
 *     windows read from storage carry one; computed points (subqueries, instant vectors) have 0.
 */
public record FPoint(long t, double f, long st) {
  /** A point without start timestamp. */
  public FPoint(long t, double f) {
    this(t, f, 0);
  }
}
