package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramFunctionsTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static ClassicBuckets buckets(double... boundsAndCounts) {
    ClassicBuckets b = new ClassicBuckets();
    for (int i = 0; i < boundsAndCounts.length; i += 2) {
      b.add(boundsAndCounts[i], boundsAndCounts[i + 1]);
    }
    return b;
  }

  @Test
  void quantileInterpolatesWithinBucketAndFromZeroInTheLowest() {
    assertEquals(1.5, buckets(2, 20, 1, 10, INF, 20).quantile(0.75), 1e-12);
    assertEquals(0.5, buckets(1, 10, 2, 20, INF, 20).quantile(0.25), 1e-12);
    assertEquals(2.0, buckets(1, 10, 2, 20, INF, 20).quantile(1), 1e-12);
  }

  @Test
  void quantileInInfBucketIsSecondHighestBound() {
    assertEquals(1.0, buckets(1, 10, INF, 20).quantile(0.9));
  }

  @Test
  void quantileInNonPositiveLowestBucketIsItsBound() {
    assertEquals(-1.0, buckets(-1, 10, INF, 20).quantile(0.25));
  }

  @Test
  void quantileSpecialCases() {
    assertTrue(Double.isNaN(buckets(1, 10, 2, 20).quantile(0.5)), "no +Inf bucket");
    assertTrue(Double.isNaN(buckets(1, 0, INF, 0).quantile(0.5)), "no observations");
    assertTrue(Double.isNaN(buckets(INF, 5).quantile(0.5)), "single bucket");
    assertTrue(Double.isNaN(buckets(1, 10, INF, 20).quantile(Double.NaN)));
    assertEquals(Double.NEGATIVE_INFINITY, buckets(1, 10, INF, 20).quantile(-1));
    assertEquals(INF, buckets(1, 10, INF, 20).quantile(1.01));
  }

  @Test
  void equalBoundsAreMerged() {
    // le="1" and le="1.0" are the same bucket: counts add up to 10.
    assertEquals(0.5, buckets(1, 5, 1, 5, INF, 20).quantile(0.25), 1e-12);
  }

  @Test
  void nonMonotonicBucketsAreFixedAsInPrometheusCorpus() {
    // histograms.test, nonmonotonic_bucket at 50m.
    ClassicBuckets b = buckets(0.1, 20, 1, 10, 10, 50, 100, 40, 1000, 90, INF, 80);
    assertEquals(8.5, b.quantile(0.5), 1e-9);
    assertTrue(b.forcedMonotonic);
    assertEquals(1.0, b.minBucket);
    assertEquals(INF, b.maxBucket);
    assertEquals(10.0, b.maxDiff);
    assertEquals(0.0045, buckets(0.1, 20, 1, 10, 10, 50, 100, 40, 1000, 90, INF, 80).quantile(0.01), 1e-12);
    assertEquals(979.75, buckets(0.1, 20, 1, 10, 10, 50, 100, 40, 1000, 90, INF, 80).quantile(0.99), 1e-9);
  }

  @Test
  void floatNoiseIsEvenedOutSilently() {
    ClassicBuckets b = buckets(1, 10, 2, 10 * (1 - 1e-14), INF, 10);
    b.quantile(0.5);
    assertTrue(b.fixedPrecision);
    assertFalse(b.forcedMonotonic);
  }

  @Test
  void fractionInterpolatesLinearly() {
    assertEquals(5.0 / 30, buckets(1, 10, INF, 30).fraction(0, 0.5), 1e-12);
    assertEquals(1.0, buckets(1, 10, INF, 30).fraction(0, INF), 1e-12);
    assertEquals(0.0, buckets(1, 10, INF, 30).fraction(1, 0));
    assertEquals(20.0 / 30, buckets(1, 10, INF, 30).fraction(1, INF), 1e-12);
    assertTrue(Double.isNaN(buckets(1, 10, 2, 30).fraction(0, 1)));
    assertTrue(Double.isNaN(buckets(1, 10, INF, 30).fraction(Double.NaN, 1)));
    assertTrue(Double.isNaN(new ClassicBuckets().fraction(0, 1)));
  }

  @Test
  void fractionDoesNotInterpolateInfiniteWidthBuckets() {
    double[] pos = {1, 1, 2, 3, 3, 6, INF, 100};
    double[] neg = {-3, 10, -2, 12, -1, 15, INF, 100};
    assertEquals(0.02, buckets(pos).fraction(0, 1.5), 1e-12);
    assertEquals(0.02, buckets(neg).fraction(-4, -2), 1e-12);
    assertEquals(0.135, buckets(neg).fraction(Double.NEGATIVE_INFINITY, -1.5), 1e-12);
    assertEquals(1.0, buckets(pos).fraction(Double.NEGATIVE_INFINITY, INF), 1e-12);
    assertEquals(1.0, buckets(neg).fraction(Double.NEGATIVE_INFINITY, INF), 1e-12);
    assertEquals(0.0, buckets(pos).fraction(4, 5), 1e-12);
    assertEquals(0.0, buckets(neg).fraction(0, 1), 1e-12);
    assertEquals(0.03, buckets(pos).fraction(2, 5), 1e-12);
    assertEquals(0.94, buckets(pos).fraction(400, INF), 1e-12);
    assertEquals(0.0, buckets(INF, 100).fraction(0, 1), 1e-12);
    assertTrue(Double.isNaN(buckets(1, 0, 2, 0, 3, 0, INF, 0).fraction(0, 5)));
    assertEquals(0.025, buckets(pos).fraction(0.5, 2), 1e-12);
    assertEquals(0.05, buckets(pos).fraction(1, 3), 1e-12);
    assertEquals(0.045, buckets(0.5, 2.5, 1, 7.5, INF, 100).fraction(0.1, 0.75), 1e-12);
    assertEquals(0.1, buckets(-2, 5, -1, 10, 0, 15, 1, 20, INF, 100).fraction(-1, 1), 1e-12);
    assertEquals(0.0, buckets(1, 1, 2, 3, INF, 10).fraction(-10, -5), 1e-12);
    assertEquals(0.0, buckets(1, 1, 2, 3, INF, 10).fraction(5, 10), 1e-12);
  }

  @Test
  void leParsesAsGo() {
    assertEquals(INF, GoFloat.parse("+Inf"));
    assertEquals(INF, GoFloat.parse("inf"));
    assertEquals(Double.NEGATIVE_INFINITY, GoFloat.parse("-Infinity"));
    assertEquals(0.1, GoFloat.parse("0.1"));
    assertEquals(1000.0, GoFloat.parse("1e3"));
    assertEquals(8.0, GoFloat.parse("0x1p3"));
    assertTrue(Double.isNaN(GoFloat.parse("NaN")));
    for (String bad : new String[] {"", " 1", "1d", "2f", "Hello World", "Infinity ", "0x10", "."}) {
      assertThrows(NumberFormatException.class, () -> GoFloat.parse(bad), bad);
    }
  }

  @Test
  void badBucketLabelMessageIsPrometheus() {
    assertEquals("bucket label \"le\" is missing or has a malformed value of \"\" for metric name \"series\"",
        HistogramFunctions.badBucketLabel("series", ""));
    assertEquals("bucket label \"le\" is missing or has a malformed value of \"x\"",
        HistogramFunctions.badBucketLabel("", "x"));
    assertEquals("quantile value should be between 0 and 1, got NaN", HistogramFunctions.invalidQuantile(Double.NaN));
    assertEquals("quantile value should be between 0 and 1, got 1.5", HistogramFunctions.invalidQuantile(1.5));
  }
}
