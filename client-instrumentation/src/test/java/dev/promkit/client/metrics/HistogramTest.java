package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.Exemplar;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.Labels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static HistogramDataPoint point(Histogram h) {
    return ((HistogramSnapshot) h.collect().list().get(0)).dataPoints().get(0);
  }

  @Test
  void defaultBucketsAreThePrometheusOnes() {
    Histogram h = Histogram.builder().name("latency_seconds").build();
    assertArrayEquals(new double[] {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, INF}, h.upperBounds());
  }

  @Test
  void countsEachObservationInTheFirstBucketWhoseBoundIsNotBelowIt() {
    Histogram h = Histogram.builder().name("h").buckets(1, 2, 5).build();
    h.observe(0.5);
    h.observe(1); // on the bound: le="1" includes it
    h.observe(1.0000001);
    h.observe(5);
    h.observe(6);
    h.observe(INF);
    h.observe(-3);
    HistogramDataPoint p = point(h);
    assertArrayEquals(new double[] {1, 2, 5, INF}, p.upperBounds());
    assertArrayEquals(new long[] {3, 1, 1, 2}, p.counts());
    assertEquals(7, p.count());
    assertEquals(INF, p.sum());
  }

  @Test
  void sumAndCountMatchTheObservations() {
    Histogram h = Histogram.builder().name("h").build();
    Random r = new Random(1);
    double sum = 0;
    for (int i = 0; i < 10_000; i++) {
      double v = r.nextDouble() * 3;
      sum += v;
      h.observe(v);
    }
    HistogramDataPoint p = point(h);
    assertEquals(10_000, p.count());
    assertEquals(sum, p.sum(), 1e-6);
    long below1 = p.counts()[0] + p.counts()[1] + p.counts()[2] + p.counts()[3] + p.counts()[4] + p.counts()[5]
        + p.counts()[6] + p.counts()[7];
    assertEquals(10_000 / 3.0, below1, 200);
  }

  @Test
  void bucketSearchAgreesWithDefinitionForSmallAndLargeBucketCounts() {
    Random r = new Random(3);
    for (int n : new int[] {1, 2, 12, 16, 17, 24, 100}) {
      double[] bounds = new double[n];
      for (int i = 0; i < n - 1; i++) {
        bounds[i] = i * 0.5;
      }
      bounds[n - 1] = INF;
      for (int k = 0; k < 2000; k++) {
        double v = k % 7 == 0 ? (r.nextInt(n) * 0.5) : (r.nextDouble() * n * 0.6 - 1); // hit bounds exactly too
        int expected = 0;
        while (!(v <= bounds[expected])) {
          expected++;
        }
        assertEquals(expected, Histogram.bucketIndex(bounds, v), "n=" + n + " v=" + v);
      }
      assertEquals(n - 1, Histogram.bucketIndex(bounds, INF));
      assertEquals(0, Histogram.bucketIndex(bounds, Double.NEGATIVE_INFINITY));
    }
  }

  @Test
  void linearAndExponentialBuckets() {
    assertArrayEquals(new double[] {1, 3, 5, INF},
        Histogram.builder().name("h").linearBuckets(1, 2, 3).build().upperBounds());
    assertArrayEquals(new double[] {0.5, 1, 2, 4, INF},
        Histogram.builder().name("h").exponentialBuckets(0.5, 2, 4).build().upperBounds());
    assertArrayEquals(new double[] {1, INF}, Histogram.builder().name("h").buckets(1, INF).build().upperBounds());
  }

  @Test
  void rejectsBadBuckets() {
    assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("h").buckets());
    assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("h").buckets(1, 1));
    assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("h").buckets(2, 1));
    assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("h").buckets(1, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("h").linearBuckets(0, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("h").exponentialBuckets(0, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("h").exponentialBuckets(1, 1, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Histogram.builder().name("h").linearBuckets(1, 1, 0));
    assertTrue(e.getMessage().contains("count"), e.getMessage());
  }

  @Test
  void rejectsNaNObservationNamingTheMetric() {
    Histogram h = Histogram.builder().name("req_seconds").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.observe(Double.NaN));
    assertTrue(e.getMessage().contains("req_seconds"), e.getMessage());
    assertEquals(0, point(h).count());
  }

  @Test
  void keepsTheLatestExemplarPerBucket() {
    ManualClock clock = new ManualClock();
    Histogram h = Histogram.builder().name("h").buckets(1, 2).clock(clock).build();
    h.observe(0.1);
    assertNull(point(h).exemplars());
    h.observeWithExemplar(0.5, Labels.of("trace_id", "a"));
    h.observeWithExemplar(0.7, Labels.of("trace_id", "b"));
    h.observeWithExemplar(9, Labels.of("trace_id", "c"));
    Exemplar[] ex = point(h).exemplars();
    assertEquals(new Exemplar(Labels.of("trace_id", "b"), 0.7, clock.millis), ex[0]);
    assertNull(ex[1]);
    assertEquals(9, ex[2].value());
    assertEquals(4, point(h).count());
  }

  @Test
  void timeObservesDurations() throws Exception {
    ManualClock clock = new ManualClock();
    Histogram h = Histogram.builder().name("h").buckets(1, 2).clock(clock).build();
    h.time(() -> clock.nanos += 1_500_000_000L);
    assertEquals(42, (int) h.time(() -> 42));
    try (Timer t = h.startTimer()) {
      clock.nanos += 3_000_000_000L;
    }
    assertArrayEquals(new long[] {1, 1, 1}, point(h).counts());
    assertEquals(4.5, point(h).sum());
  }

  @Test
  void labelledChildrenAreSeparate() {
    Histogram h = Histogram.builder().name("h").labelNames("path").buckets(1).build();
    h.labelValues("/a").observe(0.5);
    h.labelValues("/b").observe(5);
    HistogramSnapshot s = (HistogramSnapshot) h.collect().list().get(0);
    assertArrayEquals(new long[] {1, 0}, s.dataPoints().get(0).counts());
    assertArrayEquals(new long[] {0, 1}, s.dataPoints().get(1).counts());
    assertEquals(1, h.labelValues("/a").count());
    assertEquals(5, h.labelValues("/b").sum());
  }
}
