package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Children are exposed in label order, kept between scrapes and re-sorted after adds and removals. */
class ChildOrderTest {
  private static List<Labels> labels(MetricSnapshot s) {
    List<Labels> out = new ArrayList<>();
    for (MetricSnapshot.DataPoint p : s.dataPoints()) {
      out.add(p.labels());
    }
    return out;
  }

  private static List<Labels> sortedCopy(List<Labels> l) {
    List<Labels> s = new ArrayList<>(l);
    s.sort(Labels::compareTo);
    return s;
  }

  @Test
  void childrenAreInLabelsOrderWhateverTheLabelNameOrderAndConstLabels() {
    Gauge g = Gauge.builder().name("temp").labelNames("zone", "area", "m")
        .constLabels(Labels.of("b", "const", "zz", "const")).build();
    Random r = new Random(42);
    for (int i = 0; i < 300; i++) {
      g.labelValues("z" + r.nextInt(7), "a" + r.nextInt(7), r.nextBoolean() ? "" : "m" + r.nextInt(3)).set(i);
    }
    List<Labels> got = labels(g.collect().list().get(0));
    assertTrue(got.size() > 100, "children: " + got.size());
    assertEquals(sortedCopy(got), got);
  }

  @Test
  void scrapeSeesAddsRemovalsAndLiveValuesAfterACachedOrder() {
    Counter c = Counter.builder().name("requests").labelNames("method").build();
    c.labelValues("PUT").inc();
    c.labelValues("GET").inc();
    CounterSnapshot first = (CounterSnapshot) c.collect().list().get(0);
    assertEquals(List.of("GET", "PUT"), values(first));

    c.labelValues("GET").inc(5); // no add: the cached order serves, the value is read live
    CounterSnapshot second = (CounterSnapshot) c.collect().list().get(0);
    assertEquals(6.0, second.dataPoints().get(0).value());

    c.labelValues("DELETE").inc();
    assertEquals(List.of("DELETE", "GET", "PUT"), values((CounterSnapshot) c.collect().list().get(0)));
    c.remove("GET");
    assertEquals(List.of("DELETE", "PUT"), values((CounterSnapshot) c.collect().list().get(0)));
    c.clear();
    assertEquals(List.of(), values((CounterSnapshot) c.collect().list().get(0)));
    c.labelValues("POST");
    assertEquals(List.of("POST"), values((CounterSnapshot) c.collect().list().get(0)));
  }

  @Test
  void unchangedChildrenReuseTheSortedArray() {
    ChildTable<ChildBase> t = new ChildTable<>();
    java.util.Comparator<ChildBase> order = Metric.labelOrder(new String[] {"l"});
    Counter owner = Counter.builder().name("x").labelNames("l").build();
    for (String v : new String[] {"c", "a", "b"}) {
      t.getOrCreate(new String[] {v}, vs -> owner.newChild(vs, Labels.of(new String[] {"l"}, vs)));
    }
    ChildBase[] first = t.sorted(order);
    assertSame(first, t.sorted(order));
    t.getOrCreate(new String[] {"a"}, vs -> { throw new AssertionError("exists"); }); // a hit changes nothing
    assertSame(first, t.sorted(order));
    t.remove(new String[] {"b"});
    ChildBase[] after = t.sorted(order);
    assertEquals(2, after.length);
    assertEquals("a", after[0].labelValues[0]);
    assertEquals("c", after[1].labelValues[0]);
  }

  @Test
  void concurrentAddsAndRemovesNeverBreakOrderNorHideStableChildren() throws Exception {
    Gauge g = Gauge.builder().name("churn").labelNames("id").build();
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < 200; i += 2) {
      String v = String.format("%04d", i);
      g.labelValues(v).set(1);
      stable.add(v);
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread scraper = new Thread(() -> {
      try {
        while (!done.get()) {
          GaugeSnapshot s = (GaugeSnapshot) g.collect().list().get(0);
          List<Labels> got = labels(s);
          Set<String> seen = new HashSet<>();
          for (int i = 0; i < got.size(); i++) {
            if (i > 0 && got.get(i - 1).compareTo(got.get(i)) >= 0) {
              throw new AssertionError("out of order or duplicate at " + i + ": " + got);
            }
            seen.add(got.get(i).get("id"));
          }
          if (!seen.containsAll(stable)) {
            throw new AssertionError("a stable child is missing from a scrape");
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    scraper.start();
    Random r = new Random(7);
    Set<String> churned = new HashSet<>();
    long until = System.nanoTime() + 300_000_000L; // bounded: 0.3 s of churn
    try {
      while (System.nanoTime() < until && failure.get() == null) {
        String v = String.format("%04d", 2 * r.nextInt(100) + 1); // odd ids only: never a stable one
        if (churned.remove(v)) {
          g.remove(v);
        } else {
          g.labelValues(v).set(2);
          churned.add(v);
        }
      }
    } finally {
      done.set(true);
      scraper.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("scrape during churn", failure.get());
    }
    Set<String> expected = new HashSet<>(stable);
    expected.addAll(churned);
    List<Labels> last = labels(g.collect().list().get(0));
    assertEquals(sortedCopy(last), last);
    Set<String> lastValues = new HashSet<>();
    last.forEach(l -> lastValues.add(l.get("id")));
    assertEquals(expected, lastValues); // after the churn stops, the scrape shows exactly what is there
  }

  private static List<String> values(CounterSnapshot s) {
    List<String> out = new ArrayList<>();
    for (CounterDataPoint p : s.dataPoints()) {
      out.add(p.labels().get("method"));
    }
    return out;
  }
}
