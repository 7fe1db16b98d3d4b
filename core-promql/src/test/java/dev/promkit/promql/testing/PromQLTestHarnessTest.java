package dev.promkit.promql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.metrics.Histogram;
import dev.promkit.client.metrics.Summary;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromQLTestHarnessTest {
  private PromQLTestHarness h;
  private Registry registry;

  @BeforeEach
  void setUp() {
    h = PromQLTestHarness.create();
    registry = new Registry();
    h.addTarget("api", "api-1:8080", registry);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void scrapeStoresCounterAsTotalAndCreatedWithTargetLabels() {
    Counter c = Counter.builder().name("jobs").help("Jobs.").labelNames("kind").clock(h.clock()).register(registry);
    c.labelValues("mail").inc(3);
    h.scrape();
    h.query("jobs_total").assertSize(1).assertValue("{kind=\"mail\", job=\"api\", instance=\"api-1:8080\"}", 3);
    h.query("jobs_created").assertSingleValue(h.now().toEpochMilli() / 1000.0);
    h.query("up{job=\"api\"}").assertSingleValue(1);
    h.query("scrape_samples_scraped").assertSingleValue(2);
    h.query("scrape_series_added").assertSingleValue(2);
    h.advance(Duration.ofSeconds(15)).scrape();
    h.query("scrape_series_added").assertSingleValue(0);
  }

  @Test
  void rateOfScrapedCounterFollowsIncrementsBetweenScrapes() {
    Counter c = Counter.builder().name("http_requests").help("Requests.").clock(h.clock()).register(registry);
    h.scrape();
    for (int i = 0; i < 4; i++) {
      c.inc(30);
      h.advanceScraping(Duration.ofSeconds(15), Duration.ofSeconds(15));
    }
    h.query("increase(http_requests_total[1m])").assertSingleValue(120, 1e-9);
    h.query("rate(http_requests_total[1m])").assertSingleValue(2, 1e-9);
  }

  @Test
  void histogramIsStoredAsCumulativeBucketsCountAndSum() {
    Histogram hist = Histogram.builder().name("latency_seconds").help("Latency.").buckets(0.1, 0.5, 1)
        .clock(h.clock()).register(registry);
    hist.observe(0.05);
    hist.observe(0.3);
    hist.observe(0.7);
    hist.observe(2);
    h.scrape();
    InstantResult b = h.query("latency_seconds_bucket");
    b.assertSize(4).assertValue("{le=\"0.1\"}", 1).assertValue("{le=\"0.5\"}", 2).assertValue("{le=\"1.0\"}", 3)
        .assertValue("{le=\"+Inf\"}", 4);
    h.query("latency_seconds_count").assertSingleValue(4);
    h.query("latency_seconds_sum").assertSingleValue(3.05, 1e-12);
    h.query("histogram_quantile(0.5, latency_seconds_bucket)").assertSingleValue(0.5, 1e-9);
  }

  @Test
  void summaryAndGaugeAreStoredAsExposed() {
    Summary s = Summary.builder().name("size_bytes").help("Sizes.").quantile(0.5).clock(h.clock()).register(registry);
    Gauge g = Gauge.builder().name("queue_depth").help("Depth.").clock(h.clock()).register(registry);
    s.observe(10);
    s.observe(20);
    s.observe(30);
    g.set(7);
    h.scrape();
    h.query("size_bytes{quantile=\"0.5\"}").assertSingleValue(20, 1); // the summary's quantiles are estimates
    h.query("size_bytes_count").assertSingleValue(3);
    h.query("size_bytes_sum").assertSingleValue(60);
    h.query("queue_depth").assertSingleValue(7);
  }

  @Test
  void seriesThatDisappearsIsMarkedStale() {
    Gauge g = Gauge.builder().name("temp").help("T.").labelNames("room").register(registry);
    g.labelValues("a").set(1);
    g.labelValues("b").set(2);
    h.scrape();
    g.remove("b");
    h.advance(Duration.ofSeconds(15)).scrape();
    h.query("temp").assertSize(1).assertValue("{room=\"a\"}", 1);
    h.query("temp{room=\"b\"}", h.now().minusSeconds(1)).assertSingleValue(2);
  }

  @Test
  void exposedJobLabelBecomesExportedJob() {
    Gauge g = Gauge.builder().name("g").help("G.").labelNames("job").register(registry);
    g.labelValues("batch").set(1);
    h.scrape();
    h.query("g").assertValue("{job=\"api\", exported_job=\"batch\"}", 1);
  }

  @Test
  void loadedSeriesStartAtTheClockAndMixWithScrapedOnes() {
    Gauge g = Gauge.builder().name("capacity").help("C.").register(registry);
    g.set(100);
    h.load("""
        load 1m
          used{job="api"} 0+10x10
        """);
    h.scrape();
    h.query("used").assertSingleValue(0);
    h.advance(Duration.ofMinutes(5)).scrape();
    h.query("sum(used) / sum(capacity)").assertSingleValue(0.5, 1e-12);
    Instant start = h.now().minus(Duration.ofMinutes(5));
    h.queryRange("used", start, h.now(), Duration.ofMinutes(1)).assertValues("{job=\"api\"}", 0, 10, 20, 30, 40, 50);
  }

  @Test
  void loadRejectsEvalCommandsAndBadSeries() {
    assertThrows(IllegalArgumentException.class, () -> h.load("load 1m\n  x 1\neval instant at 0 x\n"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.load("load 1m\n  x{ 1+\n"));
    assertTrue(e.getMessage().contains("load"), e.getMessage());
  }

  @Test
  void scrapingTwiceWithoutAdvancingTheClockFails() {
    h.scrape();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.scrape());
    assertTrue(e.getMessage().contains("advance the clock"), e.getMessage());
  }

  @Test
  void failedAssertionNamesQueryTimeAndResult() {
    Gauge g = Gauge.builder().name("temp").help("T.").labelNames("room").register(registry);
    g.labelValues("kitchen").set(21);
    h.scrape();
    AssertionError e = assertThrows(AssertionError.class, () -> h.query("temp").assertSingleValue(20));
    assertTrue(e.getMessage().contains("expected single value 20, got 21"), e.getMessage());
    assertTrue(e.getMessage().contains("query: temp"), e.getMessage());
    assertTrue(e.getMessage().contains("temp{instance=\"api-1:8080\", job=\"api\", room=\"kitchen\"} => 21"),
        e.getMessage());
    assertThrows(AssertionError.class, () -> h.query("temp").assertEmpty());
    assertThrows(AssertionError.class, () -> h.query("temp").assertValue("{room=\"hall\"}", 21));
    assertThrows(AssertionError.class, () -> h.query("1").vector());
    h.query("temp").assertSingleValue(20.5, 0.5);
    assertEquals(2.0, h.query("1 + 1").scalar());
    assertEquals("x", h.query("\"x\"").string());
  }

  @Test
  void reportHoldsSeriesAndLastQuery() {
    Gauge.builder().name("temp").help("T.").register(registry).set(3);
    h.scrape();
    h.query("temp * 2");
    String r = h.report();
    assertTrue(r.contains("temp{instance=\"api-1:8080\", job=\"api\"} => 3 @2026-01-01T00:00:00Z"), r);
    assertTrue(r.contains("last query: temp * 2 at 2026-01-01T00:00:00Z"), r);
    assertTrue(r.contains("=> 6"), r);
  }

  @Test
  void rangeQueryAssertionsReportEverySeries() {
    Gauge g = Gauge.builder().name("temp").help("T.").register(registry);
    Instant start = h.now();
    for (int i = 0; i < 3; i++) {
      g.set(i);
      h.scrape().advance(Duration.ofSeconds(10));
    }
    RangeResult r = h.queryRange("temp", start, start.plusSeconds(20), Duration.ofSeconds(10));
    r.assertSeriesCount(1).assertValues("{}", 0, 1, 2);
    AssertionError e = assertThrows(AssertionError.class, () -> r.assertValues("{}", 0, 1, 3));
    assertTrue(e.getMessage().contains("got [0.0, 1.0, 2.0]"), e.getMessage());
  }

  @Test
  void explicitTimestampIsKeptAndItsSeriesNeverGoesStale() {
    long t0 = h.now().toEpochMilli();
    boolean[] present = {true};
    registry.register(() -> MetricSnapshots.of(new GaugeSnapshot(MetricMetadata.of("pushed_at", "P."),
        present[0] ? List.of(new GaugeSnapshot.GaugeDataPoint(
            dev.promkit.client.snapshot.Labels.EMPTY, 42, null, t0 - 30_000)) : List.of())));
    h.scrape();
    h.query("timestamp(pushed_at)").assertSingleValue((t0 - 30_000) / 1000.0);
    present[0] = false;
    h.advance(Duration.ofSeconds(15)).scrape();
    h.query("pushed_at").assertSingleValue(42); // no stale marker: still within the 5m lookback
  }
}
