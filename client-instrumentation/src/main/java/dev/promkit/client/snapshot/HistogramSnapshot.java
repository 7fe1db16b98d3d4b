package dev.promkit.client.snapshot;

import java.util.Arrays;
import java.util.List;

/**
 * A classic-bucket histogram family. Room for native histograms: a later version adds the
 * native fields to {@link HistogramDataPoint} without changing the classic ones.
 *
 * @param metadata name, help, unit
 * @param dataPoints one per label set
 */
public record HistogramSnapshot(MetricMetadata metadata, List<HistogramDataPoint> dataPoints)
    implements MetricSnapshot {
  /** Copies the list. */
  public HistogramSnapshot {
    dataPoints = List.copyOf(dataPoints);
  }

  /**
   * One histogram. Counts are per bucket (not cumulative); the last upper bound is +Inf, so the
   * counts add up to the total count: a writer that accumulates them can never expose a +Inf
   * bucket different from {@code _count}.
   *
   * @param labels labels
   * @param upperBounds ascending bucket bounds, the last one +Inf
   * @param counts observations per bucket (same length as upperBounds)
   * @param sum sum of observations
   * @param exemplars one exemplar per bucket or null entries; the array may be null
   * @param createdTimestampMillis creation time, 0 when unknown
   * @param scrapeTimestampMillis explicit timestamp, 0 for none
   */
  public record HistogramDataPoint(Labels labels, double[] upperBounds, long[] counts, double sum,
      Exemplar[] exemplars, long createdTimestampMillis, long scrapeTimestampMillis)
      implements DataPoint {
    /** Checks the shape. */
    public HistogramDataPoint {
      if (upperBounds.length != counts.length || upperBounds.length == 0
          || upperBounds[upperBounds.length - 1] != Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("histogram: bounds must end in +Inf and match counts, got "
            + Arrays.toString(upperBounds));
      }
      if (exemplars != null && exemplars.length != counts.length) {
        throw new IllegalArgumentException("histogram: one exemplar slot per bucket");
      }
    }

    /** Total number of observations (sum of all bucket counts). */
    public long count() {
      long c = 0;
      for (long x : counts) {
        c += x;
      }
      return c;
    }
  }
}
