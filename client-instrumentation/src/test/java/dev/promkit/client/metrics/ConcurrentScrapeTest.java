package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.SummarySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** 4 writer threads x 1,000,000 updates each while another thread scrapes without pause. */
class ConcurrentScrapeTest {
  private static final int THREADS = 4;
  private static final int N = 1_000_000;

  @Test
  void totalsAreExactAndEveryScrapeIsSelfConsistent() throws Exception {
    Registry registry = new Registry();
    Counter counter = Counter.builder().name("ops_total").labelNames("kind").register(registry);
    Histogram histogram = Histogram.builder().name("size").buckets(1, 10, 100).register(registry);
    Summary summary = Summary.builder().name("lat").quantile(0.5).quantile(0.99).register(registry);
    Counter.Child ints = counter.labelValues("int");
    Counter.Child halves = counter.labelValues("half");

    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> scrapeFailure = new AtomicReference<>();
    AtomicInteger scrapes = new AtomicInteger();
    Thread scraper = new Thread(() -> {
      double lastInts = 0;
      double lastHalves = 0;
      long lastHistCount = 0;
      try {
        while (!done.get()) {
          MetricSnapshots s = registry.scrape();
          scrapes.incrementAndGet();
          for (MetricSnapshot m : s) {
            if (m instanceof CounterSnapshot c) {
              double i = c.dataPoints().stream().filter(p -> p.labels().get("kind").equals("int")).findFirst()
                  .orElseThrow().value();
              double h = c.dataPoints().stream().filter(p -> p.labels().get("kind").equals("half")).findFirst()
                  .orElseThrow().value();
              check(i >= lastInts, "counter went down: " + lastInts + " -> " + i);
              check(h >= lastHalves, "counter went down: " + lastHalves + " -> " + h);
              lastInts = i;
              lastHalves = h;
            } else if (m instanceof HistogramSnapshot hs) {
              HistogramDataPoint p = hs.dataPoints().get(0);
              long cumulative = 0;
              for (long c : p.counts()) {
                check(c >= 0, "negative bucket count");
                cumulative += c; // cumulative buckets are non-decreasing iff every bucket count is >= 0
              }
              check(cumulative == p.count(), "+Inf bucket " + cumulative + " != count " + p.count());
              check(p.count() >= lastHistCount, "histogram count went down");
              lastHistCount = p.count();
            } else if (m instanceof SummarySnapshot ss) {
              check(ss.dataPoints().get(0).count() >= 0, "summary count");
            }
          }
        }
      } catch (Throwable t) {
        scrapeFailure.set(t);
      }
    });
    scraper.start();

    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < N; i++) {
          ints.inc();
          halves.inc(0.5);
          histogram.observe(i % 200); // 2 in [0,1], 9 in (1,10], 90 in (10,100], 99 above per 200
          summary.observe(i & 1023);
        }
      });
      w.start();
      writers.add(w);
    }
    start.countDown();
    for (Thread w : writers) {
      w.join();
    }
    done.set(true);
    scraper.join();
    if (scrapeFailure.get() != null) {
      throw new AssertionError("scraper saw an inconsistent snapshot", scrapeFailure.get());
    }
    assertTrue(scrapes.get() > 0);

    assertEquals((double) THREADS * N, ints.get());
    assertEquals(THREADS * N * 0.5, halves.get());
    HistogramDataPoint h = ((HistogramSnapshot) histogram.collect().list().get(0)).dataPoints().get(0);
    long perRound = THREADS * (N / 200L);
    assertEquals(THREADS * (long) N, h.count());
    assertEquals(List.of(2 * perRound, 9 * perRound, 90 * perRound, 99 * perRound),
        List.of(h.counts()[0], h.counts()[1], h.counts()[2], h.counts()[3]));
    assertEquals(THREADS * (N / 200L) * (199 * 200 / 2.0), h.sum());
    assertEquals(THREADS * (long) N, summary.labelValues().count());
    assertEquals(511.5, summary.labelValues().quantile(0.5), 511.5 * 0.011);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
