package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateFunctionsTest {
  private static final double EPS = 1e-12;

  private static long[] secs(long... s) {
    long[] t = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      t[i] = s[i] * 1000;
    }
    return t;
  }

  @Test
  void rateExtrapolatesToWindowEdgesWhenGapIsBelowOnePointOneIntervals() {
    long[] t = secs(10, 20, 30, 40, 50, 60);
    double[] v = {10, 20, 30, 40, 50, 60};
    // Window (0s, 60s]: the 10s gap at the start is extrapolated in full, 60 over 60s.
    assertEquals(1.0, RateFunctions.extrapolatedRate(t, v, null, 6, 0, 60_000, 60, true, true), EPS);
    assertEquals(60.0, RateFunctions.extrapolatedRate(t, v, null, 6, 0, 60_000, 60, true, false), EPS);
  }

  @Test
  void counterExtrapolationStopsAtZero() {
    long[] t = secs(10, 20, 30, 40, 50, 60);
    double[] v = {1, 11, 21, 31, 41, 51};
    // The line reaches 0 one second before the first sample: extrapolate 1s, not 10s.
    assertEquals(51.0, RateFunctions.extrapolatedRate(t, v, null, 6, 0, 60_000, 60, true, false), EPS);
    // A gauge (delta) has no such floor.
    assertEquals(60.0, RateFunctions.extrapolatedRate(t, v, null, 6, 0, 60_000, 60, false, false), EPS);
  }

  @Test
  void longGapExtrapolatesOnlyHalfAnInterval() {
    long[] t = secs(30, 40, 50, 60);
    double[] v = {10, 20, 30, 40};
    // 30s gap >= 1.1 * 10s: assume the series starts 5s before its first sample.
    assertEquals(35.0, RateFunctions.extrapolatedRate(t, v, null, 4, 0, 60_000, 60, false, false), EPS);
  }

  @Test
  void counterResetAddsTheValueBeforeTheDrop() {
    long[] t = secs(10, 20, 30, 40);
    double[] v = {10, 20, 5, 15};
    // raw increase 5 + 20 lost at the reset = 25, extrapolated by 40/30.
    assertEquals(25.0 * 40 / 30, RateFunctions.extrapolatedRate(t, v, null, 4, 0, 40_000, 40, true, false), EPS);
    // delta ignores resets: 5 * 40/30
    assertEquals(5.0 * 40 / 30, RateFunctions.extrapolatedRate(t, v, null, 4, 0, 40_000, 40, false, false), EPS);
  }

  @Test
  void startTimestampMarksResetEvenWhenValueRises() {
    long[] t = secs(10, 20, 30, 40);
    double[] v = {10, 20, 25, 35};
    long[] st = {0, 0, 25_000, 25_000}; // restarted at 25s, after the sample at 20s
    double withSt = RateFunctions.extrapolatedRate(t, v, st, 4, 0, 40_000, 40, true, false);
    double without = RateFunctions.extrapolatedRate(t, v, null, 4, 0, 40_000, 40, true, false);
    // 45 raw; the zero point (30s * 10/45 before the first sample) caps the start extrapolation.
    assertEquals(45.0 * (30 + 30 * 10.0 / 45) / 30, withSt, 1e-9);
    assertEquals(25.0 * 40 / 30, without, 1e-9);
  }

  @Test
  void startTimestampResetRuleFollowsPrometheus() {
    assertFalse(RateFunctions.isStartTimestampReset(5, 10, 0, 20), "unknown start");
    assertFalse(RateFunctions.isStartTimestampReset(5, 10, 25, 20), "start after sample");
    assertFalse(RateFunctions.isStartTimestampReset(5, 10, 5, 20), "same start");
    assertTrue(RateFunctions.isStartTimestampReset(5, 10, 15, 20), "start after previous sample");
    assertTrue(RateFunctions.isStartTimestampReset(5, 10, 10, 20), "delta series");
    assertFalse(RateFunctions.isStartTimestampReset(0, 10, 10, 20), "cumulative, unknown start");
    assertFalse(RateFunctions.isStartTimestampReset(10, 10, 10, 20), "previous start equal to its sample");
    assertFalse(RateFunctions.isStartTimestampReset(15, 10, 10, 20), "invalid previous start");
    assertFalse(RateFunctions.isStartTimestampReset(5, 10, 20, 20), "start equal to sample: unknown");
  }

  @Test
  void singleCounterSampleWithStartInsideWindowCountsFromZero() {
    long[] t = secs(30);
    double[] v = {15};
    long[] st = {20_000};
    assertTrue(RateFunctions.extrapolatedRateHasResult(t, st, 1, 0, true));
    assertFalse(RateFunctions.extrapolatedRateHasResult(t, st, 1, 0, false));
    assertFalse(RateFunctions.extrapolatedRateHasResult(t, null, 1, 0, true));
    assertEquals(15.0, RateFunctions.extrapolatedRate(t, v, st, 1, 0, 30_000, 30, true, false), EPS);
  }

  @Test
  void irateUsesLastValueAfterReset() {
    long[] t = secs(10, 20, 30);
    double[] v = {100, 10, 5};
    assertTrue(RateFunctions.instantValueHasResult(t, 3));
    assertEquals(0.5, RateFunctions.instantValue(t, v, null, 3, true), EPS);
    assertEquals(-5.0, RateFunctions.instantValue(t, v, null, 3, false), EPS);
    assertFalse(RateFunctions.instantValueHasResult(secs(10), 1));
  }

  @Test
  void derivAndPredictLinearFitTheLine() {
    long[] t = secs(10, 20, 30, 40, 50, 60);
    double[] v = {20, 40, 60, 80, 100, 120};
    assertEquals(2.0, RateFunctions.deriv(t, v, 6, new double[2]), 1e-9);
    // Line value 30s after the evaluation time 60s: 2 * 90.
    assertEquals(180.0, RateFunctions.predictLinear(t, v, 6, 60_000, 30, new double[2]), 1e-9);
  }

  @Test
  void regressionOfConstantIsExactlyFlatAndOfInfiniteConstantIsNaN() {
    long[] t = secs(1, 2, 3);
    assertEquals(0.0, RateFunctions.deriv(t, new double[] {0.1, 0.1, 0.1}, 3, new double[2]));
    assertEquals(0.1, RateFunctions.predictLinear(t, new double[] {0.1, 0.1, 0.1}, 3, 3000, 100, new double[2]));
    double inf = Double.POSITIVE_INFINITY;
    assertTrue(Double.isNaN(RateFunctions.deriv(t, new double[] {inf, inf, inf}, 3, new double[2])));
  }

  @Test
  void smoothedRateInterpolatesBothEdges() {
    long[] t = secs(0, 30, 60, 90);
    double[] v = {0, 30, 60, 90};
    assertTrue(RateFunctions.extendedRateHasResult(t, 4, 15_000, 75_000, true));
    assertEquals(60.0, RateFunctions.extendedRate(t, v, 4, 15_000, 75_000, 60, true, true, false), EPS);
    assertEquals(1.0, RateFunctions.extendedRate(t, v, 4, 15_000, 75_000, 60, true, true, true), EPS);
  }

  @Test
  void smoothedCounterRestartsFromZeroWhenResetSpansTheLeftEdge() {
    long[] t = secs(0, 30, 60);
    double[] v = {100, 10, 40};
    // At 15s the counter is interpolated from 0 (after the reset) to 10: 5. Then 5 -> 40.
    assertEquals(35.0, RateFunctions.extendedRate(t, v, 3, 15_000, 75_000, 60, true, true, false), EPS);
    // As a gauge the same data interpolates 100 -> 10 at the edge: 55, then down to 40.
    assertEquals(-15.0, RateFunctions.extendedRate(t, v, 3, 15_000, 75_000, 60, true, false, false), EPS);
  }

  @Test
  void anchoredRateStartsAtLastSampleBeforeWindow() {
    long[] t = secs(0, 30, 60);
    double[] v = {0, 30, 60};
    assertEquals(60.0, RateFunctions.extendedRate(t, v, 3, 15_000, 75_000, 60, false, true, false), EPS);
  }

  @Test
  void anchoredRateCorrectsResetsInsideTheWindow() {
    long[] t = secs(0, 30, 60);
    double[] v = {50, 10, 40};
    // 40 - 50 + 50 (lost at the reset)
    assertEquals(40.0, RateFunctions.extendedRate(t, v, 3, 15_000, 75_000, 60, false, true, false), EPS);
    assertEquals(-10.0, RateFunctions.extendedRate(t, v, 3, 15_000, 75_000, 60, false, false, false), EPS);
  }

  @Test
  void extendedRateHasNoResultWithoutSampleInsideWindow() {
    assertFalse(RateFunctions.extendedRateHasResult(secs(0, 10), 2, 15_000, 75_000, false));
    assertFalse(RateFunctions.extendedRateHasResult(new long[0], 0, 15_000, 75_000, false));
    // Smoothed, data only after the window (extended_vectors.test).
    assertFalse(RateFunctions.extendedRateHasResult(secs(10, 20), 2, 0, 5_000, true));
    assertTrue(RateFunctions.extendedRateHasResult(secs(10, 20), 2, 0, 5_000, false));
  }

  @Test
  void resetsAndChangesCountFromTheFirstIndex() {
    double[] v = {1, 2, 1, 1, Double.NaN, Double.NaN, 3};
    long[] t = secs(1, 2, 3, 4, 5, 6, 7);
    assertEquals(1.0, RateFunctions.resets(t, v, null, 0, v.length));
    // 1->2, 2->1, 1->NaN, NaN->3 change; NaN->NaN does not.
    assertEquals(4.0, RateFunctions.changes(v, 0, v.length));
    assertEquals(3.0, RateFunctions.changes(v, 1, v.length));
  }

  @Test
  void resetsCountStartTimestampRestartsToo() {
    long[] t = secs(10, 20, 30, 40);
    double[] v = {1, 2, 3, 4};
    long[] st = {5_000, 5_000, 25_000, 25_000}; // restarted at 25s though the value kept rising
    assertEquals(1.0, RateFunctions.resets(t, v, st, 0, 4));
    assertEquals(0.0, RateFunctions.resets(t, v, null, 0, 4));
  }

  @Test
  void anchoredCountingStartsAtSampleBeforeWindowAndNeedsOneInside() {
    long[] t = secs(0, 10, 20, 30);
    assertEquals(1, RateFunctions.firstIndexForCounting(t, 4, 15_000, true));
    assertEquals(0, RateFunctions.firstIndexForCounting(t, 4, 15_000, false));
    assertEquals(-1, RateFunctions.firstIndexForCounting(t, 4, 30_000, true));
  }

  @Test
  void startTimestampsOverlapOnlyWhenStartFallsBeforePreviousSampleWithNewStart() {
    long[] t = secs(60, 120, 180);
    assertFalse(RateFunctions.startTimestampsOverlap(t, new long[] {0, 60_000, 120_000}, 3), "delta");
    assertFalse(RateFunctions.startTimestampsOverlap(t, new long[] {30_000, 30_000, 30_000}, 3), "cumulative");
    assertFalse(RateFunctions.startTimestampsOverlap(t, new long[] {0, 0, 0}, 3), "none");
    assertTrue(RateFunctions.startTimestampsOverlap(t, new long[] {0, 30_000, 60_000}, 3), "overlap");
  }
}
