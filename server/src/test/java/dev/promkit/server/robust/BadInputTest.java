package dev.promkit.server.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: bad input — a garbage body, a huge body, a slow target, malformed or too expensive
 * PromQL, a wrong config on reload — each gives a clear error and the server keeps serving (and
 * keeps scraping the well-behaved target).
 */
class BadInputTest {
  @TempDir
  static Path dir;
  static final List<HttpServer> TARGETS = new ArrayList<>();
  static MetricsServer good;
  static PromkitServer server;
  static Http api;
  static Path config;
  static String configText;
  static String garbage;
  static String huge;
  static String slow;

  /** A target that always answers with this body after this delay. */
  static String target(String body, long delayMillis) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    s.createContext("/", ex -> {
      try {
        Thread.sleep(delayMillis);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException clientGone) {
        // the scraper gave up (timeout, body limit)
      } finally {
        ex.close();
      }
    });
    s.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bad-input-target");
      t.setDaemon(true);
      return t;
    }));
    s.start();
    TARGETS.add(s);
    return "127.0.0.1:" + s.getAddress().getPort();
  }

  static String job(String name, String address, String extra) {
    return "  - job_name: " + name + "\n" + extra + "    static_configs:\n      - targets: ['" + address + "']\n";
  }

  @BeforeAll
  static void start() throws Exception {
    Registry reg = new Registry();
    Counter.builder().name("good_jobs_total").help("Jobs.").register(reg).inc(2);
    good = MetricsServer.builder().registry(reg).port(0).bindAddress(InetAddress.getLoopbackAddress()).start();
    garbage = target("\u0000\u0001garbage {{{ this is not an exposition\n", 0);
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      big.append("huge_metric{i=\"").append(i).append("\"} 1\n");
    }
    huge = target(big.toString(), 0);
    slow = target("slow_metric 1\n", 3_000);
    config = dir.resolve("prometheus.yml");
    configText = "global:\n  scrape_interval: 300ms\n  scrape_timeout: 250ms\nscrape_configs:\n"
        + job("good", "127.0.0.1:" + good.getPort(), "")
        + job("garbage", garbage, "")
        + job("huge", huge, "    body_size_limit: 1KB\n")
        + job("slow", slow, "    scrape_timeout: 200ms\n");
    Files.writeString(config, configText);
    server = PromkitServer.start(ServerOptions.parse("--config.file=" + config, "--storage.tsdb.path="
        + dir.resolve("data"), "--web.listen-address=127.0.0.1:0", "--web.enable-lifecycle"));
    api = new Http(server.port());
    Http.await(10_000, "good target up", () -> api.scalar("up{job=\"good\"}") == 1.0);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (good != null) {
      good.close();
    }
    TARGETS.forEach(s -> s.stop(0));
  }

  /** Fails unless the good target is still up and was scraped again after this call started. */
  static void assertGoodTargetStillScraped() throws Exception {
    double before = api.scalar("count_over_time(up{job=\"good\"}[1h])");
    Http.await(5_000, "the good target scraped again", () -> api.scalar("count_over_time(up{job=\"good\"}[1h])")
        > before && api.scalar("up{job=\"good\"}") == 1.0);
    assertEquals(200, api.get("/-/healthy").statusCode());
  }

  static JsonObject awaitDown(String address) throws Exception {
    Http.await(5_000, address + " down with an error", () -> {
      JsonObject t = api.target(address);
      return t != null && "down".equals(t.get("health").getAsString()) && !t.get("lastError").getAsString().isEmpty();
    });
    return api.target(address);
  }

  @Test
  void garbageBodyGivesUpZeroAndAParseErrorWhileOtherTargetsStayUp() throws Exception {
    JsonObject t = awaitDown(garbage);
    assertEquals(0.0, api.scalar("up{job=\"garbage\"}"));
    String err = t.get("lastError").getAsString();
    assertTrue(err.startsWith("line 1, column 1: "), "the error says where the body is bad: " + err);
    assertEquals(0, api.result("{job=\"garbage\",__name__!~\"up|scrape_.*\"}").size(), "nothing of the garbage stored");
    assertGoodTargetStillScraped();
  }

  @Test
  void hugeBodyBeyondBodySizeLimitIsRejectedAndNothingOfItStored() throws Exception {
    JsonObject t = awaitDown(huge);
    assertEquals("body size limit exceeded", t.get("lastError").getAsString());
    assertEquals(0.0, api.scalar("up{job=\"huge\"}"));
    assertTrue(api.result("huge_metric").isEmpty(), "a rejected scrape stores no samples");
    assertGoodTargetStillScraped();
  }

  @Test
  void slowTargetBeyondScrapeTimeoutTimesOut() throws Exception {
    JsonObject t = awaitDown(slow);
    String err = t.get("lastError").getAsString();
    assertTrue(err.endsWith("context deadline exceeded"), err);
    assertEquals(0.0, api.scalar("up{job=\"slow\"}"));
    // The timeout cuts the scrape short: its duration stays near the 200 ms timeout, not the 3 s delay.
    assertTrue(api.scalar("scrape_duration_seconds{job=\"slow\"}") < 1.5);
    assertGoodTargetStillScraped();
  }

  @Test
  void malformedPromqlIsBadDataWithPrometheusParseErrorPosition() throws Exception {
    for (String q : new String[] {"sum(up", "up{job=", "rate(up[5m)", "1 +"}) {
      HttpResponse<String> r = api.query(q, "");
      assertEquals(400, r.statusCode(), q + ": " + r.body());
      JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
      assertEquals("error", o.get("status").getAsString());
      assertEquals("bad_data", o.get("errorType").getAsString());
      String err = o.get("error").getAsString();
      assertTrue(err.matches("invalid parameter \"query\": 1:\\d+: parse error: .+"), q + ": " + err);
    }
    assertEquals(400, api.get("/api/v1/query_range?query=" + URLEncoder.encode("sum(", StandardCharsets.UTF_8)
        + "&start=0&end=10&step=1").statusCode());
    assertGoodTargetStillScraped();
  }

  @Test
  void wrongConfigOnReloadIsAnErrorAndTheOldConfigKeepsScraping() throws Exception {
    try {
      Files.writeString(config, configText + "  - job_name: [unclosed\n");
      HttpResponse<String> r = api.post("/-/reload");
      assertEquals(500, r.statusCode(), r.body());
      assertFalse(r.body().isBlank(), "the reload error says what is wrong");
      Files.writeString(config, configText.replace("job_name: good", "job_name: good\n    scrape_interval: nope"));
      r = api.post("/-/reload");
      assertEquals(500, r.statusCode(), r.body());
      assertTrue(r.body().contains("nope"), r.body());
      assertFalse(server.lastReloadSucceeded());
      assertFalse(JsonParser.parseString(api.get("/api/v1/status/runtimeinfo").body()).getAsJsonObject()
          .getAsJsonObject("data").get("reloadConfigSuccess").getAsBoolean(), "runtimeinfo reports the failed reload");
      assertGoodTargetStillScraped();
      assertEquals(4, JsonParser.parseString(api.get("/api/v1/targets").body()).getAsJsonObject()
          .getAsJsonObject("data").getAsJsonArray("activeTargets").size(), "old targets kept");
    } finally {
      Files.writeString(config, configText);
      assertEquals(200, api.post("/-/reload").statusCode());
    }
  }

  @Test
  void queryBeyondMaxSamplesIsExecutionError422(@TempDir Path own) throws Exception {
    try (PromkitServer s = PromkitServer.start(ServerOptions.parse("--config.file=" + own.resolve("none.yml"),
        "--storage.tsdb.path=" + own.resolve("data"), "--web.listen-address=127.0.0.1:0",
        "--query.max-samples=100"))) {
      Appender app = s.tsdb().appender();
      for (int i = 0; i < 1000; i++) {
        app.append(0, Labels.of("__name__", "many"), i * 1000L, i);
      }
      app.commit();
      Http h = new Http(s.port());
      HttpResponse<String> r = h.query("count_over_time(many[1h])", "&time=1000");
      assertEquals(422, r.statusCode(), r.body());
      JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
      assertEquals("execution", o.get("errorType").getAsString());
      assertTrue(o.get("error").getAsString()
          .startsWith("query processing would load too many samples into memory in "), r.body());
      // A query within the limit still works on the same server.
      r = h.query("many", "&time=999");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"999\""), r.body());
    }
  }

  @Test
  void queryBeyondQueryTimeoutIsTimeout503(@TempDir Path own) throws Exception {
    try (PromkitServer s = PromkitServer.start(ServerOptions.parse("--config.file=" + own.resolve("none.yml"),
        "--storage.tsdb.path=" + own.resolve("data"), "--web.listen-address=127.0.0.1:0", "--query.timeout=1ms"))) {
      Appender app = s.tsdb().appender();
      for (int series = 0; series < 50; series++) {
        for (int i = 0; i < 200; i++) {
          app.append(0, Labels.of("__name__", "slowq", "s", Integer.toString(series)), i * 15_000L, i);
        }
      }
      app.commit();
      Http h = new Http(s.port());
      HttpResponse<String> r = h.get("/api/v1/query_range?query="
          + URLEncoder.encode("sum(rate(slowq[5m])) * count(slowq) + sum(slowq)", StandardCharsets.UTF_8)
          + "&start=0&end=3000&step=1");
      assertEquals(503, r.statusCode(), r.body());
      JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
      assertEquals("timeout", o.get("errorType").getAsString());
      assertTrue(o.get("error").getAsString().startsWith("query timed out in "), r.body());
      assertEquals(200, h.get("/-/healthy").statusCode());
      assertEquals(200, h.get("/api/v1/labels").statusCode());
    }
  }
}
