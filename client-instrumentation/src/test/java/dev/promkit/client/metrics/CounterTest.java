package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.Exemplar;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterTest {
  private static CounterSnapshot snapshot(Counter c) {
    MetricSnapshots s = c.collect();
    assertEquals(1, s.size());
    return (CounterSnapshot) s.list().get(0);
  }

  @Test
  void incrementsByOneAndByAmounts() {
    Counter c = Counter.builder().name("jobs").build();
    c.inc();
    c.inc(2);
    c.inc(0.25);
    c.inc(0);
    assertEquals(3.25, c.get());
    assertEquals(3.25, snapshot(c).dataPoints().get(0).value());
  }

  @Test
  void largeIntegralAndFractionalAmountsAddUp() {
    Counter c = Counter.builder().name("bytes").build();
    c.inc(1e18); // integral but above 2^53: goes to the double part
    c.inc(4096);
    c.inc(0.5);
    assertEquals(1e18 + 4096.5, c.get(), 1e3);
    c.inc(Double.POSITIVE_INFINITY);
    assertEquals(Double.POSITIVE_INFINITY, c.get());
  }

  @Test
  void rejectsNegativeIncrementNamingTheMetricAndKeepsTheValue() {
    Counter c = Counter.builder().name("requests_total").build();
    c.inc(5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.inc(-1));
    assertTrue(e.getMessage().contains("requests"), e.getMessage());
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertEquals(5, c.get());
  }

  @Test
  void rejectsNaNIncrement() {
    Counter c = Counter.builder().name("requests").build();
    c.inc();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.inc(Double.NaN));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    assertEquals(1, c.get());
  }

  @Test
  void storesTotalSuffixedNameAsFamilyWithoutIt() {
    Counter c = Counter.builder().name("http_requests_total").build();
    assertEquals("http_requests", c.metadata().name());
    assertEquals(List.of("http_requests"), c.metricNames());
    assertEquals("http_requests", snapshot(c).metadata().name());
  }

  @Test
  void labelValuesReturnsTheSameCachedChild() {
    Counter c = Counter.builder().name("requests").labelNames("method", "code").build();
    Counter.Child a = c.labelValues("GET", "200");
    assertSame(a, c.labelValues("GET", "200"));
    assertSame(a, c.labelValues(new String("GET"), new String("200")));
    a.inc();
    c.labelValues("POST", "500").inc(3);
    CounterSnapshot s = snapshot(c);
    assertEquals(2, s.dataPoints().size());
    assertEquals(Labels.of("method", "GET", "code", "200"), s.dataPoints().get(0).labels());
    assertEquals(1, s.dataPoints().get(0).value());
    assertEquals(Labels.of("method", "POST", "code", "500"), s.dataPoints().get(1).labels());
    assertEquals(3, s.dataPoints().get(1).value());
  }

  @Test
  void manyLabelSetsAllFoundAgain() {
    Counter c = Counter.builder().name("requests").labelNames("path").build();
    for (int i = 0; i < 5000; i++) {
      c.labelValues("/p" + i).inc(i);
    }
    for (int i = 0; i < 5000; i++) {
      assertEquals(i, c.labelValues("/p" + i).get());
    }
    assertEquals(5000, snapshot(c).dataPoints().size());
  }

  @Test
  void wrongLabelCountNamesMetricAndExpectedLabels() {
    Counter c = Counter.builder().name("requests").labelNames("method", "code").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.labelValues("GET"));
    assertTrue(e.getMessage().contains("requests"), e.getMessage());
    assertTrue(e.getMessage().contains("[method, code]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.labelValues("GET", null));
    assertThrows(IllegalArgumentException.class, () -> c.labelValues("a", "b", "c"));
  }

  @Test
  void unlabelledMethodsOnLabelledCounterFail() {
    Counter c = Counter.builder().name("requests").labelNames("method").build();
    IllegalStateException e = assertThrows(IllegalStateException.class, c::inc);
    assertTrue(e.getMessage().contains("labelValues"), e.getMessage());
  }

  @Test
  void removeAndClearDropChildren() {
    Counter c = Counter.builder().name("requests").labelNames("method").build();
    c.labelValues("GET").inc();
    c.labelValues("PUT").inc();
    c.labelValues("POST").inc();
    c.remove("PUT");
    c.remove("DELETE"); // absent: no-op
    assertEquals(2, snapshot(c).dataPoints().size());
    assertEquals(0, c.labelValues("PUT").get()); // a new child starts at 0
    c.clear();
    assertEquals(0, snapshot(c).dataPoints().size());
  }

  @Test
  void unlabelledCounterIsExposedAtZeroAndSurvivesClear() {
    Counter c = Counter.builder().name("events").build();
    c.clear();
    assertEquals(1, snapshot(c).dataPoints().size());
    assertEquals(0, snapshot(c).dataPoints().get(0).value());
  }

  @Test
  void createdTimestampComesFromTheClockPerChild() {
    ManualClock clock = new ManualClock();
    Counter c = Counter.builder().name("requests").labelNames("m").clock(clock).build();
    long t0 = clock.millis;
    c.labelValues("a").inc();
    clock.advance(Duration.ofSeconds(7));
    c.labelValues("b").inc();
    CounterSnapshot s = snapshot(c);
    assertEquals(t0, s.dataPoints().get(0).createdTimestampMillis());
    assertEquals(t0 + 7000, s.dataPoints().get(1).createdTimestampMillis());
  }

  @Test
  void keepsTheLatestExemplar() {
    ManualClock clock = new ManualClock();
    Counter c = Counter.builder().name("requests").clock(clock).build();
    c.inc();
    assertNull(snapshot(c).dataPoints().get(0).exemplar());
    c.incWithExemplar(2, Labels.of("trace_id", "abc"));
    clock.advance(Duration.ofSeconds(1));
    c.incWithExemplar(3, Labels.of("trace_id", "def"));
    CounterDataPoint p = snapshot(c).dataPoints().get(0);
    assertEquals(6, p.value());
    assertEquals(new Exemplar(Labels.of("trace_id", "def"), 3, clock.millis), p.exemplar());
  }

  @Test
  void rejectsExemplarLabelsOverTheOpenMetricsLimit() {
    Counter c = Counter.builder().name("requests").build();
    c.incWithExemplar(1, Labels.of("trace_id", "x".repeat(120))); // 8 + 120 = 128: allowed
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.incWithExemplar(1, Labels.of("trace_id", "x".repeat(121))));
    assertTrue(e.getMessage().contains("128"), e.getMessage());
    assertEquals(1, c.get());
  }

  @Test
  void constLabelsAreAddedToEveryPoint() {
    Counter c = Counter.builder().name("requests").labelNames("m").constLabels(Labels.of("env", "prod")).build();
    c.labelValues("GET").inc();
    assertEquals(Labels.of("env", "prod", "m", "GET"), snapshot(c).dataPoints().get(0).labels());
    assertThrows(IllegalArgumentException.class,
        () -> Counter.builder().name("x").labelNames("env").constLabels(Labels.of("env", "a")).build());
  }

  @Test
  void duplicateRegistrationIsRejectedByName() {
    Registry r = new Registry();
    Counter.builder().name("requests_total").register(r);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Counter.builder().name("requests").register(r));
    assertTrue(e.getMessage().contains("requests"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Gauge.builder().name("requests").register(r));
  }

  @Test
  void incrementsFromManyShortLivedThreadsAreAllCounted() throws Exception {
    Counter c = Counter.builder().name("requests").build();
    for (int round = 0; round < 20; round++) {
      Thread[] ts = new Thread[Stripes.MAX_CELLS * 2 + 3]; // more live threads than cells: shared path too
      for (int i = 0; i < ts.length; i++) {
        ts[i] = new Thread(() -> {
          for (int k = 0; k < 1000; k++) {
            c.inc();
            c.inc(0.5);
          }
        });
        ts[i].start();
      }
      for (Thread t : ts) {
        t.join();
      }
    }
    assertEquals(20 * (Stripes.MAX_CELLS * 2 + 3) * 1500.0, c.get());
  }
}
