package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.SummarySnapshot.SummaryDataPoint;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static final double[] QS = {0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1};

  private static SummaryDataPoint point(Summary s) {
    return ((SummarySnapshot) s.collect().list().get(0)).dataPoints().get(0);
  }

  private static Summary summaryWithError(double e) {
    Summary.Builder b = Summary.builder().name("s");
    for (double q : QS) {
      b.quantile(q, e);
    }
    return b.build();
  }

  /** The exact quantile as the Javadoc defines it: the element of rank floor(q (n-1)). */
  private static double exact(double[] sorted, double q) {
    return sorted[(int) Math.floor(q * (sorted.length - 1))];
  }

  /**
   * Feeds n values and checks every quantile against the relative value error bound; returns the
   * largest relative error seen.
   */
  private static double checkBound(double e, int n, DoubleSupplier values) {
    Summary s = summaryWithError(e);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = values.getAsDouble();
      s.observe(v[i]);
    }
    Arrays.sort(v);
    SummaryDataPoint p = point(s);
    assertEquals(n, p.count());
    double worst = 0;
    for (int i = 0; i < QS.length; i++) {
      double x = exact(v, QS[i]);
      double est = p.quantiles().get(i).value();
      assertEquals(QS[i], p.quantiles().get(i).quantile());
      if (x == 0) {
        assertEquals(0, est, "q=" + QS[i]);
        continue;
      }
      double rel = Math.abs(est - x) / Math.abs(x);
      assertTrue(rel <= e * (1 + 1e-9), "q=" + QS[i] + ": exact " + x + ", estimate " + est + ", relative error "
          + rel + " > " + e);
      assertEquals(Math.signum(x), Math.signum(est), "sign of q=" + QS[i]);
      worst = Math.max(worst, rel);
    }
    return worst;
  }

  @Test
  void boundsRelativeValueErrorOnValuesSpanningManyDecades() {
    Random r = new Random(7);
    for (double e : new double[] {0.05, 0.01, 0.001}) {
      checkBound(e, 50_000, () -> Math.exp(r.nextGaussian() * 6)); // ~1e-8 .. 1e8
    }
  }

  @Test
  void boundsRelativeValueErrorOnNegativeAndMixedValues() {
    Random r = new Random(11);
    checkBound(0.01, 20_000, () -> -Math.exp(r.nextGaussian() * 3));
    checkBound(0.01, 20_000, () -> r.nextGaussian() * 100);
    checkBound(0.002, 20_000, () -> r.nextInt(5) == 0 ? 0 : (r.nextBoolean() ? 1 : -1) * r.nextDouble() * 50);
  }

  @Test
  void boundsRelativeValueErrorOnSubMicrosecondValues() {
    Random r = new Random(13);
    checkBound(0.01, 20_000, () -> 1e-9 * (1 + r.nextDouble() * 999)); // 1 ns .. 1 µs in seconds
    checkBound(0.01, 20_000, () -> -1e-9 * (1 + r.nextDouble()));
    checkBound(0.001, 1, () -> 1e-9);
    checkBound(0.001, 3, () -> -3e-12);
  }

  @Test
  void boundsRelativeValueErrorAtTheEdgesOfTheDoubleRange() {
    Random r = new Random(19);
    checkBound(0.01, 2_000, () -> Double.MAX_VALUE * (0.5 + r.nextDouble() / 2) * (r.nextBoolean() ? 1 : -1));
    checkBound(0.01, 2_000, () -> Double.MIN_NORMAL * (1 + r.nextDouble() * 10));
    checkBound(0.001, 100, () -> Double.MAX_VALUE);
  }

  @Test
  void theBoundIsUsedNotJustRespected() {
    // Buckets are really e wide: on spread-out data some estimate is off by more than e/10.
    Random r = new Random(17);
    double worst = checkBound(0.05, 10_000, () -> r.nextDouble() * 1000 + 1);
    assertTrue(worst > 0.005, "worst relative error " + worst);
  }

  @Test
  void infinitiesAreReportedAsInfinities() {
    Summary s = Summary.builder().name("s").quantile(0).quantile(0.5).quantile(1).build();
    s.observe(Double.NEGATIVE_INFINITY);
    s.observe(3);
    s.observe(Double.POSITIVE_INFINITY);
    SummaryDataPoint p = point(s);
    assertEquals(Double.NEGATIVE_INFINITY, p.quantiles().get(0).value());
    assertEquals(3, p.quantiles().get(1).value(), 0.03);
    assertEquals(Double.POSITIVE_INFINITY, p.quantiles().get(2).value());
  }

  @Test
  void countAndSumCoverAllObservations() {
    Summary s = Summary.builder().name("rpc_seconds").build();
    s.observe(1.5);
    s.observe(-0.5);
    s.observe(2);
    SummaryDataPoint p = point(s);
    assertEquals(3, p.count());
    assertEquals(3, p.sum());
    assertEquals(0, p.quantiles().size());
  }

  @Test
  void emptyWindowGivesNaN() {
    Summary s = Summary.builder().name("s").quantile(0.5).quantile(0.99).build();
    SummaryDataPoint p = point(s);
    assertTrue(Double.isNaN(p.quantiles().get(0).value()));
    assertTrue(Double.isNaN(p.quantiles().get(1).value()));
  }

  @Test
  void windowSlidesWithTheInjectedClock() {
    ManualClock clock = new ManualClock();
    Summary s = Summary.builder().name("s").quantile(0.5, 0.001).quantile(0.9, 0.001).clock(clock)
        .maxAge(Duration.ofMinutes(10)).ageBuckets(5).build(); // 2-minute age buckets
    for (int i = 0; i < 100; i++) {
      s.observe(1);
    }
    clock.advance(Duration.ofMinutes(3));
    for (int i = 0; i < 100; i++) {
      s.observe(1000);
    }
    assertEquals(1, s.labelValues().quantile(0.5), 0.0011);
    assertEquals(1000, s.labelValues().quantile(0.9), 1.1);

    clock.advance(Duration.ofMinutes(7).minusMillis(1)); // 9:59.999 after the first values: still in the window
    assertEquals(1, s.labelValues().quantile(0.5), 0.0011);

    clock.advance(Duration.ofMillis(1)); // 10:00: the first age bucket has left the window
    assertEquals(1000, s.labelValues().quantile(0.5), 1.1);
    assertEquals(1000, s.labelValues().quantile(0.9), 1.1);

    clock.advance(Duration.ofMinutes(2)); // 12:00: the 3-minute values' bucket (2:00-4:00) is gone too
    assertTrue(Double.isNaN(s.labelValues().quantile(0.5)));

    clock.advance(Duration.ofHours(5)); // a long idle gap, then new values
    s.observe(-7);
    assertEquals(-7, s.labelValues().quantile(0.5), 0.007);

    SummaryDataPoint p = point(s); // count and sum are not windowed
    assertEquals(201, p.count());
    assertEquals(100 + 100_000 - 7, p.sum());
  }

  @Test
  void unconfiguredQuantileIsAnError() {
    Summary s = Summary.builder().name("lat").quantile(0.5).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.labelValues().quantile(0.9));
    assertTrue(e.getMessage().contains("lat"), e.getMessage());
  }

  @Test
  void rejectsBadConfigurationAndNaN() {
    assertThrows(IllegalArgumentException.class, () -> Summary.builder().quantile(1.5));
    assertThrows(IllegalArgumentException.class, () -> Summary.builder().quantile(-0.1));
    assertThrows(IllegalArgumentException.class, () -> Summary.builder().quantile(0.5, 0));
    assertThrows(IllegalArgumentException.class, () -> Summary.builder().quantile(0.5, 0.9));
    assertThrows(IllegalArgumentException.class, () -> Summary.builder().ageBuckets(0));
    assertThrows(IllegalArgumentException.class, () -> Summary.builder().maxAge(Duration.ZERO));
    Summary s = Summary.builder().name("lat").quantile(0.5).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.observe(Double.NaN));
    assertTrue(e.getMessage().contains("lat"), e.getMessage());
    assertEquals(0, point(s).count());
  }

  @Test
  void timeObservesSeconds() throws Exception {
    ManualClock clock = new ManualClock();
    Summary s = Summary.builder().name("s").quantile(0.5).clock(clock).build();
    s.time(() -> clock.nanos += 250_000_000L);
    assertEquals(0.25, point(s).sum());
    assertEquals(0.25, point(s).quantiles().get(0).value(), 0.0025);
  }

  @Test
  void smallestConfiguredErrorWins() {
    Summary s = Summary.builder().name("s").quantile(0.5, 0.05).quantile(0.9, 0.001).quantile(0.5, 0.02).build();
    assertEquals(0.001, s.relativeError());
  }
}
