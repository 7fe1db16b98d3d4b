package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.Labels;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GaugeTest {
  /** A clock whose nano time moves by a fixed step each time it is read. */
  private static final class SteppingClock implements Clock {
    long nanos;
    final long step;

    SteppingClock(long step) {
      this.step = step;
    }

    @Override
    public long currentTimeMillis() {
      return 42_000;
    }

    @Override
    public long nanoTime() {
      long n = nanos;
      nanos += step;
      return n;
    }
  }

  @Test
  void incDecAndSet() {
    Gauge g = Gauge.builder().name("queue_length").build();
    g.inc();
    g.inc(2.5);
    g.dec();
    g.dec(0.5);
    assertEquals(2, g.get());
    g.set(-7.25);
    assertEquals(-7.25, g.get());
    GaugeSnapshot s = (GaugeSnapshot) g.collect().list().get(0);
    assertEquals(-7.25, s.dataPoints().get(0).value());
  }

  @Test
  void setToCurrentTimeUsesWallClockSeconds() {
    ManualClock clock = new ManualClock();
    Gauge g = Gauge.builder().name("last_success_seconds").clock(clock).build();
    clock.millis = 1_234_567;
    g.setToCurrentTime();
    assertEquals(1234.567, g.get());
  }

  @Test
  void trackIncrementsUntilClosed() {
    Gauge g = Gauge.builder().name("in_progress").labelNames("job").build();
    Gauge.Child child = g.labelValues("a");
    try (Gauge.Tracker outer = child.track()) {
      assertEquals(1, child.get());
      try (Gauge.Tracker inner = child.track()) {
        assertEquals(2, child.get());
      }
      assertEquals(1, child.get());
    }
    assertEquals(0, child.get());
  }

  @Test
  void trackDecrementsWhenTheBlockThrows() {
    Gauge g = Gauge.builder().name("in_progress").build();
    assertThrows(IllegalStateException.class, () -> {
      try (Gauge.Tracker t = g.track()) {
        throw new IllegalStateException("boom");
      }
    });
    assertEquals(0, g.get());
  }

  @Test
  void timeSetsTheDurationInSeconds() throws Exception {
    Gauge g = Gauge.builder().name("last_duration_seconds").clock(new SteppingClock(1_500_000_000L)).build();
    g.time(() -> { });
    assertEquals(1.5, g.get());
    assertEquals("x", g.time(() -> "x"));
    assertEquals(1.5, g.get());
    try (Timer t = g.startTimer()) {
      g.set(99);
    }
    assertEquals(1.5, g.get());
  }

  @Test
  void timerObservesOnlyOnce() {
    SteppingClock clock = new SteppingClock(1_000_000_000L);
    Gauge g = Gauge.builder().name("d").clock(clock).build();
    Timer t = g.startTimer();
    assertEquals(1.0, t.observeDuration());
    g.set(5);
    assertEquals(2.0, t.observeDuration());
    t.close();
    assertEquals(5, g.get());
  }

  @Test
  void labelledGaugeSnapshotsAreSortedByLabels() {
    Gauge g = Gauge.builder().name("temp").labelNames("room").build();
    g.labelValues("kitchen").set(21);
    g.labelValues("attic").set(30);
    GaugeSnapshot s = (GaugeSnapshot) g.collect().list().get(0);
    assertEquals(Labels.of("room", "attic"), s.dataPoints().get(0).labels());
    assertEquals(Labels.of("room", "kitchen"), s.dataPoints().get(1).labels());
  }

  @Test
  void durationHelperOfManualClockAdvancesBoth() {
    ManualClock c = new ManualClock();
    long n = c.nanos;
    c.advance(Duration.ofMillis(3));
    assertEquals(n + 3_000_000, c.nanos);
  }
}
