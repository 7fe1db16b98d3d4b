package dev.promkit.client.snapshot;

import java.util.List;

/**
 * A counter family. Exposed as {@code name_total} (and {@code name_created} in OpenMetrics).
 *
 * @param metadata name (without {@code _total}), help, unit
 * @param dataPoints one per label set
 */
public record CounterSnapshot(MetricMetadata metadata, List<CounterDataPoint> dataPoints)
    implements MetricSnapshot {
  /** Copies the list. */
  public CounterSnapshot {
    dataPoints = List.copyOf(dataPoints);
  }

  /**
   * One counter value.
   *
   * @param labels labels
   * @param value current total (&gt;= 0)
   * @param exemplar latest exemplar, or null
   * @param createdTimestampMillis when the counter was created or reset, 0 when unknown
   * @param scrapeTimestampMillis explicit timestamp, 0 for none
   */
  public record CounterDataPoint(Labels labels, double value, Exemplar exemplar,
      long createdTimestampMillis, long scrapeTimestampMillis) implements DataPoint {
    /** A point with only labels and value. */
    public CounterDataPoint(Labels labels, double value) {
      this(labels, value, null, 0, 0);
    }
  }
}
