package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallbackMetricTest {
  @Test
  void gaugeCallbackReportsOneValuePerLabelSetAtScrapeTime() {
    Registry r = new Registry();
    AtomicLong active = new AtomicLong(3);
    GaugeWithCallback.builder().name("pool_connections").help("Connections.").labelNames("state")
        .callback(sink -> {
          sink.accept(active.get(), "active");
          sink.accept(7, "idle");
        }).register(r);
    active.set(4);
    GaugeSnapshot s = (GaugeSnapshot) r.scrape().list().get(0);
    assertEquals("pool_connections", s.metadata().name());
    assertEquals(List.of(Labels.of("state", "active"), Labels.of("state", "idle")),
        s.dataPoints().stream().map(p -> p.labels()).toList());
    assertEquals(4, s.dataPoints().get(0).value());
    assertEquals(7, s.dataPoints().get(1).value());
  }

  @Test
  void counterCallbackStripsTotalAndRejectsNegativeValues() {
    CounterWithCallback c = CounterWithCallback.builder().name("gc_runs_total")
        .callback(sink -> sink.accept(12)).build();
    assertEquals(List.of("gc_runs"), c.metricNames());
    MetricSnapshots s = c.collect();
    assertEquals(12, ((CounterSnapshot) s.list().get(0)).dataPoints().get(0).value());

    CounterWithCallback bad = CounterWithCallback.builder().name("bad_total").callback(sink -> sink.accept(-1)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::collect);
    assertTrue(e.getMessage().contains("bad"), e.getMessage());
  }

  @Test
  void rejectsWrongLabelCountAndRepeatedLabelSets() {
    GaugeWithCallback wrong = GaugeWithCallback.builder().name("g").labelNames("a", "b")
        .callback(sink -> sink.accept(1, "x")).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, wrong::collect);
    assertTrue(e.getMessage().contains("[a, b]"), e.getMessage());
    GaugeWithCallback twice = GaugeWithCallback.builder().name("g").labelNames("a")
        .callback(sink -> {
          sink.accept(1, "x");
          sink.accept(2, "x");
        }).build();
    assertThrows(IllegalArgumentException.class, twice::collect);
  }

  @Test
  void requiresACallbackAndValidatesNames() {
    assertThrows(NullPointerException.class, () -> GaugeWithCallback.builder().name("g").build());
    assertThrows(IllegalArgumentException.class,
        () -> GaugeWithCallback.builder().name("g-1").callback(sink -> { }).build());
  }

  @Test
  void duplicateRegistrationAgainstALiveMetricIsRejected() {
    Registry r = new Registry();
    Counter.builder().name("jobs_total").register(r);
    assertThrows(IllegalArgumentException.class,
        () -> CounterWithCallback.builder().name("jobs").callback(sink -> sink.accept(1)).register(r));
  }
}
