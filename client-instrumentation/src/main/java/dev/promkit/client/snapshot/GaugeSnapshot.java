package dev.promkit.client.snapshot;

import java.util.List;

/**
 * A gauge family.
 *
 * @param metadata name, help, unit
 * @param dataPoints one per label set
 */
public record GaugeSnapshot(MetricMetadata metadata, List<GaugeDataPoint> dataPoints)
    implements MetricSnapshot {
  /** Copies the list. */
  public GaugeSnapshot {
    dataPoints = List.copyOf(dataPoints);
  }

  /**
   * One gauge value.
   *
   * @param labels labels
   * @param value current value
   * @param exemplar exemplar or null
   * @param scrapeTimestampMillis explicit timestamp, 0 for none
   */
  public record GaugeDataPoint(Labels labels, double value, Exemplar exemplar, long scrapeTimestampMillis)
      implements DataPoint {
    /** A point with only labels and value. */
    public GaugeDataPoint(Labels labels, double value) {
      this(labels, value, null, 0);
    }
  }
}
