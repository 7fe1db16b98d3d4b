package dev.promkit.promql.functions;

import java.util.Arrays;

/**
 * The buckets of one classic histogram at one instant: upper bounds ({@code le}) with cumulative
 * counts, in any order. Computes {@code histogram_quantile} and {@code histogram_fraction} as
 * Prometheus' {@code BucketQuantile}/{@code BucketFraction}, and records whether the counts had
 * to be repaired (the "forced monotonicity" info).
 */
final class ClassicBuckets {
  /** Relative difference between neighbouring counts taken as float noise and silently evened out. */
  static final double SMALL_DELTA_TOLERANCE = 1e-12;

  private double[] upper = new double[8];
  private double[] count = new double[8];
  private int size;

  /** Set by {@link #quantile}: some count had to be raised to its predecessor's. */
  boolean forcedMonotonic;
  /** Set by {@link #quantile}: some count differed from its predecessor by float noise only. */
  boolean fixedPrecision;
  /** Set by {@link #quantile} when forced: lowest and highest upper bound raised, and the largest raise. */
  double minBucket;
  double maxBucket;
  double maxDiff;

  /** Adds a bucket. */
  void add(double upperBound, double cumulativeCount) {
    if (size == upper.length) {
      upper = Arrays.copyOf(upper, size * 2);
      count = Arrays.copyOf(count, size * 2);
    }
    upper[size] = upperBound;
    count[size] = cumulativeCount;
    size++;
  }

  int size() {
    return size;
  }

  /** Removes every bucket (the arrays are kept for reuse). */
  void clear() {
    size = 0;
  }

  /** Sorts by upper bound (insertion sort: bucket lists are short and usually sorted already). */
  private void sort() {
    for (int i = 1; i < size; i++) {
      double u = upper[i];
      double c = count[i];
      int j = i - 1;
      while (j >= 0 && upper[j] > u) {
        upper[j + 1] = upper[j];
        count[j + 1] = count[j];
        j--;
      }
      upper[j + 1] = u;
      count[j + 1] = c;
    }
  }

  /** Merges buckets with equal upper bounds (sorted input), adding their counts. */
  private void coalesce() {
    int w = 0;
    for (int r = 1; r < size; r++) {
      if (upper[r] == upper[w]) {
        count[w] += count[r];
      } else {
        w++;
        upper[w] = upper[r];
        count[w] = count[r];
      }
    }
    size = size == 0 ? 0 : w + 1;
  }

  private void ensureMonotonicAndIgnoreSmallDeltas() {
    double prev = count[0];
    minBucket = Double.POSITIVE_INFINITY;
    maxBucket = Double.NEGATIVE_INFINITY;
    maxDiff = 0;
    for (int i = 1; i < size; i++) {
      double cur = count[i];
      if (cur == prev) {
        continue;
      }
      if (almostEqual(prev, cur, SMALL_DELTA_TOLERANCE)) {
        count[i] = prev; // noise in either direction: keep prev as the reference
        fixedPrecision = true;
        continue;
      }
      if (cur < prev) {
        count[i] = prev; // envelope: a drop is lifted to the running maximum
        forcedMonotonic = true;
        minBucket = Math.min(minBucket, upper[i]);
        maxBucket = Math.max(maxBucket, upper[i]);
        maxDiff = Math.max(maxDiff, prev - cur);
        continue;
      }
      prev = cur;
    }
    if (!forcedMonotonic) {
      minBucket = 0;
      maxBucket = 0;
    }
  }

  /** Prometheus' {@code almost.Equal}: relative comparison, NaN equal to NaN. */
  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
      return diff < epsilon * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  /**
   * The {@code q}-quantile, interpolated linearly within the bucket it falls in. Special cases as
   * Prometheus: NaN for NaN {@code q}; -Inf/+Inf for {@code q} below 0/above 1; NaN when the
   * highest bucket is not {@code +Inf}, when fewer than two buckets remain after merging equal
   * bounds, or when there are no observations. A quantile in the {@code +Inf} bucket yields the
   * second-highest bound; the lowest bucket interpolates from 0 when its bound is positive, and
   * yields its bound otherwise. Reorders and may repair the buckets.
   */
  double quantile(double q) {
    forcedMonotonic = false;
    fixedPrecision = false;
    minBucket = 0;
    maxBucket = 0;
    maxDiff = 0;
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (size == 0) {
      return Double.NaN;
    }
    sort();
    if (upper[size - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    coalesce();
    ensureMonotonicAndIgnoreSmallDeltas();
    if (size < 2) {
      return Double.NaN;
    }
    double observations = count[size - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    // first b in [0, size-1) with count[b] >= rank, else size-1
    int lo = 0;
    int hi = size - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (count[mid] >= rank) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    int b = lo;
    if (b == size - 1) {
      return upper[size - 2];
    }
    if (b == 0 && upper[0] <= 0) {
      return upper[0];
    }
    double bucketStart = 0;
    double bucketEnd = upper[b];
    double c = count[b];
    if (b > 0) {
      bucketStart = upper[b - 1];
      c -= count[b - 1];
      rank -= count[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / c);
  }

  /**
   * Rank of {@code v} inside bucket {@code (lb, ub]}: linear interpolation, except that a bucket
   * of infinite width is not interpolated (its observations sit at its infinite end), so a
   * partial overlap with it contributes nothing.
   */
  private static double rankAt(double v, double lb, double ub, double rank, double inBucket) {
    if (lb == Double.NEGATIVE_INFINITY) {
      return rank + inBucket;
    }
    if (ub == Double.POSITIVE_INFINITY) {
      return rank;
    }
    return rank + inBucket * (v - lb) / (ub - lb);
  }

  /**
   * The fraction of observations between {@code lower} and {@code upper}, interpolating linearly
   * within buckets; the lowest bucket starts at 0 when its bound is not negative (at -Inf
   * otherwise); buckets of infinite width are not interpolated. NaN without a {@code +Inf} bucket,
   * without observations, or for a NaN bound; 0 when {@code lower >= upper}.
   */
  double fraction(double lower, double upperLimit) {
    if (size == 0) {
      return Double.NaN;
    }
    sort();
    if (upper[size - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    coalesce();
    double total = count[size - 1];
    if (total == 0 || Double.isNaN(lower) || Double.isNaN(upperLimit)) {
      return Double.NaN;
    }
    if (lower >= upperLimit) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int i = 0; i < size; i++) {
      double lb = i == 0 ? (upper[0] >= 0 ? 0 : Double.NEGATIVE_INFINITY) : upper[i - 1];
      double ub = upper[i];
      double inBucket = count[i] - rank;
      if (!lowerSet && lb >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lb >= upperLimit) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lb < lower && ub > lower) {
        lowerRank = rankAt(lower, lb, ub, rank, inBucket);
        lowerSet = true;
      }
      if (!upperSet && lb < upperLimit && ub > upperLimit) {
        upperRank = rankAt(upperLimit, lb, ub, rank, inBucket);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = count[i];
    }
    if (!lowerSet || lowerRank > total) {
      lowerRank = total;
    }
    if (!upperSet || upperRank > total) {
      upperRank = total;
    }
    return (upperRank - lowerRank) / total;
  }
}
