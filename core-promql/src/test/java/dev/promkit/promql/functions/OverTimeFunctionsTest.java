package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverTimeFunctionsTest {
  @Test
  void sumIsCompensated() {
    double[] v = {1e100, 1.0, -1e100};
    assertEquals(1.0, OverTimeFunctions.sum(v, 3));
  }

  @Test
  void avgFallsBackToIncrementalMeanOnOverflow() {
    double m = Double.MAX_VALUE;
    assertEquals(m, OverTimeFunctions.avg(new double[] {m, m, m}, 3), m * 1e-15); // finite, not +Inf
    assertEquals(2.0, OverTimeFunctions.avg(new double[] {1, 2, 3}, 3));
    assertEquals(1.0, OverTimeFunctions.avg(new double[] {1e100, 1.0, -1e100, 3.0}, 4));
  }

  @Test
  void minAndMaxSkipNaNUnlessAllAreNaN() {
    double nan = Double.NaN;
    assertEquals(3.0, OverTimeFunctions.max(new double[] {nan, 3, 1}, 3));
    assertEquals(1.0, OverTimeFunctions.min(new double[] {nan, 3, 1}, 3));
    assertTrue(Double.isNaN(OverTimeFunctions.max(new double[] {nan, nan}, 2)));
  }

  @Test
  void tsOfMaxAndMinPickTheLastTie() {
    long[] t = {1000, 2000, 3000, 4000};
    double[] v = {5, 1, 5, 1};
    assertEquals(3.0, OverTimeFunctions.tsOfMax(t, v, 4));
    assertEquals(4.0, OverTimeFunctions.tsOfMin(t, v, 4));
    assertEquals(1.0, OverTimeFunctions.tsOfFirst(t));
    assertEquals(4.0, OverTimeFunctions.tsOfLast(t, 4));
  }

  @Test
  void stddevOfTextbookSample() {
    double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
    assertEquals(2.0, OverTimeFunctions.stddev(v, 8), 1e-12);
    assertEquals(4.0, OverTimeFunctions.stdvar(v, 8), 1e-12);
    assertEquals(0.0, OverTimeFunctions.stdvar(new double[] {0.1, 0.1, 0.1}, 3));
  }

  @Test
  void quantileInterpolatesBetweenRanks() {
    double[] v = {4, 1, 3, 2};
    assertEquals(2.5, OverTimeFunctions.quantileOverTime(0.5, v, 4, null));
    assertEquals(1.0, OverTimeFunctions.quantileOverTime(0, v, 4, null));
    assertEquals(4.0, OverTimeFunctions.quantileOverTime(1, v, 4, null));
    assertEquals(1.75, OverTimeFunctions.quantileOverTime(0.25, v, 4, new double[8]));
    assertEquals(4.0, v[0], "input order kept");
  }

  @Test
  void quantileOutOfRangeGivesInfinitiesAndNaN() {
    double[] v = {1, 2};
    assertEquals(Double.NEGATIVE_INFINITY, OverTimeFunctions.quantile(-0.1, v, 2));
    assertEquals(Double.POSITIVE_INFINITY, OverTimeFunctions.quantile(1.1, v, 2));
    assertTrue(Double.isNaN(OverTimeFunctions.quantile(Double.NaN, v, 2)));
    assertTrue(Double.isNaN(OverTimeFunctions.quantile(0.5, v, 0)));
  }

  @Test
  void quantileSortsNaNFirst() {
    double[] v = {2, Double.NaN, 1};
    assertTrue(Double.isNaN(OverTimeFunctions.quantile(0, v.clone(), 3)));
    assertEquals(2.0, OverTimeFunctions.quantile(1, v.clone(), 3));
  }

  @Test
  void madIsMedianAbsoluteDeviation() {
    double[] v = {1, 1, 2, 2, 4, 6, 9};
    assertEquals(1.0, OverTimeFunctions.mad(v, 7, null));
  }

  @Test
  void madOfRangeWithNaNIsNaN() {
    assertTrue(Double.isNaN(OverTimeFunctions.mad(new double[] {1, 2, Double.NaN, 4}, 4, new double[1])));
  }
}
