package dev.promkit.promql.functions;

import java.util.Arrays;

/**
 * Numerical cores of the {@code *_over_time} family over the float samples of one series in a
 * range: values {@code v} (and timestamps {@code t} in ms where needed), {@code n >= 1} samples in
 * timestamp order. Sums use Kahan-Neumaier compensation as Prometheus does.
 */
final class OverTimeFunctions {
  private OverTimeFunctions() {}

  /**
   * {@code avg_over_time}: the compensated direct mean while the running sum stays finite, then
   * (once it would overflow) the incremental mean, as Prometheus 3.x.
   */
  static double avg(double[] v, int n) {
    KahanSum k = new KahanSum();
    k.sum = v[0];
    double count = 1;
    boolean incremental = false;
    double mean = 0;
    for (int i = 1; i < n; i++) {
      count = i + 1;
      if (!incremental) {
        double oldSum = k.sum;
        double oldC = k.c;
        k.add(v[i]);
        if (!Double.isInfinite(k.sum)) {
          continue;
        }
        // Overflow: restart from the mean so far and continue incrementally.
        incremental = true;
        mean = oldSum / (count - 1);
        k.c = oldC / (count - 1);
      }
      double q = (count - 1) / count;
      k.sum = q * mean;
      k.c = q * k.c;
      k.add(v[i] / count);
      mean = k.sum;
    }
    if (incremental) {
      return mean + k.c;
    }
    return k.sum / count + k.c / count;
  }

  /** {@code sum_over_time}: compensated sum; an infinite sum is returned as is. */
  static double sum(double[] v, int n) {
    KahanSum k = new KahanSum();
    for (int i = 0; i < n; i++) {
      k.add(v[i]);
    }
    return Double.isInfinite(k.sum) ? k.sum : k.sum + k.c;
  }

  /** {@code count_over_time}. */
  static double count(int n) {
    return n;
  }

  /** {@code max_over_time}: NaN only when every value is NaN. */
  static double max(double[] v, int n) {
    double m = v[0];
    for (int i = 0; i < n; i++) {
      if (v[i] > m || Double.isNaN(m)) {
        m = v[i];
      }
    }
    return m;
  }

  /** {@code min_over_time}: NaN only when every value is NaN. */
  static double min(double[] v, int n) {
    double m = v[0];
    for (int i = 0; i < n; i++) {
      if (v[i] < m || Double.isNaN(m)) {
        m = v[i];
      }
    }
    return m;
  }

  /** {@code ts_of_max_over_time}: seconds of the last sample holding the maximum. */
  static double tsOfMax(long[] t, double[] v, int n) {
    double m = v[0];
    long ts = t[0];
    for (int i = 0; i < n; i++) {
      if (v[i] >= m || Double.isNaN(m)) {
        m = v[i];
        ts = t[i];
      }
    }
    return ts / 1000.0;
  }

  /** {@code ts_of_min_over_time}: seconds of the last sample holding the minimum. */
  static double tsOfMin(long[] t, double[] v, int n) {
    double m = v[0];
    long ts = t[0];
    for (int i = 0; i < n; i++) {
      if (v[i] <= m || Double.isNaN(m)) {
        m = v[i];
        ts = t[i];
      }
    }
    return ts / 1000.0;
  }

  /** {@code ts_of_first_over_time}. */
  static double tsOfFirst(long[] t) {
    return t[0] / 1000.0;
  }

  /** {@code ts_of_last_over_time}. */
  static double tsOfLast(long[] t, int n) {
    return t[n - 1] / 1000.0;
  }

  /** {@code first_over_time}. */
  static double first(double[] v) {
    return v[0];
  }

  /** {@code last_over_time}. */
  static double last(double[] v, int n) {
    return v[n - 1];
  }

  /** {@code present_over_time}. */
  static double present() {
    return 1;
  }

  /** Population variance with a compensated running mean (Welford), as {@code stdvar_over_time}. */
  static double stdvar(double[] v, int n) {
    KahanSum mean = new KahanSum();
    KahanSum aux = new KahanSum();
    double count = 0;
    for (int i = 0; i < n; i++) {
      double f = v[i];
      count++;
      double delta = f - (mean.sum + mean.c);
      mean.add(delta / count);
      aux.add(delta * (f - (mean.sum + mean.c)));
    }
    return (aux.sum + aux.c) / count;
  }

  /** {@code stddev_over_time}. */
  static double stddev(double[] v, int n) {
    return Math.sqrt(stdvar(v, n));
  }

  /**
   * {@code quantile_over_time}: see {@link #quantile}. Copies the values into {@code scratch}
   * (grown if too small) so the input stays in timestamp order.
   */
  static double quantileOverTime(double q, double[] v, int n, double[] scratch) {
    double[] s = scratch != null && scratch.length >= n ? scratch : new double[n];
    System.arraycopy(v, 0, s, 0, n);
    return quantile(q, s, n);
  }

  /**
   * {@code mad_over_time}: median of absolute deviations from the median; NaN when any value is
   * NaN (the median is undefined then, as in Prometheus 3.14). Works in {@code scratch} (grown if
   * too small).
   */
  static double mad(double[] v, int n, double[] scratch) {
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(v[i])) {
        return Double.NaN;
      }
    }
    double[] s = scratch != null && scratch.length >= n ? scratch : new double[n];
    System.arraycopy(v, 0, s, 0, n);
    double median = quantile(0.5, s, n);
    for (int i = 0; i < n; i++) {
      s[i] = Math.abs(v[i] - median);
    }
    return quantile(0.5, s, n);
  }

  /**
   * Prometheus' {@code quantile}: linear interpolation between the closest ranks ({@code rank =
   * q * (n - 1)}) over values sorted with NaN first. NaN for no values or a NaN {@code q};
   * {@code -Inf} for {@code q < 0}; {@code +Inf} for {@code q > 1}. Sorts {@code values[0, n)}
   * in place.
   */
  static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortNaNFirst(values, n);
    double count = n;
    double rank = q * (count - 1);
    double lowerIndex = Math.max(0, Math.floor(rank));
    double upperIndex = Math.min(count - 1, lowerIndex + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
  }

  /** Sorts ascending with NaNs moved to the front (Go's order for PromQL quantiles). */
  static void sortNaNFirst(double[] values, int n) {
    Arrays.sort(values, 0, n); // Java puts NaNs last
    int nans = 0;
    while (nans < n && Double.isNaN(values[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0 && nans < n) {
      System.arraycopy(values, 0, values, nans, n - nans);
      Arrays.fill(values, 0, nans, Double.NaN);
    }
  }
}
