package dev.promkit.client.snapshot;

import java.util.List;

/**
 * An info family: constant 1 with descriptive labels. Exposed as {@code name_info}; in text 0.0.4
 * it is written as a gauge.
 *
 * @param metadata name without {@code _info}, help
 * @param dataPoints one per label set
 */
public record InfoSnapshot(MetricMetadata metadata, List<InfoDataPoint> dataPoints)
    implements MetricSnapshot {
  /** Copies the list. */
  public InfoSnapshot {
    dataPoints = List.copyOf(dataPoints);
  }

  /**
   * One info point.
   *
   * @param labels the descriptive labels
   */
  public record InfoDataPoint(Labels labels) implements DataPoint {}
}
