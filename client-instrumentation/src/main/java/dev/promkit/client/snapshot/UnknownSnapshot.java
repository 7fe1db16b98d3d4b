package dev.promkit.client.snapshot;

import java.util.List;

/**
 * A family of unknown type (Prometheus text {@code untyped}).
 *
 * @param metadata name, help, unit
 * @param dataPoints one per label set
 */
public record UnknownSnapshot(MetricMetadata metadata, List<UnknownDataPoint> dataPoints)
    implements MetricSnapshot {
  /** Copies the list. */
  public UnknownSnapshot {
    dataPoints = List.copyOf(dataPoints);
  }

  /**
   * One value.
   *
   * @param labels labels
   * @param value value
   * @param exemplar exemplar or null
   * @param scrapeTimestampMillis explicit timestamp, 0 for none
   */
  public record UnknownDataPoint(Labels labels, double value, Exemplar exemplar, long scrapeTimestampMillis)
      implements DataPoint {
    /** A point with only labels and value. */
    public UnknownDataPoint(Labels labels, double value) {
      this(labels, value, null, 0);
    }
  }
}
