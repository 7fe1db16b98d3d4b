package dev.promkit.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus 2.42 and our server scrape the same target (samples with explicit timestamps, so both
 * store identical data); the same HTTP API requests must give the same JSON, byte for byte (result
 * order normalised only where Prometheus leaves it unspecified).
 */
@Tag("interop")
class ApiDifferentialInteropTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void sameRequestsGiveSameJsonAsPrometheus(@TempDir Path dir) throws Exception {
    Peers.require(Peers.PROMETHEUS);
    // Whole seconds plus 137 ms: no sample sits on a range boundary of the queries below.
    long t0 = (System.currentTimeMillis() / 60_000 - 3) * 60_000 + 137;
    String body = ("# TYPE http_requests_total counter\n"
        + "http_requests_total{code=\"200\",method=\"get\"} 1027 T\n"
        + "http_requests_total{code=\"200\",method=\"post\"} 3 T\n"
        + "http_requests_total{code=\"500\",method=\"get\"} 12.5 T\n"
        + "# TYPE latency_seconds histogram\n"
        + "latency_seconds_bucket{le=\"0.1\"} 10 T\n"
        + "latency_seconds_bucket{le=\"0.5\"} 25 T\n"
        + "latency_seconds_bucket{le=\"+Inf\"} 30 T\n"
        + "latency_seconds_sum 7.25 T\n"
        + "latency_seconds_count 30 T\n"
        + "temperature{room=\"a\"} -3.75 T\n"
        + "temperature{room=\"b\"} 1e-9 T\n"
        + "temperature{room=\"c\"} 123456789012 T\n"
        + "escaped{v=\"<a&b>\"} 1 T\n").replace(" T\n", " " + t0 + "\n");
    HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext("/metrics", ex -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    target.start();
    String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: t\n"
        + "    static_configs:\n      - targets: ['127.0.0.1:" + target.getAddress().getPort() + "']\n"
        // Never scraped successfully (nothing listens there): compared for target labels after relabelling.
        + "  - job_name: relabel\n    scrape_interval: 1h\n    params: {module: [m]}\n"
        + "    static_configs:\n      - targets: ['host-a:1', 'Host-B:1234', '10.0.0.1:80', 'x.example:9']\n"
        + "        labels: {team: core}\n"
        + "    relabel_configs:\n"
        + "      - {source_labels: [__address__], regex: '(.*):(\\d+)', target_label: host, replacement: '${1}'}\n"
        + "      - {source_labels: [__address__], regex: '(.*):(\\d+)', target_label: weird, replacement: '$1x'}\n"
        + "      - {source_labels: [__address__], regex: '(.*):(\\d+)', target_label: port_$2, replacement: 'p'}\n"
        + "      - {source_labels: [__address__], action: hashmod, modulus: 7, target_label: shard}\n"
        + "      - {source_labels: [host], action: lowercase, target_label: host_lc}\n"
        + "      - {source_labels: [host], action: uppercase, target_label: host_uc}\n"
        + "      - {action: labelmap, regex: 'te(am)', replacement: 'copy_$1'}\n"
        + "      - {source_labels: [__address__], target_label: __param_target}\n"
        + "      - {target_label: __metrics_path__, replacement: /probe}\n"
        + "      - {source_labels: [__address__], regex: '10\\..*', action: drop}\n"
        + "      - {source_labels: [host], target_label: host_uc, action: dropequal}\n"
        + "      - {source_labels: [host_lc], target_label: host, action: keepequal}\n"
        + "      - {source_labels: [host, shard], separator: '@', target_label: both}\n"
        + "      - {action: labeldrop, regex: 'host_uc'}\n";
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(cfg, config);
    try (Peer prom = Peer.prometheus(config);
        PromkitServer ours = PromkitServer.start(ServerOptions.parse("--config.file=" + cfg,
            "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0"))) {
      String oursUrl = "http://127.0.0.1:" + ours.port();
      String at = "&time=" + sec(t0 + 30_500);
      awaitSeries(prom.baseUrl(), at);
      awaitSeries(oursUrl, at);
      List<String> requests = new ArrayList<>();
      for (String q : new String[] {"http_requests_total", "sum by (code) (http_requests_total)",
          "http_requests_total{method=\"get\"} * 2", "avg(temperature)", "count(temperature)", "max(temperature)",
          "topk(2, temperature)", "bottomk(1, temperature)", "sort_desc(http_requests_total)",
          "sort(temperature)", "histogram_quantile(0.9, latency_seconds_bucket)",
          "label_replace(temperature, \"r\", \"$1\", \"room\", \"(.*)\")", "scalar(sum(http_requests_total))",
          "time()", "vector(1e-7)", "0.1 + 0.2", "\"a string\"", "temperature > 0", "temperature > bool 0",
          "absent(nope)", "escaped", "latency_seconds_sum / latency_seconds_count",
          "http_requests_total offset 1m", "temperature[1m]", "foo(", "sum(", "rate(temperature)"}) {
        requests.add("/api/v1/query?query=" + enc(q) + at);
      }
      requests.add("/api/v1/query?query=1&time=abc");
      String range = "&start=" + sec(t0 - 45_500) + "&end=" + sec(t0 + 120_500) + "&step=15";
      for (String q : new String[] {"temperature", "sum(http_requests_total)", "time()"}) {
        requests.add("/api/v1/query_range?query=" + enc(q) + range);
      }
      requests.add("/api/v1/query_range?query=temperature&start=10&end=0&step=1");
      requests.add("/api/v1/query_range?query=temperature&start=0&end=10&step=0");
      requests.add("/api/v1/query_range?query=" + enc("temperature[1m]") + range);
      requests.add("/api/v1/series?match[]=temperature&match[]=" + enc("http_requests_total{code=\"500\"}"));
      requests.add("/api/v1/series");
      requests.add("/api/v1/label/room/values");
      requests.add("/api/v1/labels?match[]=temperature");
      List<String> diffs = new ArrayList<>();
      for (String r : requests) {
        String theirs = normalise(r, get(prom.baseUrl() + r));
        String mine = normalise(r, get(oursUrl + r));
        if (!theirs.equals(mine)) {
          diffs.add(r + "\n  prometheus: " + theirs + "\n  promkit:    " + mine);
        }
      }
      // Targets: timing fields differ by nature; everything else must match.
      for (String base : new String[] {prom.baseUrl(), oursUrl}) {
        String other = base.equals(oursUrl) ? prom.baseUrl() : oursUrl;
        JsonObject a = target(base, "t");
        JsonObject b = target(other, "t");
        // Timing, and the outcome of the latest scrape (a loaded machine may time one out), vary by nature.
        for (String k : new String[] {"lastScrape", "lastScrapeDuration", "health", "lastError"}) {
          assertEquals(a.has(k), b.has(k), k);
          a.remove(k);
          b.remove(k);
        }
        if (!a.equals(b)) {
          diffs.add("/api/v1/targets\n  " + base + ": " + a + "\n  " + other + ": " + b);
          break;
        }
      }
      String relabelled = "/api/v1/targets?scrapePool=relabel";
      String theirs = relabelTargets(get(prom.baseUrl() + relabelled).body);
      String mine = relabelTargets(get(oursUrl + relabelled).body);
      // The rules keep host-a and x.example (keepequal drops Host-B, drop removes 10.0.0.1).
      org.junit.jupiter.api.Assertions.assertTrue(theirs.contains("\"instance\":\"host-a:1\"")
          && theirs.contains("\"instance\":\"x.example:9\"") && theirs.contains("\"__address__\":\"Host-B:1234\""),
          theirs);
      if (!theirs.equals(mine)) {
        diffs.add(relabelled + "\n  prometheus: " + theirs + "\n  promkit:    " + mine);
      }
      assertEquals("", String.join("\n", diffs));
    } finally {
      target.stop(0);
    }
  }

  private static JsonObject target(String base, String pool) throws Exception {
    for (JsonElement t : JsonParser.parseString(get(base + "/api/v1/targets").body).getAsJsonObject()
        .getAsJsonObject("data").getAsJsonArray("activeTargets")) {
      if (t.getAsJsonObject().get("scrapePool").getAsString().equals(pool)) {
        return t.getAsJsonObject();
      }
    }
    throw new AssertionError("no target in pool " + pool + " at " + base);
  }

  /** Labels, discovered labels and URLs of active targets, and dropped targets, each sorted. */
  private static String relabelTargets(String body) {
    JsonObject data = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("data");
    List<String> active = new ArrayList<>();
    for (JsonElement t : data.getAsJsonArray("activeTargets")) {
      JsonObject o = t.getAsJsonObject();
      active.add(o.get("labels") + " " + o.get("discoveredLabels") + " " + o.get("scrapeUrl"));
    }
    List<String> dropped = new ArrayList<>();
    for (JsonElement t : data.getAsJsonArray("droppedTargets")) {
      JsonObject d = t.getAsJsonObject().getAsJsonObject("discoveredLabels");
      if (d.has("job") && d.get("job").getAsString().equals("relabel")) {
        dropped.add(d.toString());
      }
    }
    active.sort(null);
    dropped.sort(null);
    return "active " + active + " dropped " + dropped;
  }

  private static void awaitSeries(String base, String at) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      String b = get(base + "/api/v1/query?query=" + enc("count(temperature) + count(escaped)") + at).body;
      if (b.contains("\"4\"")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(base + " never scraped the target");
  }

  private record Answer(int status, String body) {}

  private static Answer get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** Status and body; vector results sorted by metric unless the query sorts (Prometheus leaves that order open). */
  private static String normalise(String request, Answer a) {
    JsonElement e = JsonParser.parseString(a.body);
    if (e.isJsonObject() && e.getAsJsonObject().has("data") && e.getAsJsonObject().get("data").isJsonObject()) {
      JsonObject data = e.getAsJsonObject().getAsJsonObject("data");
      boolean ordered = request.contains("sort") || request.contains("topk") || request.contains("bottomk");
      if (data.has("resultType") && data.get("resultType").getAsString().equals("vector") && !ordered) {
        List<JsonElement> items = new ArrayList<>();
        data.getAsJsonArray("result").forEach(items::add);
        items.sort((x, y) -> x.getAsJsonObject().get("metric").toString()
            .compareTo(y.getAsJsonObject().get("metric").toString()));
        JsonArray sorted = new JsonArray();
        items.forEach(sorted::add);
        data.add("result", sorted);
      }
    }
    return a.status + " " + e;
  }

  private static String sec(long ms) {
    return java.math.BigDecimal.valueOf(ms, 3).toPlainString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
