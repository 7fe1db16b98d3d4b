package dev.promkit.client.snapshot;

import java.util.List;

/**
 * A summary family: count, sum and quantiles.
 *
 * @param metadata name, help, unit
 * @param dataPoints one per label set
 */
public record SummarySnapshot(MetricMetadata metadata, List<SummaryDataPoint> dataPoints)
    implements MetricSnapshot {
  /** Copies the list. */
  public SummarySnapshot {
    dataPoints = List.copyOf(dataPoints);
  }

  /**
   * One quantile estimate.
   *
   * @param quantile the rank in [0, 1]
   * @param value the estimated value (NaN when there are no observations in the window)
   */
  public record Quantile(double quantile, double value) {}

  /**
   * One summary.
   *
   * @param labels labels
   * @param count number of observations
   * @param sum sum of observations
   * @param quantiles quantile estimates, ascending by rank
   * @param createdTimestampMillis creation time, 0 when unknown
   * @param scrapeTimestampMillis explicit timestamp, 0 for none
   */
  public record SummaryDataPoint(Labels labels, long count, double sum, List<Quantile> quantiles,
      long createdTimestampMillis, long scrapeTimestampMillis) implements DataPoint {
    /** Copies the quantiles. */
    public SummaryDataPoint {
      quantiles = List.copyOf(quantiles);
    }
  }
}
