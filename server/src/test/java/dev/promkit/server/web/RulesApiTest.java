package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server with a rules file (1s evaluation) and a fake Alertmanager: rules, alerts and reload over HTTP. */
class RulesApiTest {
  @TempDir
  static Path dir;
  static PromkitServer server;
  static HttpServer am;
  static final List<String> received = Collections.synchronizedList(new ArrayList<>());
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String RULES = "groups:\n  - name: basic\n    rules:\n      - record: answer:sum\n"
      + "        expr: vector(42)\n        labels:\n          origin: test\n"
      + "      - alert: AlwaysOn\n        expr: vector(1)\n        labels:\n          severity: page\n"
      + "        annotations:\n          summary: 'value is {{ $value }}'\n";

  @BeforeAll
  static void start() throws Exception {
    am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    am.createContext("/", ex -> {
      received.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    am.start();
    Files.createDirectories(dir.resolve("rules"));
    Files.writeString(dir.resolve("rules/basic.yml"), RULES);
    Files.writeString(dir.resolve("prometheus.yml"), "global:\n  evaluation_interval: 1s\n  external_labels:\n"
        + "    cluster: c1\nrule_files:\n  - rules/*.yml\nalerting:\n  alertmanagers:\n    - static_configs:\n"
        + "        - targets: ['127.0.0.1:" + am.getAddress().getPort() + "']\nscrape_configs: []\n");
    server = PromkitServer.start(ServerOptions.parse("--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0", "--web.enable-lifecycle"));
    await("AlwaysOn firing", () -> get("/api/v1/alerts").contains("\"state\":\"firing\""));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (am != null) {
      am.stop(0);
    }
  }

  static String get(String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build()).body();
  }

  static HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static JsonObject data(String path) {
    JsonObject o = JsonParser.parseString(get(path)).getAsJsonObject();
    assertEquals("success", o.get("status").getAsString(), o.toString());
    return o.getAsJsonObject("data");
  }

  static JsonObject group(String name) {
    for (var g : data("/api/v1/rules").getAsJsonArray("groups")) {
      if (g.getAsJsonObject().get("name").getAsString().equals(name)) {
        return g.getAsJsonObject();
      }
    }
    throw new AssertionError("no group " + name + " in " + get("/api/v1/rules"));
  }

  @Test
  void rulesEndpointListsGroupsAndRulesInPrometheusShape() {
    JsonObject g = group("basic");
    assertEquals(dir.resolve("rules/basic.yml").toString(), g.get("file").getAsString());
    assertEquals(1, g.get("interval").getAsDouble());
    assertTrue(g.has("evaluationTime") && g.has("lastEvaluation") && g.has("limit"), g.toString());
    JsonArray rules = g.getAsJsonArray("rules");
    JsonObject rec = rules.get(0).getAsJsonObject();
    assertEquals("recording", rec.get("type").getAsString());
    assertEquals("answer:sum", rec.get("name").getAsString());
    assertEquals("vector(42)", rec.get("query").getAsString());
    assertEquals("{\"origin\":\"test\"}", rec.get("labels").toString());
    assertEquals("ok", rec.get("health").getAsString());
    JsonObject alert = rules.get(1).getAsJsonObject();
    assertEquals("alerting", alert.get("type").getAsString());
    assertEquals("firing", alert.get("state").getAsString());
    assertEquals(0, alert.get("duration").getAsDouble());
    assertEquals(0, alert.get("keepFiringFor").getAsDouble());
    assertEquals("{\"summary\":\"value is {{ $value }}\"}", alert.get("annotations").toString());
    assertNotEquals("0001-01-01T00:00:00Z", alert.get("lastEvaluation").getAsString());
    JsonObject a = alert.getAsJsonArray("alerts").get(0).getAsJsonObject();
    assertEquals("{\"alertname\":\"AlwaysOn\",\"severity\":\"page\"}", a.get("labels").toString());
    assertEquals("1e+00", a.get("value").getAsString());
  }

  @Test
  void rulesEndpointFiltersByType() {
    JsonArray rules = data("/api/v1/rules?type=alert").getAsJsonArray("groups").get(0).getAsJsonObject()
        .getAsJsonArray("rules");
    for (var r : rules) {
      assertEquals("alerting", r.getAsJsonObject().get("type").getAsString());
    }
    assertTrue(get("/api/v1/rules?type=bogus").contains("\"errorType\":\"bad_data\""));
  }

  @Test
  void alertsEndpointListsFiringAlertsWithExpandedAnnotations() {
    JsonArray alerts = data("/api/v1/alerts").getAsJsonArray("alerts");
    JsonObject a = alerts.get(0).getAsJsonObject();
    assertEquals("firing", a.get("state").getAsString());
    assertEquals("{\"summary\":\"value is 1\"}", a.get("annotations").toString());
    assertTrue(a.get("activeAt").getAsString().endsWith("Z"), a.toString());
    assertEquals("1e+00", a.get("value").getAsString());
  }

  @Test
  void alertmanagersEndpointListsTheConfiguredAlertmanager() {
    JsonObject d = data("/api/v1/alertmanagers");
    assertEquals("http://127.0.0.1:" + am.getAddress().getPort() + "/api/v2/alerts",
        d.getAsJsonArray("activeAlertmanagers").get(0).getAsJsonObject().get("url").getAsString());
    assertEquals(0, d.getAsJsonArray("droppedAlertmanagers").size());
  }

  @Test
  void firingAlertIsPostedToTheAlertmanagerWithExternalLabels() throws Exception {
    await("a notification", () -> !received.isEmpty());
    String first = received.get(0);
    assertTrue(first.startsWith("/api/v2/alerts ["), first);
    assertTrue(first.contains("\"labels\":{\"alertname\":\"AlwaysOn\",\"cluster\":\"c1\",\"severity\":\"page\"}"), first);
  }

  @Test
  void serverMetricsIncludeRuleGroupAndNotifierMetrics() {
    String m = get("/metrics");
    assertTrue(m.contains("prometheus_rule_group_rules{rule_group=\"" + dir.resolve("rules/basic.yml") + ";basic\"} 2"), m);
    assertTrue(m.contains("prometheus_notifications_queue_capacity 10000"), m);
    assertTrue(m.contains("prometheus_notifications_alertmanagers_discovered 1"), m);
  }

  @Test
  void reloadWithABrokenRulesFileKeepsTheOldRulesThenPicksUpAFixedOne() throws Exception {
    Path extra = dir.resolve("rules/extra.yml");
    Files.writeString(extra, "groups:\n  - name: extra\n    rules:\n      - record: x\n        expr: sum(\n");
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(500, r.statusCode(), r.body());
    assertTrue(r.body().contains("extra.yml"), r.body());
    assertTrue(get("/metrics").contains("prometheus_config_last_reload_successful 0"));
    group("basic");
    assertTrue(!get("/api/v1/rules").contains("\"extra\""));
    Files.writeString(extra, "groups:\n  - name: extra\n    rules:\n      - record: x\n        expr: sum(vector(1))\n");
    r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("x", group("extra").getAsJsonArray("rules").get(0).getAsJsonObject().get("name").getAsString());
    group("basic");
  }
}
