package dev.promkit.client.exposition;

/** The family types of the text formats ({@code untyped} in text 0.0.4 is {@link #UNKNOWN}). */
public enum MetricType {
  /** counter */
  COUNTER,
  /** gauge */
  GAUGE,
  /** histogram */
  HISTOGRAM,
  /** gaugehistogram (OpenMetrics only) */
  GAUGE_HISTOGRAM,
  /** summary */
  SUMMARY,
  /** info (OpenMetrics only) */
  INFO,
  /** stateset (OpenMetrics only) */
  STATESET,
  /** unknown / untyped */
  UNKNOWN
}
