package dev.promkit.client.snapshot;

import java.util.List;

/**
 * A state set (OpenMetrics {@code stateset}): one boolean per state; in text 0.0.4 a gauge with
 * the family name as the state label.
 *
 * @param metadata name, help
 * @param dataPoints one per label set
 */
public record StateSetSnapshot(MetricMetadata metadata, List<StateSetDataPoint> dataPoints)
    implements MetricSnapshot {
  /** Copies the list. */
  public StateSetSnapshot {
    dataPoints = List.copyOf(dataPoints);
  }

  /**
   * One state set.
   *
   * @param labels labels
   * @param states state names
   * @param enabled whether each state is on
   */
  public record StateSetDataPoint(Labels labels, List<String> states, List<Boolean> enabled)
      implements DataPoint {}
}
