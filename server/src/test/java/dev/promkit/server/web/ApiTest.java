package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTest {
  @TempDir
  static Path dir;
  static PromkitServer server;
  static MetricsServer target;
  static Path configFile;
  static String configText;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Registry reg = new Registry();
    Counter.builder().name("jobs_total").help("Jobs done.").register(reg).inc(7);
    target = MetricsServer.builder().registry(reg).port(0).bindAddress(InetAddress.getLoopbackAddress()).start();
    configFile = dir.resolve("prometheus.yml");
    configText = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: app\n"
        + "    static_configs:\n      - targets: ['127.0.0.1:" + target.getPort() + "']\n";
    Files.writeString(configFile, configText);
    server = PromkitServer.start(ServerOptions.parse("--config.file=" + configFile, "--storage.tsdb.path="
        + dir.resolve("data"), "--web.listen-address=127.0.0.1:0", "--web.enable-lifecycle"));
    Appender app = server.tsdb().appender();
    app.append(0, Labels.of("__name__", "m", "a", "1"), 1000, 1);
    app.append(0, Labels.of("__name__", "m", "a", "1"), 2000, 1.5);
    app.append(0, Labels.of("__name__", "m", "a", "1"), 3000, 3);
    app.append(0, Labels.of("__name__", "m", "a", "2"), 1000, 10);
    app.commit();
    awaitTargetUp();
  }

  static void awaitTargetUp() throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline && !get("/api/v1/targets").body().contains("\"health\":\"up\"")) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (target != null) {
      target.close();
    }
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String form) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void expressionBrowserIsServedBesideTheApi() throws Exception {
    HttpResponse<String> root = get("/");
    assertEquals(302, root.statusCode());
    assertEquals("/graph", root.headers().firstValue("Location").orElse(""));
    HttpResponse<String> graph = get("/graph");
    assertEquals(200, graph.statusCode());
    assertTrue(graph.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), graph.headers().toString());
    assertEquals(200, get("/static/app.js").statusCode());
    assertEquals(200, get("/targets").statusCode());
    // The API's catch-all context still answers everything else.
    assertEquals(200, get("/api/v1/query?query=1").statusCode());
    assertEquals(200, get("/-/healthy").statusCode());
  }

  @Test
  void instantQueryReturnsPrometheusVectorJson() throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=" + enc("m{a=\"1\"}") + "&time=2.5");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
        + "{\"__name__\":\"m\",\"a\":\"1\"},\"value\":[2.500,\"1.5\"]}]}}", r.body());
  }

  @Test
  void instantQueryAcceptsPostFormAndRfc3339() throws Exception {
    HttpResponse<String> r = post("/api/v1/query", "query=" + enc("sum(m)") + "&time=" + enc("1970-01-01T00:00:01Z"));
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
        + "\"value\":[1,\"11\"]}]}}", r.body());
  }

  @Test
  void scalarAndStringResults() throws Exception {
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[3.001,\"3.001\"]}}",
        get("/api/v1/query?query=time()&time=3.001").body());
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}",
        get("/api/v1/query?query=" + enc("\"x\"") + "&time=1").body());
  }

  @Test
  void rangeQueryReturnsMatrix() throws Exception {
    HttpResponse<String> r = get("/api/v1/query_range?query=" + enc("m{a=\"1\"}") + "&start=1&end=3&step=1s");
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
        + "{\"__name__\":\"m\",\"a\":\"1\"},\"values\":[[1,\"1\"],[2,\"1.5\"],[3,\"3\"]]}]}}", r.body());
    r = get("/api/v1/query_range?query=" + enc("m{a=\"1\"}") + "&start=1&end=3&step=0.5");
    assertEquals(5, JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data")
        .getAsJsonArray("result").get(0).getAsJsonObject().getAsJsonArray("values").size());
  }

  @Test
  void parseErrorIsBadDataNamingTheParameter() throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=" + enc("foo("));
    assertEquals(400, r.statusCode());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": "
        + "1:5: parse error: unclosed left parenthesis\"}", r.body());
  }

  @Test
  void badParametersGivePrometheusErrors() throws Exception {
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"step\\\": "
        + "zero or negative query resolution step widths are not accepted. Try a positive integer\"}",
        get("/api/v1/query_range?query=1&start=0&end=10&step=0").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"end\\\": "
        + "end timestamp must not be before start time\"}", get("/api/v1/query_range?query=1&start=10&end=0&step=1").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"time\\\": "
        + "Invalid time value for 'time': cannot parse \\\"abc\\\" to a valid timestamp\"}",
        get("/api/v1/query?query=1&time=abc").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[] parameter provided\"}",
        get("/api/v1/series").body());
    HttpResponse<String> r = get("/api/v1/query_range?query=" + enc("m[5m]") + "&start=0&end=10&step=1");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("invalid expression type \\\"range vector\\\" for range query"), r.body());
  }

  @Test
  void requestTimeoutParameterIsAccepted() throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=" + enc("m{a=\"1\"}") + "&time=2.5&timeout=30s");
    assertEquals(200, r.statusCode(), r.body());
    // A very short timeout on a long evaluation: Prometheus' timeout error, HTTP 503.
    r = get("/api/v1/query_range?query=" + enc("sum(m) * count(m) + sum(m)") + "&start=0&end=10999&step=1&timeout=0.001");
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}",
        r.body());
    r = get("/api/v1/query?query=1&timeout=soon");
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"timeout\\\": "
        + "cannot parse \\\"soon\\\" to a valid duration\"}", r.body());
  }

  @Test
  void executionErrorIs422() throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=" + enc("label_replace(m, \"x\", \"y\", \"a\", \"(\")") + "&time=3");
    assertTrue(r.statusCode() == 422 || r.statusCode() == 400, r.body());
    assertTrue(r.body().startsWith("{\"status\":\"error\",\"errorType\":"), r.body());
  }

  @Test
  void seriesLabelsAndLabelValues() throws Exception {
    assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"m\",\"a\":\"1\"},{\"__name__\":\"m\",\"a\":\"2\"}]}",
        get("/api/v1/series?match[]=m&start=0&end=10").body());
    String labels = get("/api/v1/labels").body();
    assertTrue(labels.startsWith("{\"status\":\"success\",\"data\":[\"__name__\",\"a\","), labels);
    assertEquals("{\"status\":\"success\",\"data\":[\"1\",\"2\"]}", get("/api/v1/label/a/values").body());
    assertEquals("{\"status\":\"success\",\"data\":[\"a\"]}", get("/api/v1/label/a/values?limit=1").body().replace(
        "\"1\"", "\"a\""));
    String names = get("/api/v1/label/__name__/values").body();
    assertTrue(names.contains("\"jobs_total\"") && names.contains("\"up\""), names);
  }

  @Test
  void targetsShowScrapeState() throws Exception {
    JsonObject data = JsonParser.parseString(get("/api/v1/targets").body()).getAsJsonObject().getAsJsonObject("data");
    JsonArray active = data.getAsJsonArray("activeTargets");
    assertEquals(1, active.size());
    JsonObject t = active.get(0).getAsJsonObject();
    String addr = "127.0.0.1:" + target.getPort();
    assertEquals("app", t.get("scrapePool").getAsString());
    assertEquals("http://" + addr + "/metrics", t.get("scrapeUrl").getAsString());
    assertEquals("up", t.get("health").getAsString());
    assertEquals("", t.get("lastError").getAsString());
    assertEquals("1s", t.get("scrapeInterval").getAsString());
    assertEquals("1s", t.get("scrapeTimeout").getAsString());
    assertEquals(addr, t.getAsJsonObject("labels").get("instance").getAsString());
    assertEquals("app", t.getAsJsonObject("labels").get("job").getAsString());
    assertEquals("/metrics", t.getAsJsonObject("discoveredLabels").get("__metrics_path__").getAsString());
    assertTrue(t.get("lastScrape").getAsString().endsWith("Z"));
    assertTrue(t.get("lastScrapeDuration").getAsDouble() > 0);
    assertEquals(0, data.getAsJsonArray("droppedTargets").size());
    String q = get("/api/v1/query?query=jobs_total").body();
    assertTrue(q.contains("\"value\":[") && q.contains(",\"7\"]"), q);
  }

  @Test
  void metadataFromScrapes() throws Exception {
    JsonObject data = JsonParser.parseString(get("/api/v1/metadata?metric=jobs").body()).getAsJsonObject()
        .getAsJsonObject("data");
    JsonObject m = data.getAsJsonArray("jobs").get(0).getAsJsonObject();
    assertEquals("counter", m.get("type").getAsString());
    assertEquals("Jobs done.", m.get("help").getAsString());
    HttpResponse<String> bad = get("/api/v1/metadata?limit=x");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\""), bad.body());
  }

  @Test
  void targetMetadataPerTarget() throws Exception {
    awaitTargetUp();
    JsonArray data = JsonParser.parseString(get("/api/v1/targets/metadata?metric=jobs&match_target="
        + enc("{job=\"app\"}")).body()).getAsJsonObject().getAsJsonArray("data");
    assertEquals(1, data.size());
    JsonObject m = data.get(0).getAsJsonObject();
    assertEquals("app", m.getAsJsonObject("target").get("job").getAsString());
    assertEquals("counter", m.get("type").getAsString());
    assertEquals(0, JsonParser.parseString(get("/api/v1/targets/metadata?match_target=" + enc("{job=\"nope\"}"))
        .body()).getAsJsonObject().getAsJsonArray("data").size());
  }

  @Test
  void statusEndpoints() throws Exception {
    JsonObject cfg = JsonParser.parseString(get("/api/v1/status/config").body()).getAsJsonObject();
    assertEquals(configText, cfg.getAsJsonObject("data").get("yaml").getAsString());
    JsonObject flags = JsonParser.parseString(get("/api/v1/status/flags").body()).getAsJsonObject()
        .getAsJsonObject("data");
    assertEquals("15d", flags.get("storage.tsdb.retention.time").getAsString());
    assertEquals("2m", flags.get("query.timeout").getAsString());
    JsonObject build = JsonParser.parseString(get("/api/v1/status/buildinfo").body()).getAsJsonObject()
        .getAsJsonObject("data");
    for (String k : new String[] {"version", "revision", "branch", "buildUser", "buildDate", "goVersion"}) {
      assertTrue(build.has(k), k);
    }
    JsonObject rt = JsonParser.parseString(get("/api/v1/status/runtimeinfo").body()).getAsJsonObject()
        .getAsJsonObject("data");
    assertTrue(rt.get("reloadConfigSuccess").getAsBoolean());
    assertEquals("15d", rt.get("storageRetention").getAsString());
    JsonObject tsdb = JsonParser.parseString(get("/api/v1/status/tsdb").body()).getAsJsonObject()
        .getAsJsonObject("data");
    assertTrue(tsdb.getAsJsonObject("headStats").get("numSeries").getAsLong() >= 2);
    assertTrue(tsdb.getAsJsonArray("seriesCountByMetricName").size() > 0);
  }

  @Test
  void healthReadyAndUnknownPaths() throws Exception {
    assertEquals(200, get("/-/healthy").statusCode());
    assertEquals(200, get("/-/ready").statusCode());
    assertEquals(404, get("/api/v1/nope").statusCode());
    assertEquals(405, get("/-/reload").statusCode());
  }

  @Test
  void ownMetricsIncludeDefaultAndTsdbMetrics() throws Exception {
    String body = get("/metrics").body();
    assertTrue(body.contains("process_resident_memory_bytes"), "process metrics");
    assertTrue(body.contains("prometheus_tsdb_head_samples_appended_total"), "tsdb metrics");
    assertTrue(body.contains("prometheus_config_last_reload_successful 1"), "reload gauge");
  }

  @Test
  void ownMetricsNegotiateOpenMetricsAndPassPromtoolCheck() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/metrics")).header("Accept", "application/openmetrics-text;version=1.0.0").build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
    assertTrue(r.body().endsWith("# EOF\n"));
    String text = get("/metrics").body();
    dev.promkit.testing.peers.Peers.Result check = dev.promkit.testing.peers.Peers.run(
        dev.promkit.testing.peers.Peers.PROMTOOL, text.getBytes(StandardCharsets.UTF_8), 30, "check", "metrics");
    assertTrue(check.exitCode() == 0 || check.exitCode() == 3, "parses (lint warnings allowed): " + check.output());
  }

  @Test
  void reloadKeepsOldConfigOnErrorAndAppliesGoodOne() throws Exception {
    try {
      Files.writeString(configFile, configText + "    bogus: 1\n");
      HttpResponse<String> r = post("/-/reload", "");
      assertEquals(500, r.statusCode());
      assertTrue(r.body().contains("field bogus not found in type config.ScrapeConfig"), r.body());
      assertEquals("app", server.activeTargets().get(0).scrapePool());
      assertFalse(server.lastReloadSucceeded());
      Files.writeString(configFile, configText.replace("job_name: app", "job_name: app2"));
      assertEquals(200, post("/-/reload", "").statusCode());
      assertEquals("app2", server.activeTargets().get(0).scrapePool());
      assertTrue(server.lastReloadSucceeded());
    } finally {
      Files.writeString(configFile, configText);
      post("/-/reload", "");
      awaitTargetUp();
    }
  }
}
