package dev.promkit.server.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.config.Config;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeLoopTest {
  private Tsdb db;
  private ScrapeManager manager;
  private TestTarget target;

  @BeforeEach
  void setUp() throws Exception {
    db = Tsdb.inMemory();
    manager = new ScrapeManager(db, Clock.systemUTC(), 2);
    target = new TestTarget();
  }

  @AfterEach
  void tearDown() {
    manager.close();
    target.close();
    db.close();
  }

  /** A job scraping {@code address} hourly, so that only {@code scrapeAllNow} scrapes during a test. */
  private void apply(String address, String extra) {
    manager.apply(Config.parse("scrape_configs:\n  - job_name: t\n    scrape_interval: 1h\n    scrape_timeout: 5s\n"
        + extra.indent(4) + "    static_configs:\n      - targets: ['" + address + "']\n"));
  }

  /** All samples (t, v) of the series matching the matchers; values kept bit-exact. */
  private List<double[]> samples(LabelMatcher... ms) {
    List<double[]> out = new ArrayList<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, ms);
      while (set.next()) {
        ChunkIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.add(new double[] {it.atT(), it.atV()});
        }
      }
    }
    return out;
  }

  private double last(String name) {
    List<double[]> s = samples(LabelMatcher.eq("__name__", name));
    assertFalse(s.isEmpty(), "no samples for " + name);
    return s.get(s.size() - 1)[1];
  }

  private static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == 0x7ff0000000000002L;
  }

  @Test
  void scrapesMetricsServerIntoStorageWithUpOne() throws Exception {
    Registry reg = new Registry();
    Counter c = Counter.builder().name("requests_total").help("Requests.").register(reg);
    c.inc(3);
    try (MetricsServer ms = MetricsServer.builder().registry(reg).port(0).bindAddress(
        java.net.InetAddress.getLoopbackAddress()).start()) {
      String addr = "127.0.0.1:" + ms.getPort();
      apply(addr, "");
      manager.scrapeAllNow();
      List<double[]> s = samples(LabelMatcher.eq("__name__", "requests_total"), LabelMatcher.eq("job", "t"),
          LabelMatcher.eq("instance", addr));
      assertEquals(1, s.size());
      assertEquals(3.0, s.get(0)[1]);
      assertEquals(1.0, last("up"));
      assertTrue(last("scrape_samples_scraped") >= 1);
      assertEquals(last("scrape_samples_scraped"), last("scrape_samples_post_metric_relabeling"));
      assertTrue(last("scrape_series_added") >= 1);
      assertTrue(last("scrape_duration_seconds") > 0);
      Target t = manager.activeTargets().get(0);
      assertEquals(Target.Health.UP, t.health());
      assertEquals("", t.lastError());
      assertEquals("counter", t.metadata().get("requests").type());
      assertEquals("Requests.", t.metadata().get("requests").help());
    }
  }

  @Test
  void sendsPrometheusAcceptHeaderTimeoutAndGzip() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    assertEquals("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", target.lastAccept);
    assertEquals("gzip", target.lastAcceptEncoding);
    assertEquals("5", target.lastTimeoutHeader);
    assertEquals("", manager.activeTargets().get(0).lastError());
    assertEquals(1.0, last("a"), "gzip body decoded");
  }

  /** A body of {@code n} series of about 40 bytes each, values {@code v}. */
  private static String bigBody(int n, int v) {
    StringBuilder sb = new StringBuilder("# TYPE big counter\n");
    for (int i = 0; i < n; i++) {
      sb.append("big{pod=\"pod-").append(i).append("\",code=\"200\"} ").append(v).append('\n');
    }
    return sb.toString();
  }

  @Test
  void bigBodyBufferIsLetGoBetweenScrapesAndEveryScrapeIsStoredWhole() throws Exception {
    target.body = bigBody(20_000, 1); // ~0.7 MB, above what a loop keeps between scrapes
    apply(target.address(), "");
    manager.scrapeAllNow(); // gzip: no declared length, read by doubling
    target.body = bigBody(20_000, 2);
    manager.scrapeAllNow(); // read into one array sized from the previous body
    ScrapeLoop loop = manager.loops().get(0);
    assertTrue(loop.retainedBufferBytes() <= ScrapeLoop.RETAINED_BUFFER_BYTES,
        "kept " + loop.retainedBufferBytes() + " bytes between scrapes");
    assertEquals("", manager.activeTargets().get(0).lastError());
    assertEquals(20_000.0, last("scrape_samples_scraped"));
    List<double[]> s = samples(LabelMatcher.eq("__name__", "big"), LabelMatcher.eq("pod", "pod-19999"));
    assertEquals(2, s.size());
    assertEquals(2.0, s.get(1)[1]);
    target.body = "small 1\n";
    manager.scrapeAllNow();
    assertEquals(1.0, last("small"));
    target.body = bigBody(20_000, 3); // back to big after a small body: still whole
    manager.scrapeAllNow();
    List<double[]> again = samples(LabelMatcher.eq("__name__", "big"), LabelMatcher.eq("pod", "pod-0"));
    assertEquals(3.0, again.get(again.size() - 1)[1]);
  }

  @Test
  void streamedBodyWithErrorFailsWithTheLineAndColumnOfTheWholeBody() throws Exception {
    String broken = bigBody(20_000, 1).replace("big{pod=\"pod-15000\",code=\"200\"} 1",
        "big{pod=\"pod-15000\",code=\"200\"} x1");
    target.body = broken;
    apply(target.address(), "");
    manager.scrapeAllNow(); // cache empty: read whole
    String whole = manager.activeTargets().get(0).lastError();
    assertTrue(whole.startsWith("line 15002, column "), whole);
    target.body = bigBody(20_000, 2);
    manager.scrapeAllNow(); // fills the cache
    assertEquals("", manager.activeTargets().get(0).lastError());
    target.body = broken;
    manager.scrapeAllNow(); // cache filled: streamed through a window of a few thousand lines
    assertEquals(whole, manager.activeTargets().get(0).lastError());
    assertEquals(0.0, last("up"));
    List<double[]> s = samples(LabelMatcher.eq("__name__", "big"), LabelMatcher.eq("pod", "pod-0"));
    assertTrue(isStale(s.get(s.size() - 1)[1]), "nothing of the broken body stored, the series marked stale");
    assertEquals(2, s.size());
  }

  @Test
  void streamedBodyOverSizeLimitFailsWithTheLimitEvenWhenMalformedEarlier() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), "body_size_limit: 100KB\n");
    manager.scrapeAllNow(); // fills the cache: the next body streams (gzip: no length declared up front)
    assertEquals(1.0, last("up"));
    target.body = "a 2\nbroken line\n" + bigBody(20_000, 1);
    manager.scrapeAllNow();
    assertEquals("body size limit exceeded", manager.activeTargets().get(0).lastError());
    assertEquals(0.0, last("up"));
    target.body = "a 3\n" + bigBody(20_000, 1).replace("} 1\n", "} 1 x\n");
    manager.scrapeAllNow();
    assertEquals("body size limit exceeded", manager.activeTargets().get(0).lastError());
    assertTrue(samples(LabelMatcher.eq("__name__", "big")).isEmpty());
  }

  @Test
  void newlinesAreCountedEightBytesAtATime() {
    byte[] b = "a\nbb\n\n\nccccccccccccccc\n\u00ff\n\nx".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int off = 0; off < b.length; off++) {
      for (int end = off; end <= b.length; end++) {
        int expected = 0;
        for (int i = off; i < end; i++) {
          expected += b[i] == '\n' ? 1 : 0;
        }
        assertEquals(expected, ScrapeLoop.newlines(b, off, end - off), off + ".." + end);
      }
    }
  }

  @Test
  void vanishedSeriesGetsStaleMarker() throws Exception {
    target.body = "a 1\nb 2\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    target.body = "a 1\n";
    manager.scrapeAllNow();
    List<double[]> b = samples(LabelMatcher.eq("__name__", "b"));
    assertEquals(2, b.size());
    assertEquals(2.0, b.get(0)[1]);
    assertTrue(isStale(b.get(1)[1]), "second sample of b is the stale marker");
    List<double[]> a = samples(LabelMatcher.eq("__name__", "a"));
    assertEquals(2, a.size());
    assertFalse(isStale(a.get(1)[1]));
  }

  @Test
  void seriesWithExplicitTimestampsAreNotMarkedStale() throws Exception {
    long t0 = System.currentTimeMillis() - 1000;
    target.body = "a 1 " + t0 + "\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    target.body = "";
    manager.scrapeAllNow();
    List<double[]> a = samples(LabelMatcher.eq("__name__", "a"));
    assertEquals(1, a.size());
    assertEquals(t0, (long) a.get(0)[0], "honor_timestamps keeps the body's timestamp");
  }

  @Test
  void garbageBodyGivesUpZeroKeepsErrorAndMarksPreviousSeriesStale() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    target.body = "a{ 1\n";
    manager.scrapeAllNow();
    assertEquals(0.0, last("up"));
    Target t = manager.activeTargets().get(0);
    assertEquals(Target.Health.DOWN, t.health());
    assertTrue(t.lastError().contains("line 1"), t.lastError());
    List<double[]> a = samples(LabelMatcher.eq("__name__", "a"));
    assertEquals(1.0, a.get(0)[1], "the stored sample survives");
    assertTrue(isStale(a.get(1)[1]));
    assertEquals(0.0, last("scrape_samples_scraped"));
  }

  @Test
  void refusedConnectionGivesUpZero() throws Exception {
    // Bound but not listening, and held: connecting is refused, and no other bind can take the port.
    try (java.net.Socket s = new java.net.Socket()) {
      s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      int port = s.getLocalPort();
      apply("127.0.0.1:" + port, "");
      manager.scrapeAllNow();
      assertEquals(0.0, last("up"));
      assertEquals("Get \"http://127.0.0.1:" + port + "/metrics\": dial tcp 127.0.0.1:" + port
          + ": connect: connection refused", manager.activeTargets().get(0).lastError());
    }
  }

  @Test
  void slowTargetTimesOutWithUpZero() throws Exception {
    target.body = "a 1\n";
    target.delayMillis = 3000;
    manager.apply(Config.parse("scrape_configs:\n  - job_name: t\n    scrape_interval: 1h\n    scrape_timeout: 200ms\n"
        + "    static_configs:\n      - targets: ['" + target.address() + "']\n"));
    long start = System.nanoTime();
    manager.scrapeAllNow();
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "gave up at the timeout");
    assertEquals(0.0, last("up"));
    assertTrue(manager.activeTargets().get(0).lastError().endsWith("context deadline exceeded"),
        manager.activeTargets().get(0).lastError());
    assertEquals("0.2", target.lastTimeoutHeader);
  }

  @Test
  void redirectsAreFollowedUnlessDisabled() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), "metrics_path: /moved\n");
    manager.scrapeAllNow();
    assertEquals("", manager.activeTargets().get(0).lastError());
    assertEquals("/metrics", target.lastUri);
    assertEquals(1.0, last("a"));
    apply(target.address(), "metrics_path: /moved\nfollow_redirects: false\n");
    manager.scrapeAllNow();
    assertEquals("server returned HTTP status 302 Found", manager.activeTargets().get(0).lastError());
  }

  @Test
  void bodyOverSizeLimitFailsScrape() throws Exception {
    target.body = "a 1\n".repeat(1000);
    apply(target.address(), "body_size_limit: 1KB\n");
    manager.scrapeAllNow();
    assertEquals(0.0, last("up"));
    assertEquals("body size limit exceeded", manager.activeTargets().get(0).lastError());
    assertTrue(samples(LabelMatcher.eq("__name__", "a")).isEmpty());
  }

  @Test
  void sampleLimitFailsWholeScrapeAndStoresNothing() throws Exception {
    target.body = "a 1\nb 2\nc 3\n";
    apply(target.address(), "sample_limit: 2\n");
    manager.scrapeAllNow();
    assertEquals(0.0, last("up"));
    assertEquals("sample limit exceeded", manager.activeTargets().get(0).lastError());
    assertTrue(samples(LabelMatcher.eq("__name__", "a")).isEmpty(), "the scrape was rolled back");
  }

  @Test
  void labelLimitFailsScrape() throws Exception {
    target.body = "a{x=\"1\",y=\"2\"} 1\n";
    apply(target.address(), "label_limit: 3\n");
    manager.scrapeAllNow();
    assertEquals(0.0, last("up"));
    assertTrue(manager.activeTargets().get(0).lastError().startsWith("label_limit exceeded (metric: "),
        manager.activeTargets().get(0).lastError());
  }

  @Test
  void conflictingLabelBecomesExportedUnlessHonored() throws Exception {
    target.body = "a{job=\"inner\",exported_job=\"x\"} 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    Labels l = seriesLabels("a");
    assertEquals("t", l.get("job"));
    assertEquals("x", l.get("exported_job"));
    assertEquals("inner", l.get("exported_exported_job"));
  }

  @Test
  void honorLabelsKeepsTheExposedValue() throws Exception {
    target.body = "a{job=\"inner\"} 1\n";
    apply(target.address(), "honor_labels: true\n");
    manager.scrapeAllNow();
    Labels l = seriesLabels("a");
    assertEquals("inner", l.get("job"));
    assertEquals(target.address(), l.get("instance"));
  }

  @Test
  void metricRelabelDropsSeries() throws Exception {
    target.body = "a 1\nb 2\n";
    apply(target.address(), "metric_relabel_configs:\n  - source_labels: [__name__]\n    regex: b\n    action: drop\n");
    manager.scrapeAllNow();
    assertTrue(samples(LabelMatcher.eq("__name__", "b")).isEmpty());
    assertEquals(2.0, last("scrape_samples_scraped"));
    assertEquals(1.0, last("scrape_samples_post_metric_relabeling"));
  }

  @Test
  void closingMarksEverySeriesOfTheTargetStale() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    manager.close();
    List<double[]> a = samples(LabelMatcher.eq("__name__", "a"));
    assertTrue(isStale(a.get(a.size() - 1)[1]));
    List<double[]> up = samples(LabelMatcher.eq("__name__", "up"));
    assertTrue(isStale(up.get(up.size() - 1)[1]));
  }

  @Test
  void targetLabelsComeFromRelabelling() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), """
        params: {module: [m1]}
        relabel_configs:
          - target_label: __metrics_path__
            replacement: /probe
          - source_labels: [__address__]
            target_label: __param_target
          - target_label: team
            replacement: core
        """);
    manager.scrapeAllNow();
    Target t = manager.activeTargets().get(0);
    assertEquals("http://" + target.address() + "/probe?module=m1&target=" + target.address().replace(":", "%3A"),
        t.scrapeUrl());
    assertEquals(Labels.of("instance", target.address(), "job", "t", "team", "core"), t.labels());
    assertEquals("/metrics", t.discoveredLabels().get("__metrics_path__"));
    assertEquals("1h", t.discoveredLabels().get("__scrape_interval__"));
    assertEquals("/probe?module=m1&target=" + target.address().replace(":", "%3A"), target.lastUri);
  }

  @Test
  void keepRuleDropsTarget() {
    apply(target.address(), "relabel_configs:\n  - source_labels: [__address__]\n    regex: nomatch\n    action: keep\n");
    assertTrue(manager.activeTargets().isEmpty());
    assertEquals(1, manager.droppedTargets().size());
  }

  @Test
  void scheduledLoopScrapesByItself() throws Exception {
    target.body = "a 1\n";
    manager.apply(Config.parse("scrape_configs:\n  - job_name: t\n    scrape_interval: 100ms\n"
        + "    static_configs:\n      - targets: ['" + target.address() + "']\n"));
    long deadline = System.currentTimeMillis() + 5000;
    while (samples(LabelMatcher.eq("__name__", "up")).size() < 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(samples(LabelMatcher.eq("__name__", "up")).size() >= 3);
  }

  @Test
  void fileSdTargetsAreScrapedWithMetaFilepath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path f = dir.resolve("t.json");
    java.nio.file.Files.writeString(f, "[{\"targets\": [\"" + target.address() + "\"], \"labels\": {\"env\": \"x\"}}]");
    manager.apply(Config.parse("scrape_configs:\n  - job_name: f\n    scrape_interval: 1h\n    file_sd_configs:\n"
        + "      - files: ['" + dir + "/*.json']\n"));
    Target t = manager.activeTargets().get(0);
    assertEquals("x", t.labels().get("env"));
    assertEquals(f.toString(), t.discoveredLabels().get("__meta_filepath"));
    assertFalse(t.labels().has("__meta_filepath"));
  }

  private Labels seriesLabels(String name) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", name));
      assertTrue(set.next());
      return set.at().labels();
    }
  }

  @Test
  void reloadKeepsLoopsOfUnchangedTargetsAndMarksRemovedTargetsStale() throws Exception {
    try (TestTarget other = new TestTarget()) {
      target.body = "a 1\n";
      other.body = "b 1\n";
      String both = "scrape_configs:\n  - job_name: t\n    scrape_interval: 1h\n    scrape_timeout: 5s\n"
          + "    static_configs:\n      - targets: ['" + target.address() + "', '" + other.address() + "']\n";
      manager.apply(Config.parse(both));
      manager.scrapeAllNow();
      // Same job, one target gone and a metric relabel rule added: the kept target's loop survives.
      manager.apply(Config.parse(both.replace(", '" + other.address() + "'", "")
          + "    metric_relabel_configs:\n      - target_label: x\n        replacement: y\n"));
      List<double[]> b = samples(LabelMatcher.eq("__name__", "b"));
      assertTrue(isStale(b.get(b.size() - 1)[1]), "removed target's series marked stale");
      List<double[]> a = samples(LabelMatcher.eq("__name__", "a"));
      assertFalse(isStale(a.get(a.size() - 1)[1]), "kept target's series not marked stale");
      manager.scrapeAllNow();
      assertEquals(1, samples(LabelMatcher.eq("__name__", "a"), LabelMatcher.eq("x", "y")).size(),
          "the new metric_relabel_configs apply");
      // The old series {__name__="a"} (without x) vanished in that scrape: the surviving loop marks it stale.
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "a"), LabelMatcher.eq("x", ""));
        assertTrue(set.next());
        ChunkIterator it = set.at().iterator(null);
        double lastV = 0;
        while (it.next() == ValueType.FLOAT) {
          lastV = it.atV();
        }
        assertTrue(isStale(lastV));
      }
    }
  }

  @Test
  void fileSdRefreshAddsAndRemovesTargets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = dir.resolve("t.yml");
    java.nio.file.Files.writeString(f, "- targets: []\n");
    manager.apply(Config.parse("scrape_configs:\n  - job_name: f\n    scrape_interval: 1h\n    file_sd_configs:\n"
        + "      - files: ['" + f + "']\n        refresh_interval: 100ms\n"));
    assertTrue(manager.activeTargets().isEmpty());
    java.nio.file.Files.writeString(f, "- targets: ['" + target.address() + "']\n  labels: {zone: a}\n");
    long deadline = System.currentTimeMillis() + 5000;
    while (manager.activeTargets().isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("a", manager.activeTargets().get(0).labels().get("zone"));
    java.nio.file.Files.writeString(f, "- targets: [\n"); // broken: the last good groups stay
    Thread.sleep(300);
    assertEquals(1, manager.activeTargets().size());
    java.nio.file.Files.writeString(f, "[]\n");
    deadline = System.currentTimeMillis() + 5000;
    while (!manager.activeTargets().isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(manager.activeTargets().isEmpty());
  }

  @Test
  void basicAuthAndBearerCredentialsAreSent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Registry reg = new Registry();
    Counter.builder().name("secret_total").help("S.").register(reg).inc();
    try (MetricsServer ms = MetricsServer.builder().registry(reg).port(0)
        .bindAddress(java.net.InetAddress.getLoopbackAddress()).basicAuth("u", "p4ss").start()) {
      String addr = "127.0.0.1:" + ms.getPort();
      java.nio.file.Path pw = dir.resolve("pw");
      java.nio.file.Files.writeString(pw, "p4ss\n");
      apply(addr, "basic_auth: {username: u, password_file: " + pw + "}\n");
      manager.scrapeAllNow();
      assertEquals(1.0, last("up"), manager.activeTargets().get(0).lastError());
      apply(addr, "basic_auth: {username: u, password: wrong}\n");
      manager.scrapeAllNow();
      assertEquals(0.0, last("up"));
      assertEquals("server returned HTTP status 401 Unauthorized", manager.activeTargets().get(0).lastError());
    }
  }

  @Test
  void targetWithSchemeOtherThanHttpIsDropped() {
    apply(target.address(), "relabel_configs:\n  - target_label: __scheme__\n    replacement: ftp\n");
    assertTrue(manager.activeTargets().isEmpty());
    assertEquals(1, manager.droppedTargets().size());
  }

  @Test
  void seriesAddedCountsOnlySeriesNewToTheCache() throws Exception {
    target.body = "a 1\nb 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    assertEquals(2.0, last("scrape_series_added"));
    manager.scrapeAllNow();
    assertEquals(0.0, last("scrape_series_added"));
    target.body = "a 1\nb 1\nc 1\n";
    manager.scrapeAllNow();
    assertEquals(1.0, last("scrape_series_added"));
  }

  @Test
  void reorderedAndRepeatedSeriesAreFoundWithoutBeingAddedAgain() throws Exception {
    target.body = "a{x=\"1\"} 1\nb 1\nc 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    target.body = "c 2\na{x=\"1\"} 2\nb 2\n"; // same series, another order: the order hint misses
    manager.scrapeAllNow();
    assertEquals(0.0, last("scrape_series_added"));
    target.body = "b 3\nb 3\na{x=\"1\"} 3\n"; // b twice, c gone: distinct counts decide the walks
    manager.scrapeAllNow();
    assertEquals(0.0, last("scrape_series_added"));
    List<double[]> c = samples(LabelMatcher.eq("__name__", "c"));
    assertEquals(3, c.size());
    assertTrue(isStale(c.get(2)[1]), "c vanished: stale marker");
    for (String n : new String[] {"a", "b"}) {
      List<double[]> s = samples(LabelMatcher.eq("__name__", n));
      assertEquals(3, s.size(), n);
      assertEquals(3.0, s.get(2)[1], n);
    }
  }

  @Test
  void seriesComingBackAfterStalenessIsStoredAgain() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    target.body = "";
    manager.scrapeAllNow();
    manager.scrapeAllNow();
    target.body = "a 2\n";
    manager.scrapeAllNow();
    List<double[]> a = samples(LabelMatcher.eq("__name__", "a"));
    assertEquals(3, a.size(), "value, one stale marker, value");
    assertEquals(1.0, a.get(0)[1]);
    assertTrue(isStale(a.get(1)[1]));
    assertEquals(2.0, a.get(2)[1]);
  }

  @Test
  void repeatedFailuresMarkSeriesStaleOnce() throws Exception {
    target.body = "a 1\n";
    apply(target.address(), "");
    manager.scrapeAllNow();
    target.body = "a{ 1\n";
    manager.scrapeAllNow();
    manager.scrapeAllNow();
    assertEquals(2, samples(LabelMatcher.eq("__name__", "a")).size());
  }
}
