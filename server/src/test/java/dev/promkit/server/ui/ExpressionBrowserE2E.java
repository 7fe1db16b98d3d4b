package dev.promkit.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expression browser end to end in headless Chromium against {@link PromkitServer} with a
 * known data set: a data directory pre-filled through core-tsdb (a ramp, a constant whose label
 * value is {@code <script>alert(1)</script>}, a counter), a rule file with {@code InstanceDown},
 * one target that is up (an in-test {@link MetricsServer}) and one that is down (a closed port).
 * Subclasses choose the flags (the root, a route prefix); screenshots of each page land in
 * {@code target/ui-screenshots/<variant>-<page>.png}.
 *
 * <p>The tests run in order: the alert must be caught pending before it fires.
 */
@Tag("interop")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ExpressionBrowserE2E {
  static final String EVIL = "<script>alert(1)</script>";
  static final String EVIL_TARGET_LABEL = "<img src=x onerror=alert(3)>";
  static final String EVIL_RULE_LABEL = "<script>alert(2)</script>";
  static final String EVIL_ANNOTATION = "<img src=x onerror=alert(4)>";
  static final Path SHOTS = Path.of("target", "ui-screenshots");
  /** InstanceDown's {@code for:}, long enough to see it pending, short enough to see it fire. */
  static final int FOR_SECONDS = 8;

  Chromium chrome;
  MetricsServer app;
  /** What {@link #startServer} started, closed after the tests. */
  AutoCloseable server;
  /** The server's URL including the route prefix, without a trailing slash. */
  String base;
  /** The newest pre-filled sample's timestamp (ms). */
  long t0;
  int downPort;
  Socket downSocket;

  /** Flags beyond config file, storage path and listen address. */
  abstract List<String> flags();

  /**
   * Starts the server under test on the configuration and pre-filled data directory, assigning
   * {@link #server}; returns its URL including the route prefix, without a trailing slash. By
   * default {@link PromkitServer} with {@link #flags()}.
   */
  String startServer(Path config, Path data) throws Exception {
    List<String> args = new ArrayList<>(List.of("--config.file=" + config, "--storage.tsdb.path=" + data,
        "--web.listen-address=127.0.0.1:0"));
    args.addAll(flags());
    PromkitServer s = PromkitServer.start(ServerOptions.parse(args.toArray(String[]::new)));
    server = s;
    return "http://127.0.0.1:" + s.port() + prefix();
  }

  /** The path prefix the pages are served under ("" or "/x"). */
  abstract String prefix();

  /** Names the screenshots. */
  abstract String variant();

  @BeforeAll
  void startEverything(@TempDir Path dir) throws Exception {
    chrome = Chromium.launch(); // first: the alert's pending window must not be spent starting a browser
    Registry registry = new Registry();
    Gauge g = Gauge.builder().name("e2e_app_up_since_seconds").help("A gauge of the up target.").register(registry);
    g.set(1);
    app = MetricsServer.builder().port(0).registry(registry).start();
    // Bound but never listening, and held until the end: connecting is refused, and no later bind to
    // port 0 (our own server's, say) can be given the same port, as it could once a probe was closed.
    downSocket = new Socket();
    downSocket.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
    downPort = downSocket.getLocalPort();
    Path data = dir.resolve("data");
    // a whole second, a little in the past: graphs ending now see the newest sample
    t0 = System.currentTimeMillis() / 1000 * 1000 - 5000;
    prefill(data, t0);
    Files.writeString(dir.resolve("rules.yml"), String.join("\n",
        "groups:",
        "  - name: availability",
        "    rules:",
        "      - alert: InstanceDown",
        "        expr: up == 0",
        "        for: " + FOR_SECONDS + "s",
        "        labels:",
        "          severity: page",
        "          runbook: '" + EVIL_RULE_LABEL + "'",
        "        annotations:",
        "          summary: '{{ $labels.instance }} of {{ $labels.job }} is down " + EVIL_ANNOTATION + "'",
        "      - record: job:up:sum",
        "        expr: sum by (job) (up)", ""));
    Path config = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "rule_files: [rules.yml]",
        "scrape_configs:",
        "  - job_name: app",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + app.getPort() + "']",
        "        labels: {owner: '" + EVIL_TARGET_LABEL + "'}",
        "  - job_name: down",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + downPort + "']", ""));
    base = startServer(config, data);
  }

  /**
   * The known data set, one sample a minute over the hour up to t0: {@code e2e_temperature_celsius}
   * ramps 10 → 30 in the kitchen and stays 5 in the room named {@link #EVIL};
   * {@code e2e_requests_total} grows by 60 a minute (a rate of 1/s).
   */
  static void prefill(Path data, long t0) {
    Labels kitchen = Labels.of("__name__", "e2e_temperature_celsius", "room", "kitchen");
    Labels evil = Labels.of("__name__", "e2e_temperature_celsius", "room", EVIL);
    Labels requests = Labels.of("__name__", "e2e_requests_total", "path", "/");
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.defaults().withDir(data))) {
      Appender a = tsdb.appender();
      for (int i = 0; i <= 60; i++) {
        long t = t0 - (60 - i) * 60_000L;
        a.append(0, kitchen, t, 10 + i / 3.0);
        a.append(0, evil, t, 5);
        a.append(0, requests, t, 60.0 * i);
      }
      a.commit();
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    try {
      if (chrome != null) {
        chrome.close();
      }
    } finally {
      try {
        if (server != null) {
          server.close();
        }
      } finally {
        try {
          if (app != null) {
            app.close();
          }
        } finally {
          if (downSocket != null) {
            downSocket.close();
          }
        }
      }
    }
  }

  static String js(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A time as the UI's time fields take it (UTC, "YYYY-MM-DD HH:MM:SS"), URL-encoded. */
  static String urlTime(long millis) {
    String at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(millis));
    return java.net.URLEncoder.encode(at, java.nio.charset.StandardCharsets.UTF_8);
  }

  static List<String> strings(JsonElement array) {
    List<String> out = new ArrayList<>();
    array.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
    return out;
  }

  Path shot(String page) {
    return SHOTS.resolve(variant() + "-" + page + ".png");
  }

  /** Reopens the alerts page until InstanceDown's state is {@code want}; fails on a state after it. */
  void awaitAlertState(String want, List<String> notYet, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    String state = null;
    while (System.nanoTime() < end) {
      chrome.open(base + "/alerts");
      state = chrome.evalString("(s => s && s.dataset.state)(document.querySelector('section.alert-rule'))");
      if (want.equals(state)) {
        return;
      }
      assertTrue(state == null || notYet.contains(state), "InstanceDown went to " + state + " before " + want);
      Thread.sleep(250);
    }
    throw new AssertionError("InstanceDown not " + want + " within " + timeout + "; last state " + state);
  }

  @Test
  @Order(1)
  void alertsPageShowsInstanceDownPendingThenFiring() throws Exception {
    awaitAlertState("pending", List.of("inactive"), Duration.ofSeconds(FOR_SECONDS));
    String row = "document.querySelector('section.alert-rule table.alerts tbody tr')";
    assertEquals("pending", chrome.evalString(row + ".children[1].textContent"));
    String labels = chrome.evalString(row + ".children[0].textContent");
    assertTrue(labels.contains("instance=\"127.0.0.1:" + downPort + "\"") && labels.contains("job=\"down\"")
        && labels.contains("severity=\"page\""), labels);
    chrome.screenshot(shot("alerts-pending"));

    awaitAlertState("firing", List.of("pending"), Duration.ofSeconds(FOR_SECONDS * 3L));
    assertEquals("firing", chrome.evalString(row + ".children[1].textContent"));
    assertEquals(1, chrome.eval("document.querySelectorAll('section.alert-rule table.alerts tbody tr').length").getAsInt(),
        "only the down target alerts");
    assertTrue(chrome.evalString("document.querySelector('section.alert-rule pre').textContent")
        .contains("label runbook: " + EVIL_RULE_LABEL));
    assertTrue(chrome.evalString(row + ".children[0].textContent").contains("runbook=\"" + EVIL_RULE_LABEL + "\""));
    String annotations = chrome.evalString(row + ".children[4].textContent");
    assertTrue(annotations.contains("127.0.0.1:" + downPort + " of down is down " + EVIL_ANNOTATION), annotations);
    assertEquals(0, chrome.eval("document.querySelectorAll('main img, main script').length").getAsInt());
    chrome.screenshot(shot("alerts-firing"));
  }

  @Test
  @Order(2)
  void queryTableShowsTheKnownValues() throws Exception {
    chrome.open(base + "/graph");
    chrome.eval("document.querySelector('textarea.expr').focus()");
    chrome.type("e2e_temperature_celsius");
    chrome.press("Enter", 13);
    chrome.waitFor("document.querySelectorAll('table.data tbody tr').length === 2", Duration.ofSeconds(10));
    JsonElement rows = chrome.eval("[...document.querySelectorAll('table.data tbody tr')].map(tr => "
        + "tr.children[0].textContent + ' => ' + tr.children[1].textContent).sort()");
    assertEquals(List.of("e2e_temperature_celsius{room=\"" + EVIL + "\"} => 5", "e2e_temperature_celsius{room=\"kitchen\"} => 30"),
        strings(rows));
    assertTrue(chrome.evalString("location.search").contains("g0.expr=e2e_temperature_celsius"));
    chrome.screenshot(shot("query-table"));

    // rate() over the pre-filled counter, evaluated at the newest sample (away from it, the
    // extrapolation at the window's end would bend the value): 60 per minute
    chrome.open(base + "/graph?g0.tab=1&g0.moment_input=" + urlTime(t0));
    chrome.eval("document.querySelector('textarea.expr').focus()");
    chrome.type("rate(e2e_requests_total[5m])");
    chrome.press("Enter", 13);
    chrome.waitFor("document.querySelector('table.data td.series') && document.querySelector('table.data td.series')"
        + ".textContent === '{path=\"/\"}'", Duration.ofSeconds(10));
    double rate = Double.parseDouble(chrome.evalString("document.querySelector('table.data td.value').textContent"));
    assertEquals(1.0, rate, 1e-9);
    chrome.screenshot(shot("query-rate"));
  }

  @Test
  @Order(3)
  void graphPlotsEachSeriesOverTheHourWithTheDataExtentAsAxis() throws Exception {
    chrome.open(base + "/graph?g0.expr=e2e_temperature_celsius&g0.tab=0&g0.range_input=1h");
    chrome.waitFor("document.querySelector('canvas.graph') && document.querySelector('canvas.graph').dataset.drawn",
        Duration.ofSeconds(10));
    String c = "document.querySelector('canvas.graph').dataset";
    assertEquals("2", chrome.evalString(c + ".seriesCount"));
    double xMin = Double.parseDouble(chrome.evalString(c + ".xMin"));
    double xMax = Double.parseDouble(chrome.evalString(c + ".xMax"));
    assertEquals(3600, xMax - xMin, 0.001);
    assertEquals(System.currentTimeMillis() / 1000.0, xMax, 60);
    // the value axis: the data's extent 5..30 (the constant and the ramp's end) plus 5% headroom each side
    assertEquals(5 - 1.25, Double.parseDouble(chrome.evalString(c + ".yMin")), 1e-9);
    assertEquals(30 + 1.25, Double.parseDouble(chrome.evalString(c + ".yMax")), 1e-9);
    assertEquals(2, chrome.eval("document.querySelectorAll('.legend li').length").getAsInt());
    assertTrue(chrome.eval("[...document.querySelectorAll('.legend li')].some(li => li.textContent.includes("
        + js("room=\"" + EVIL + "\"") + "))").getAsBoolean());
    chrome.screenshot(shot("graph"));
  }

  @Test
  @Order(4)
  void targetsPageShowsBothTargetsWithTheirHealth() throws Exception {
    chrome.open(base + "/targets");
    assertEquals("[\"app\",\"down\"]",
        chrome.eval("[...document.querySelectorAll('section.pool')].map(s => s.dataset.pool)").toString());
    String health = "[...document.querySelectorAll('section[data-pool=%s] table.targets tbody tr')].map(tr => "
        + "tr.children[1].textContent)";
    assertEquals("[\"up\"]", chrome.eval(String.format(health, "app")).toString());
    assertEquals("[\"down\"]", chrome.eval(String.format(health, "down")).toString());
    String downRow = chrome.evalString("document.querySelector('section[data-pool=down] tbody tr').textContent");
    assertTrue(downRow.contains("http://127.0.0.1:" + downPort + "/metrics"), downRow);
    String error = chrome.evalString("document.querySelector('section[data-pool=down] tbody tr').children[5].textContent");
    assertTrue(!error.isEmpty(), "the down target shows its scrape error");
    assertTrue(chrome.eval("document.querySelector('section[data-pool=app]').textContent.includes("
        + js("owner=\"" + EVIL_TARGET_LABEL + "\"") + ")").getAsBoolean());
    assertEquals(0, chrome.eval("document.querySelectorAll('main img, main script').length").getAsInt());
    chrome.screenshot(shot("targets"));
  }

  @Test
  @Order(5)
  void rulesPageListsTheGroupWithHealthyRules() throws Exception {
    chrome.open(base + "/rules");
    assertEquals(2, chrome.eval("document.querySelectorAll('table.rules tbody tr').length").getAsInt());
    String text = chrome.evalString("document.querySelector('section.rule-group').textContent");
    assertTrue(text.contains("availability") && text.contains("alert: InstanceDown") && text.contains("expr: up == 0")
        && text.contains("record: job:up:sum"), text);
    assertEquals("[\"ok\",\"ok\"]",
        chrome.eval("[...document.querySelectorAll('table.rules tbody tr')].map(tr => tr.children[1].textContent)").toString());
    chrome.screenshot(shot("rules"));
  }

  @Test
  @Order(6)
  void statusPagesRenderTheServersOwnState() throws Exception {
    String[][] pages = {
        {"config", "job_name: down"}, {"flags", "web.route-prefix"}, {"status", "startTime"},
        {"tsdb-status", "e2e_temperature_celsius"}, {"service-discovery", "__address__"}};
    for (String[] p : pages) {
      chrome.open(base + "/" + p[0]);
      String main = chrome.evalString("document.querySelector('main').textContent");
      assertEquals(0, chrome.eval("document.querySelectorAll('main .error').length").getAsInt(), p[0] + ": " + main);
      assertTrue(main.contains(p[1]), p[0] + " lacks " + p[1] + ": " + main);
      chrome.screenshot(shot(p[0]));
    }
  }

  @Test
  @Order(7)
  void everyLinkAndRequestStaysUnderThePrefix() throws Exception {
    chrome.open(base + "/graph?g0.expr=up&g0.tab=1");
    chrome.waitFor("document.querySelectorAll('table.data tbody tr').length === 2", Duration.ofSeconds(10));
    JsonElement bad = chrome.eval("[...document.querySelectorAll('#nav a')].map(a => a.href)"
        + ".concat(performance.getEntriesByType('resource').map(e => e.name))"
        + ".filter(u => !u.startsWith(" + js(base + "/") + "))");
    assertEquals("[]", bad.toString(), "links or requests outside " + base);
    assertTrue(chrome.eval("performance.getEntriesByType('resource').some(e => e.name.startsWith("
        + js(base + "/api/v1/query?") + "))").getAsBoolean());
    // the nav leads to each page under the prefix
    chrome.eval("[...document.querySelectorAll('#nav a')].find(a => a.textContent === 'Targets').click()");
    chrome.waitFor("location.pathname === " + js(prefix() + "/targets") + " && document.body && document.body.dataset.loaded === 'targets'",
        Duration.ofSeconds(10));
  }

  @Test
  @Order(8)
  void completionPicksAMetricNameAndTheStateGoesToUrlAndHistory() throws Exception {
    chrome.open(base + "/graph");
    chrome.eval("localStorage.removeItem('promkit.history')");
    // completion: metric names arrive from /label/__name__/values
    chrome.waitFor("candidates.some(c => c.text === 'e2e_temperature_celsius')", Duration.ofSeconds(10));
    chrome.eval("document.querySelector('textarea.expr').focus()");
    chrome.type("e2e_temp");
    String item = "[...document.querySelectorAll('.suggest li')].findIndex(li => li.firstChild.textContent === 'e2e_temperature_celsius')";
    chrome.waitFor(item + " >= 0", Duration.ofSeconds(5));
    int index = chrome.eval(item).getAsInt();
    for (int i = 0; i <= index; i++) {
      chrome.press("ArrowDown", 40);
    }
    chrome.press("Enter", 13); // accepts the suggestion
    assertEquals("e2e_temperature_celsius", chrome.evalString("document.querySelector('textarea.expr').value"));
    chrome.press("Enter", 13); // runs
    chrome.waitFor("document.querySelectorAll('table.data tbody tr').length === 2", Duration.ofSeconds(10));
    String url = chrome.evalString("location.search");
    assertTrue(url.contains("g0.expr=e2e_temperature_celsius") && url.contains("g0.tab=1"), url);
    assertTrue(chrome.evalString("localStorage.getItem('promkit.history')").contains("e2e_temperature_celsius"));
  }

  @Test
  @Order(9)
  void graphHoverStackingAndRangeButtons() throws Exception {
    chrome.open(base + "/graph?g0.expr=e2e_temperature_celsius&g0.tab=0&g0.range_input=1h");
    String c = "document.querySelector('canvas.graph').dataset";
    chrome.waitFor("document.querySelector('canvas.graph') && " + c + ".drawn", Duration.ofSeconds(10));
    // hover at the plot's right edge (the newest samples): the readout lists both series
    chrome.eval("(() => { const c = document.querySelector('canvas.graph'), r = c.getBoundingClientRect();"
        + " c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.right - 17, clientY: r.top + 50})); })()");
    assertEquals(2, chrome.eval("document.querySelectorAll('.readout > div').length - 1").getAsInt());
    chrome.screenshot(shot("graph-hover"));

    chrome.eval("document.querySelector('input.stacked').click()");
    chrome.waitFor("document.querySelector('canvas.graph') && " + c + ".stacked === 'true'", Duration.ofSeconds(10));
    // stacked: 30 on top of 5, from zero, plus 5% headroom
    assertEquals(0, Double.parseDouble(chrome.evalString(c + ".yMin")), 1e-9);
    assertEquals(35 * 1.05, Double.parseDouble(chrome.evalString(c + ".yMax")), 1e-9);
    assertTrue(chrome.evalString("location.search").contains("g0.stacked=1"));
    chrome.screenshot(shot("graph-stacked"));

    // the range buttons step 1h -> 2h and 2h -> 1h -> 30m, re-querying each time
    chrome.eval("document.querySelector('.range-grow').click()");
    chrome.waitFor("document.querySelector('canvas.graph') && " + c + ".xMax - " + c + ".xMin === 7200", Duration.ofSeconds(10));
    assertEquals("2h", chrome.evalString("document.querySelector('input.range').value"));
    chrome.eval("document.querySelector('.range-shrink').click()");
    chrome.eval("document.querySelector('.range-shrink').click()");
    chrome.waitFor("document.querySelector('canvas.graph') && " + c + ".xMax - " + c + ".xMin === 1800", Duration.ofSeconds(10));
    assertTrue(chrome.evalString("location.search").contains("g0.range_input=30m"));
  }

  @Test
  @Order(10)
  void sharedUrlRestoresSeveralPanelsAtAFixedTime() throws Exception {
    String enc = urlTime(t0);
    chrome.open(base + "/graph?g0.expr=up&g0.tab=1"
        + "&g1.expr=e2e_temperature_celsius&g1.tab=0&g1.range_input=10m&g1.end_input=" + enc
        + "&g2.expr=time()&g2.tab=1&g2.moment_input=" + enc
        + "&g3.expr=up&g3.tab=1&g3.moment_input=2000-01-01%2000:00:00"
        + "&g4.expr=e2e_requests_total%5B150s%5D&g4.tab=1&g4.moment_input=" + enc);
    String panel = "document.querySelectorAll('.panel')[%d]";
    chrome.waitFor("document.querySelectorAll('.panel').length === 5 && document.querySelector('canvas.graph')"
        + " && " + String.format(panel, 2) + ".querySelector('td.value')"
        + " && " + String.format(panel, 3) + ".querySelector('tbody td')"
        + " && " + String.format(panel, 4) + ".querySelector('td.value')"
        + " && " + String.format(panel, 0) + ".querySelectorAll('tbody tr').length === 2", Duration.ofSeconds(10));
    String c = String.format(panel, 1) + ".querySelector('canvas.graph').dataset";
    assertEquals(t0 / 1000.0, Double.parseDouble(chrome.evalString(c + ".xMax")), 1e-9);
    assertEquals(t0 / 1000.0 - 600, Double.parseDouble(chrome.evalString(c + ".xMin")), 1e-9);
    // ten minutes of the ramp's end: 10 + 50/3 .. 30, and the constant 5
    assertEquals(5 - 1.25, Double.parseDouble(chrome.evalString(c + ".yMin")), 1e-9);
    assertEquals("scalar", chrome.evalString(String.format(panel, 2) + ".querySelector('td.series').textContent"));
    assertEquals(t0 / 1000.0, Double.parseDouble(chrome.evalString(String.format(panel, 2) + ".querySelector('td.value').textContent")), 1e-9);
    assertEquals("Empty query result", chrome.evalString(String.format(panel, 3) + ".querySelector('tbody td').textContent"));
    long s0 = t0 / 1000;
    assertEquals("3480 @" + (s0 - 120) + "\n3540 @" + (s0 - 60) + "\n3600 @" + s0,
        chrome.evalString(String.format(panel, 4) + ".querySelector('td.value').textContent"));
    chrome.screenshot(shot("query-panels"));
  }

  @Test
  @Order(11)
  void apiErrorsAreShownAsPrometheusShowsThem() throws Exception {
    chrome.open(base + "/graph?g0.expr=sum(&g0.tab=1");
    chrome.waitFor("document.querySelector('.panel .error')", Duration.ofSeconds(10));
    String err = chrome.evalString("document.querySelector('.panel .error').textContent");
    assertTrue(err.startsWith("Error executing query: ") && err.contains("parse error"), err);
    chrome.screenshot(shot("query-error"));
  }

  @Test
  @Order(99)
  void dataIsRenderedAsTextNeverAsMarkup() throws Exception {
    chrome.open(base + "/graph?g0.expr=" + java.net.URLEncoder.encode("e2e_temperature_celsius{room=\"" + EVIL + "\"}",
        java.nio.charset.StandardCharsets.UTF_8) + "&g0.tab=1");
    chrome.waitFor("document.querySelector('table.data td.series')", Duration.ofSeconds(10));
    assertEquals("e2e_temperature_celsius{room=\"" + EVIL + "\"}",
        chrome.evalString("document.querySelector('table.data td.series').textContent"));
    assertEquals(0, chrome.eval("document.querySelectorAll('main script, main img').length").getAsInt());
    chrome.screenshot(shot("xss"));
    assertEquals(List.of(), chrome.dialogs, "a JavaScript dialog opened: data was executed as markup");
  }
}
