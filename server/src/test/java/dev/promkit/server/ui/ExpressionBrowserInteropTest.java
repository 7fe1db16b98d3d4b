package dev.promkit.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.registry.Registry;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The expression browser end to end: a real Prometheus 2.42 scrapes a target whose label values
 * are HTML, a JDK HttpServer serves {@link UiHandler} under {@code /prom} and proxies
 * {@code /prom/api/} to Prometheus (same origin), and headless Chromium drives the pages.
 * Screenshots land in {@code target/ui-screenshots/}.
 */
@Tag("interop")
class ExpressionBrowserInteropTest {
  static final String EVIL = "<script>alert(1)</script>";
  static final String EVIL_TARGET_LABEL = "<img src=x onerror=alert(3)>";
  static final Path SHOTS = Path.of("target", "ui-screenshots");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static MetricsServer metrics;
  static Peer prometheus;
  static HttpServer ui;
  static Chromium chrome;
  static String base;
  static int metricsPort;

  @BeforeAll
  static void startEverything() throws Exception {
    Registry registry = new Registry();
    Gauge g = Gauge.builder().name("ui_test_gauge").help("Gauge with an HTML label value.")
        .labelNames("evil").register(registry);
    g.labelValues(EVIL).set(42);
    g.labelValues("plain").set(7);
    metrics = MetricsServer.builder().port(0).registry(registry).start();
    metricsPort = metrics.getPort();
    prometheus = Peer.start(Peers.PROMETHEUS, (port, dir) -> {
      Path rules = dir.resolve("rules.yml");
      Files.writeString(rules, String.join("\n",
          "groups:",
          "  - name: ui-test",
          "    rules:",
          "      - alert: EvilGaugeHigh",
          "        expr: ui_test_gauge > 10",
          "        labels:",
          "          severity: '<script>alert(2)</script>'",
          "        annotations:",
          "          summary: 'value {{ $value }} <img src=x onerror=alert(4)>'",
          "      - record: job:up:sum",
          "        expr: sum by (job) (up)", ""));
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, String.join("\n",
          "global:",
          "  scrape_interval: 1s",
          "  evaluation_interval: 1s",
          "rule_files: ['" + rules + "']",
          "scrape_configs:",
          "  - job_name: prometheus",
          "    static_configs: [{targets: ['127.0.0.1:" + port + "']}]",
          "  - job_name: evil",
          "    static_configs:",
          "      - targets: ['127.0.0.1:" + metricsPort + "']",
          "        labels: {owner: '" + EVIL_TARGET_LABEL + "'}", ""));
      return List.of("--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
          "--storage.tsdb.path=" + dir.resolve("data"));
    }, "/-/ready", Duration.ofSeconds(30));

    ui = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ui.createContext("/prom/", new UiHandler("/prom"));
    ui.createContext("/prom/api/", ExpressionBrowserInteropTest::proxy);
    ui.start();
    base = "http://127.0.0.1:" + ui.getAddress().getPort() + "/prom";
    awaitData();
    chrome = Chromium.launch();
  }

  @AfterAll
  static void stopEverything() {
    // each in its own finally so one failure cannot leave another process running
    try {
      if (chrome != null) {
        chrome.close();
      }
    } finally {
      try {
        if (ui != null) {
          ui.stop(0);
        }
      } finally {
        try {
          if (prometheus != null) {
            prometheus.close();
          }
        } finally {
          if (metrics != null) {
            metrics.close();
          }
        }
      }
    }
  }

  /** Forwards /prom/api/... to Prometheus' /api/..., keeping status, type and body. */
  static void proxy(HttpExchange ex) throws IOException {
    try (ex) {
      URI u = ex.getRequestURI();
      String target = "http://127.0.0.1:" + prometheus.port() + u.getRawPath().substring("/prom".length())
          + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(target)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      ex.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type").orElse("application/json"));
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Waits until both targets were scraped and the alert fired. */
  static void awaitData() throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheus.port()
          + "/api/v1/query?query=count(up%3D%3D1)%2Bcount(ui_test_gauge)%2Bcount(ALERTS%7Balertstate%3D%22firing%22%7D)"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      JsonArray result = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
      if (result.size() == 1 && result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString().equals("5")) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("Prometheus did not scrape both targets and fire the alert: " + body);
      }
      Thread.sleep(200);
    }
  }

  static String js(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Test
  void queryPageTablesGraphsStacksAndKeepsStateInTheUrl() throws Exception {
    chrome.open(base + "/graph");
    // completion: metric names arrive from /label/__name__/values
    chrome.waitFor("candidates.some(c => c.text === 'ui_test_gauge')", Duration.ofSeconds(10));
    chrome.eval("document.querySelector('textarea.expr').focus()");
    chrome.type("ui_test_g");
    chrome.waitFor("[...document.querySelectorAll('.suggest li')].some(li => li.firstChild.textContent === 'ui_test_gauge')",
        Duration.ofSeconds(5));
    // pick the completion with the keyboard, then run with Enter
    int index = chrome.eval("[...document.querySelectorAll('.suggest li')].findIndex(li => li.firstChild.textContent === 'ui_test_gauge')").getAsInt();
    for (int i = 0; i <= index; i++) {
      chrome.press("ArrowDown", 40);
    }
    chrome.press("Enter", 13);
    assertEquals("ui_test_gauge", chrome.evalString("document.querySelector('textarea.expr').value"));
    assertEquals("1", chrome.evalString("panels[0].state.tab"), "a new panel opens on the Table tab");
    chrome.press("Enter", 13);
    chrome.waitFor("document.querySelectorAll('table.data tbody tr').length === 2", Duration.ofSeconds(10));
    String rows = chrome.eval("[...document.querySelectorAll('table.data tbody tr')].map(tr => "
        + "tr.children[0].textContent + ' => ' + tr.children[1].textContent)").toString();
    String series = "ui_test_gauge{evil=\"" + EVIL + "\", instance=\"127.0.0.1:" + metricsPort + "\", job=\"evil\", owner=\"" + EVIL_TARGET_LABEL + "\"} => 42";
    assertTrue(chrome.eval("[...document.querySelectorAll('table.data tbody tr')].some(tr => tr.children[0].textContent + ' => ' "
        + "+ tr.children[1].textContent === " + js(series) + ")").getAsBoolean(), rows);
    assertEquals(0, chrome.eval("document.querySelectorAll('main script, main img').length").getAsInt());
    String url = chrome.evalString("location.search");
    assertTrue(url.contains("g0.expr=ui_test_gauge") && url.contains("g0.tab=1"), url);
    assertTrue(chrome.evalString("localStorage.getItem('promkit.history')").contains("ui_test_gauge"));
    chrome.screenshot(SHOTS.resolve("query-table.png"));

    chrome.eval("document.querySelector('.tab-graph').click()");
    chrome.waitFor("document.querySelector('canvas.graph')", Duration.ofSeconds(10));
    assertEquals("2", chrome.evalString("document.querySelector('canvas.graph').dataset.seriesCount"));
    double xMin = Double.parseDouble(chrome.evalString("document.querySelector('canvas.graph').dataset.xMin"));
    double xMax = Double.parseDouble(chrome.evalString("document.querySelector('canvas.graph').dataset.xMax"));
    assertEquals(3600, xMax - xMin, 0.001);
    assertEquals(System.currentTimeMillis() / 1000.0, xMax, 60);
    // value axis: the data extent 7..42 plus at most 10% headroom
    double yMin = Double.parseDouble(chrome.evalString("document.querySelector('canvas.graph').dataset.yMin"));
    double yMax = Double.parseDouble(chrome.evalString("document.querySelector('canvas.graph').dataset.yMax"));
    assertTrue(yMin <= 7 && yMin >= 7 - 3.5 && yMax >= 42 && yMax <= 42 + 3.5, yMin + ".." + yMax);
    assertTrue(chrome.eval("[...document.querySelectorAll('.legend li')].some(li => li.textContent.includes("
        + js("evil=\"" + EVIL + "\"") + "))").getAsBoolean());
    // hover at the plot's right edge (the newest samples): the readout lists both series
    chrome.waitFor("document.querySelector('canvas.graph').dataset.drawn", Duration.ofSeconds(5));
    chrome.eval("(() => { const c = document.querySelector('canvas.graph'), r = c.getBoundingClientRect();"
        + " c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.right - 17, clientY: r.top + 50})); })()");
    assertEquals(2, chrome.eval("document.querySelectorAll('.readout > div').length - 1").getAsInt());
    chrome.screenshot(SHOTS.resolve("query-graph.png"));

    chrome.eval("document.querySelector('input.stacked').click()");
    chrome.waitFor("document.querySelector('canvas.graph') && document.querySelector('canvas.graph').dataset.stacked === 'true'",
        Duration.ofSeconds(10));
    // stacked: 42 + 7 on top of each other, from zero
    assertEquals(0, Double.parseDouble(chrome.evalString("document.querySelector('canvas.graph').dataset.yMin")), 1e-9);
    double stackedMax = Double.parseDouble(chrome.evalString("document.querySelector('canvas.graph').dataset.yMax"));
    assertTrue(stackedMax >= 49 && stackedMax <= 49 * 1.1, String.valueOf(stackedMax));
    assertTrue(chrome.evalString("location.search").contains("g0.stacked=1"));
    chrome.screenshot(SHOTS.resolve("query-graph-stacked.png"));

    // the range buttons step 1h -> 2h and 2h -> 1h -> 30m, re-querying each time
    chrome.eval("document.querySelector('.range-grow').click()");
    chrome.waitFor("document.querySelector('canvas.graph') && document.querySelector('canvas.graph').dataset.xMax"
        + " - document.querySelector('canvas.graph').dataset.xMin === 7200", Duration.ofSeconds(10));
    assertEquals("2h", chrome.evalString("document.querySelector('input.range').value"));
    chrome.eval("document.querySelector('.range-shrink').click()");
    chrome.eval("document.querySelector('.range-shrink').click()");
    chrome.waitFor("document.querySelector('canvas.graph') && document.querySelector('canvas.graph').dataset.xMax"
        + " - document.querySelector('canvas.graph').dataset.xMin === 1800", Duration.ofSeconds(10));
    assertTrue(chrome.evalString("location.search").contains("g0.range_input=30m"));
  }

  @Test
  void sharedUrlRestoresSeveralPanels() throws Exception {
    chrome.open(base + "/graph?g0.expr=up&g0.tab=1&g1.expr=ui_test_gauge&g1.tab=0&g1.range_input=1m&g2.expr=time()&g2.tab=1"
        + "&g3.expr=up&g3.tab=1&g3.moment_input=2000-01-01%2000:00:00&g4.expr=ui_test_gauge%7Bevil%3D%22plain%22%7D%5B5s%5D&g4.tab=1");
    chrome.waitFor("document.querySelectorAll('.panel').length === 5 && document.querySelector('canvas.graph')"
        + " && document.querySelectorAll('.panel')[2].querySelector('td.value')", Duration.ofSeconds(10));
    chrome.waitFor("document.querySelectorAll('.panel')[0].querySelectorAll('tbody tr').length === 2", Duration.ofSeconds(10));
    String c = "document.querySelectorAll('.panel')[1].querySelector('canvas.graph').dataset";
    assertEquals(60, Double.parseDouble(chrome.evalString(c + ".xMax")) - Double.parseDouble(chrome.evalString(c + ".xMin")), 0.001);
    assertEquals("scalar", chrome.evalString("document.querySelectorAll('.panel')[2].querySelector('td.series').textContent"));
    // evaluation time before any data: empty; a range selector in the table: "value @timestamp" lines
    chrome.waitFor("document.querySelectorAll('.panel')[3].querySelector('tbody td')"
        + " && document.querySelectorAll('.panel')[4].querySelector('td.value')", Duration.ofSeconds(10));
    assertEquals("Empty query result", chrome.evalString("document.querySelectorAll('.panel')[3].querySelector('tbody td').textContent"));
    String matrix = chrome.evalString("document.querySelectorAll('.panel')[4].querySelector('td.value').textContent");
    assertTrue(matrix.matches("(7 @\\d+(\\.\\d+)?\n?)+"), matrix);
    chrome.screenshot(SHOTS.resolve("query-panels.png"));
  }

  @Test
  void apiErrorsAreShownAsPrometheusShowsThem() throws Exception {
    chrome.open(base + "/graph?g0.expr=sum(&g0.tab=1");
    chrome.waitFor("document.querySelector('.panel .error')", Duration.ofSeconds(10));
    String err = chrome.evalString("document.querySelector('.panel .error').textContent");
    assertTrue(err.startsWith("Error executing query: ") && err.contains("parse error"), err);
  }

  @Test
  void targetsPageListsEachJobWithHealthAndEscapedLabels() throws Exception {
    chrome.open(base + "/targets");
    assertEquals("[\"evil\",\"prometheus\"]",
        chrome.eval("[...document.querySelectorAll('section.pool')].map(s => s.dataset.pool)").toString());
    assertEquals(2, chrome.eval("[...document.querySelectorAll('table.targets tbody tr')].filter(tr => "
        + "tr.children[1].textContent === 'up').length").getAsInt());
    assertTrue(chrome.eval("document.querySelector('section[data-pool=evil]').textContent.includes("
        + js("owner=\"" + EVIL_TARGET_LABEL + "\"") + ")").getAsBoolean());
    assertEquals(0, chrome.eval("document.querySelectorAll('main img, main script').length").getAsInt());
    chrome.screenshot(SHOTS.resolve("targets.png"));
  }

  @Test
  void alertsAndRulesPagesRenderTheFiringAlertAsText() throws Exception {
    chrome.open(base + "/alerts");
    assertEquals("firing", chrome.evalString("document.querySelector('section.alert-rule').dataset.state"));
    String text = chrome.evalString("document.querySelector('section.alert-rule').textContent");
    assertTrue(text.contains("severity=\"<script>alert(2)</script>\"") && text.contains("<img src=x onerror=alert(4)>"), text);
    assertEquals(0, chrome.eval("document.querySelectorAll('main img, main script').length").getAsInt());
    chrome.screenshot(SHOTS.resolve("alerts.png"));

    chrome.open(base + "/rules");
    assertEquals(2, chrome.eval("document.querySelectorAll('table.rules tbody tr').length").getAsInt());
    assertTrue(chrome.evalString("document.querySelector('table.rules').textContent").contains("record: job:up:sum"));
    chrome.screenshot(SHOTS.resolve("rules.png"));
  }

  @Test
  void statusPagesRenderWhatTheApiReturns() throws Exception {
    String[][] pages = {
        {"config", "job_name: evil"}, {"flags", "storage.tsdb.path"}, {"status", "goroutineCount"},
        {"tsdb-status", "job=prometheus"}, {"service-discovery", "__address__"}};
    for (String[] p : pages) {
      chrome.open(base + "/" + p[0]);
      String main = chrome.evalString("document.querySelector('main').textContent");
      assertEquals(0, chrome.eval("document.querySelectorAll('main .error').length").getAsInt(), p[0] + ": " + main);
      assertTrue(main.contains(p[1]), p[0] + " lacks " + p[1] + ": " + main);
      chrome.screenshot(SHOTS.resolve(p[0] + ".png"));
    }
  }

  @AfterAll
  static void noDialogEverOpened() {
    if (chrome != null) {
      assertEquals(List.of(), chrome.dialogs, "a JavaScript dialog opened: data was executed as markup");
    }
  }
}
