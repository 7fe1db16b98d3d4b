package dev.promkit.promql.functions;

/**
 * Numerical cores of the counter and gauge rate family: {@code rate}, {@code increase},
 * {@code delta} (extrapolated, and their 3.x {@code anchored}/{@code smoothed} variants),
 * {@code irate}, {@code idelta}, {@code deriv}, {@code predict_linear}, {@code resets} and
 * {@code changes}, with Prometheus 3.x semantics.
 *
 * <p>Every core reads samples from caller-owned arrays: timestamps {@code t} in milliseconds and
 * float values {@code v}, {@code n} samples in timestamp order. None allocates. Preconditions
 * that decide whether the function yields an element at all (for example "at least two
 * samples") are stated per method; the caller drops the element when they do not hold.
 */
final class RateFunctions {
  private RateFunctions() {}

  /**
   * Whether {@link #extrapolatedRate} yields an element: two samples, or one counter sample whose
   * start timestamp lies inside the window (the counter is then known to have started from zero
   * there).
   */
  static boolean extrapolatedRateHasResult(long[] t, long[] st, int n, long rangeStart, boolean isCounter) {
    return extrapolatedRateHasResult(t, st, 0, n, rangeStart, isCounter);
  }

  /** {@link #extrapolatedRateHasResult(long[], long[], int, long, boolean)} over samples [from, to). */
  static boolean extrapolatedRateHasResult(long[] t, long[] st, int from, int to, long rangeStart,
      boolean isCounter) {
    int n = to - from;
    return n >= 2 || (n == 1 && startInsideWindow(t, st, from, rangeStart, isCounter));
  }

  private static boolean startInsideWindow(long[] t, long[] st, int first, long rangeStart, boolean isCounter) {
    // rangeStart itself is outside the left-open window.
    return isCounter && st != null && st.length > first && st[first] != 0 && st[first] > rangeStart
        && st[first] < t[first];
  }

  /**
   * {@code rate}/{@code increase}/{@code delta} over a left-open window {@code (rangeStart,
   * rangeEnd]}: the change between the first and last sample, corrected for counter resets when
   * {@code isCounter}, extrapolated towards the window edges.
   *
   * <p>A gap to an edge shorter than 1.1 times the average sample interval is extrapolated all the
   * way; a longer one by half an average interval. A counter is never extrapolated below zero: when
   * the line through the samples reaches zero before the start gap is covered, extrapolation stops
   * there ("duration to zero"). When the first sample's start timestamp lies inside the window, the
   * counter counts from zero at that time instead of being extrapolated to the left.
   *
   * @param st start (created) timestamps per sample, 0 when unknown, or null when there are none;
   *     a start timestamp that moved past the previous sample marks a counter reset
   * @param rangeSeconds the selector's range in seconds (the divisor of a rate)
   * @return the result; requires {@link #extrapolatedRateHasResult}
   */
  static double extrapolatedRate(long[] t, double[] v, long[] st, int n, long rangeStart,
      long rangeEnd, double rangeSeconds, boolean isCounter, boolean isRate) {
    return extrapolatedRate(t, v, st, 0, n, rangeStart, rangeEnd, rangeSeconds, isCounter, isRate, true);
  }

  /**
   * {@link #extrapolatedRate(long[], double[], long[], int, long, long, double, boolean, boolean)}
   * over samples [from, to).
   *
   * @param mayReset false when the caller knows no pair of consecutive samples in [from, to) is a
   *     counter reset: the correction loop is skipped (it would add nothing)
   */
  static double extrapolatedRate(long[] t, double[] v, long[] st, int from, int to, long rangeStart,
      long rangeEnd, double rangeSeconds, boolean isCounter, boolean isRate, boolean mayReset) {
    int n = to - from;
    long firstT = t[from];
    long lastT = t[to - 1];
    double result = v[to - 1] - v[from];
    if (isCounter && mayReset) {
      for (int i = from + 1; i < to; i++) {
        double prev = v[i - 1];
        if (v[i] < prev
            || (st != null && i < st.length && isStartTimestampReset(st[i - 1], t[i - 1], st[i], t[i]))) {
          result += prev;
        }
      }
    }
    double durationToStart = (firstT - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageInterval = n > 1 ? sampledInterval / (n - 1) : 0;
    double threshold = averageInterval * 1.1;
    if (startInsideWindow(t, st, from, rangeStart, isCounter)) {
      durationToStart = 0;
      sampledInterval = (lastT - st[from]) / 1000.0;
      result += v[from];
    } else {
      if (durationToStart >= threshold) {
        durationToStart = averageInterval / 2;
      }
      if (isCounter) {
        double durationToZero = durationToStart;
        if (result > 0 && v[from] >= 0) {
          durationToZero = sampledInterval * (v[from] / result);
        }
        if (durationToZero < durationToStart) {
          durationToStart = durationToZero;
        }
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = averageInterval / 2;
    }
    double factor = sampledInterval != 0
        ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        : 1.0;
    if (isRate) {
      factor /= rangeSeconds;
    }
    return result * factor;
  }

  /**
   * Prometheus' start-timestamp reset rule: a current start timestamp after the previous sample
   * is a reset; one equal to the previous sample's timestamp is a reset only when the previous
   * start timestamp was known and valid (a delta series); 0, or a start at or after the sample
   * itself, is ignored.
   */
  static boolean isStartTimestampReset(long prevSt, long prevT, long curSt, long curT) {
    if (curSt == 0 || curSt >= curT) {
      return false; // unknown, invalid, or OTel's "unknown start" (start == sample time)
    }
    if (curSt < prevT) {
      return false;
    }
    if (curSt > prevT) {
      return true;
    }
    if (prevSt > prevT) {
      return false; // invalid previous start: treat as unknown
    }
    return prevSt != 0 && prevSt != prevT;
  }

  /**
   * Whether some sample's start timestamp lies before the previous sample's timestamp without
   * repeating the previous start (the two samples' intervals overlap: neither cumulative nor delta).
   */
  static boolean startTimestampsOverlap(long[] t, long[] st, int n) {
    for (int i = 1; i < n; i++) {
      if (startTimestampOverlaps(st[i - 1], t[i - 1], st[i])) {
        return true;
      }
    }
    return false;
  }

  /** Prometheus' overlap rule for one pair of consecutive samples. */
  static boolean startTimestampOverlaps(long prevSt, long prevT, long curSt) {
    return curSt != 0 && curSt < prevT && curSt != prevSt;
  }

  /** Index of the last sample at or before {@code rangeStart}, or 0 when none (binary search). */
  static int firstIndexAtOrBefore(long[] t, int n, long rangeStart) {
    return firstIndexAtOrBefore(t, 0, n, rangeStart);
  }

  /** Index in [from, to) of the last sample at or before {@code rangeStart}, or {@code from}. */
  static int firstIndexAtOrBefore(long[] t, int from, int to, long rangeStart) {
    // smallest i in [from, to-1) with t[i] > rangeStart, else to-1; then step back one.
    int lo = from;
    int hi = to - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] > rangeStart) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return Math.max(from, lo - 1);
  }

  private static int lastIndexForSmoothed(long[] t, int n, long rangeEnd) {
    // smallest i in [0, n-1) with t[i] >= rangeEnd, else n-1.
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] >= rangeEnd) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * Whether {@link #extendedRate} yields an element: some sample lies after {@code rangeStart}, and
   * for smoothed also one at or before {@code rangeEnd}.
   * The samples may reach outside the window (the engine hands anchored and smoothed selectors the
   * sample before the window and, for smoothed, the one after it).
   */
  static boolean extendedRateHasResult(long[] t, int n, long rangeStart, long rangeEnd, boolean smoothed) {
    if (n == 0) {
      return false;
    }
    int last = smoothed ? lastIndexForSmoothed(t, n, rangeEnd) : n - 1;
    if (t[last] <= rangeStart) {
      return false; // data only before the window
    }
    // Smoothed with data only after the window: nothing to interpolate from.
    return !smoothed || t[firstIndexAtOrBefore(t, n, rangeStart)] <= rangeEnd;
  }

  /**
   * {@code rate}/{@code increase}/{@code delta} with the 3.x {@code anchored} or {@code smoothed}
   * modifier: no extrapolation. Anchored takes the last sample at or before the window start as the
   * left value; smoothed interpolates linearly to both window edges (a counter that reset between
   * the two neighbours is taken to have restarted from zero).
   *
   * @return the result; requires {@link #extendedRateHasResult}
   */
  static double extendedRate(long[] t, double[] v, int n, long rangeStart, long rangeEnd,
      double rangeSeconds, boolean smoothed, boolean isCounter, boolean isRate) {
    int first = firstIndexAtOrBefore(t, n, rangeStart);
    int last = smoothed ? lastIndexForSmoothed(t, n, rangeEnd) : n - 1;
    double left = smoothed && t[first] < rangeStart
        ? interpolate(t[first], v[first], t[first + 1], v[first + 1], rangeStart, isCounter)
        : v[first];
    double right = smoothed && last > 0 && t[last] > rangeEnd
        ? interpolate(t[last - 1], v[last - 1], t[last], v[last], rangeEnd, isCounter)
        : v[last];
    double result = right - left;
    if (isCounter) {
      // Only samples strictly inside the window need reset correction; the edges were handled above.
      if (t[first] <= rangeStart) {
        first++;
      }
      if (t[last] >= rangeEnd) {
        last--;
      }
      double correction = 0;
      double prev = left;
      for (int i = first; i <= last; i++) {
        if (v[i] < prev) {
          correction += prev;
        }
        prev = v[i];
      }
      if (right < prev) {
        correction += prev;
      }
      result += correction;
    }
    if (isRate) {
      result /= rangeSeconds;
    }
    return result;
  }

  private static double interpolate(long t1, double y1, long t2, double y2, long at, boolean isCounter) {
    if (isCounter && y2 < y1) {
      y1 = 0;
    }
    return y1 + (y2 - y1) * (double) (at - t1) / (double) (t2 - t1);
  }

  /**
   * Whether {@link #instantValue} yields an element: at least two samples with distinct last
   * timestamps.
   */
  static boolean instantValueHasResult(long[] t, int n) {
    return instantValueHasResult(t, 0, n);
  }

  /** {@link #instantValueHasResult(long[], int)} over samples [from, to). */
  static boolean instantValueHasResult(long[] t, int from, int to) {
    return to - from >= 2 && t[to - 1] != t[to - 2];
  }

  /**
   * {@code irate} ({@code isRate}) or {@code idelta}: from the last two samples only. A counter
   * reset (the value dropped, or the start timestamp says so) makes irate use the last value as
   * the increase.
   *
   * @param st start timestamps or null
   * @return the result; requires {@link #instantValueHasResult}
   */
  static double instantValue(long[] t, double[] v, long[] st, int n, boolean isRate) {
    return instantValue(t, v, st, 0, n, isRate);
  }

  /** {@link #instantValue(long[], double[], long[], int, boolean)} over samples [from, to). */
  static double instantValue(long[] t, double[] v, long[] st, int from, int to, boolean isRate) {
    int i1 = to - 1;
    int i0 = to - 2;
    double result = v[i1];
    boolean reset = v[i1] < v[i0]
        || (st != null && i1 < st.length && isStartTimestampReset(st[i0], t[i0], st[i1], t[i1]));
    if (!isRate || !reset) {
      result = v[i1] - v[i0];
    }
    if (isRate) {
      result /= (t[i1] - t[i0]) / 1000.0;
    }
    return result;
  }

  /**
   * Least-squares line through the samples, Kahan-summed, with x measured in seconds from
   * {@code interceptTime}. Writes slope to {@code out[0]} and the intercept (the line's value at
   * {@code interceptTime}) to {@code out[1]}. All-equal values give slope 0 exactly (NaN for an
   * infinite constant).
   */
  static void linearRegression(long[] t, double[] v, int n, long interceptTime, double[] out) {
    KahanSum sumX = new KahanSum();
    KahanSum sumY = new KahanSum();
    KahanSum sumXY = new KahanSum();
    KahanSum sumX2 = new KahanSum();
    double initY = v[0];
    boolean constY = true;
    double count = 0;
    for (int i = 0; i < n; i++) {
      double y = v[i];
      if (constY && i > 0 && y != initY) {
        constY = false;
      }
      count += 1.0;
      double x = (t[i] - interceptTime) / 1e3;
      sumX.add(x);
      sumY.add(y);
      sumXY.add(x * y);
      sumX2.add(x * x);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        out[0] = Double.NaN;
        out[1] = Double.NaN;
      } else {
        out[0] = 0;
        out[1] = initY;
      }
      return;
    }
    double sx = sumX.value();
    double sy = sumY.value();
    double sxy = sumXY.value();
    double sx2 = sumX2.value();
    double covXY = sxy - sx * sy / count;
    double varX = sx2 - sx * sx / count;
    double slope = covXY / varX;
    out[0] = slope;
    out[1] = sy / count - slope * sx / count;
  }

  /**
   * {@code deriv}: per-second slope of the least-squares line. Requires {@code n >= 2}.
   *
   * @param scratch two doubles the caller owns (no allocation per call)
   */
  static double deriv(long[] t, double[] v, int n, double[] scratch) {
    // Intercept near the data keeps x small (Prometheus issue 2674).
    linearRegression(t, v, n, t[0], scratch);
    return scratch[0];
  }

  /**
   * {@code predict_linear}: the least-squares line's value {@code seconds} after the evaluation
   * time {@code evalTime}. Requires {@code n >= 2}.
   *
   * @param scratch two doubles the caller owns
   */
  static double predictLinear(long[] t, double[] v, int n, long evalTime, double seconds, double[] scratch) {
    linearRegression(t, v, n, evalTime, scratch);
    return scratch[0] * seconds + scratch[1];
  }

  /**
   * Index of the first sample {@code resets}/{@code changes} look at: 0, or for an anchored
   * selector the last sample at or before the window start; -1 when an anchored window has no
   * sample after its start (no element).
   */
  static int firstIndexForCounting(long[] t, int n, long rangeStart, boolean anchored) {
    return firstIndexForCounting(t, 0, n, rangeStart, anchored);
  }

  /** {@link #firstIndexForCounting(long[], int, long, boolean)} over samples [from, to). */
  static int firstIndexForCounting(long[] t, int from, int to, long rangeStart, boolean anchored) {
    if (!anchored) {
      return to == from ? -1 : from;
    }
    if (to == from || t[to - 1] <= rangeStart) {
      return -1;
    }
    return firstIndexAtOrBefore(t, from, to, rangeStart);
  }

  /**
   * {@code resets}: how often the counter reset, from sample {@code from} on: its value dropped,
   * or (when start timestamps are given) its start timestamp says it restarted.
   *
   * @param st start timestamps per sample, or null
   */
  static double resets(long[] t, double[] v, long[] st, int from, int n) {
    int resets = 0;
    for (int i = from + 1; i < n; i++) {
      if (v[i] < v[i - 1]
          || (st != null && i < st.length && isStartTimestampReset(st[i - 1], t[i - 1], st[i], t[i]))) {
        resets++;
      }
    }
    return resets;
  }

  /** {@code changes}: how often the value changed (NaN to NaN is no change), from {@code from} on. */
  static double changes(double[] v, int from, int n) {
    int changes = 0;
    for (int i = from + 1; i < n; i++) {
      double cur = v[i];
      double prev = v[i - 1];
      if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
        changes++;
      }
    }
    return changes;
  }
}
