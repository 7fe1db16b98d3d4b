package dev.promkit.promql.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.Vector;
import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.MemoryStorage;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the engine (selectors, offsets, {@code @}, subqueries, operators, vector
 * matching, aggregations) against a real Prometheus 2.42: the same samples go into blocks that
 * {@code promtool} writes and Prometheus serves, and into a {@link MemoryStorage}; instant and range
 * queries must agree on labels and values.
 *
 * <p>Known 2.42 vs 3.x differences are kept out by construction: no sample or subquery step sits on
 * a window or lookback boundary (samples at .25/.5/.75 s, subquery steps at whole seconds,
 * evaluation times at .1 s: 2.42 closes windows on the left and so also takes a subquery step that
 * falls on the window start), and no query relies on 3.x-only behaviour (delayed name removal is
 * only visible where 2.42 errors or keeps the name of {@code last_over_time}; neither is queried).
 * Where Prometheus answers with an error, promkit must fail with the same message.
 *
 * <p>Named difference: 2.42 keeps the metric name on {@code vector atan2 scalar}; 3.x drops it as
 * for every other arithmetic operator ({@link #NAME_KEPT_BY_2_42}), and promkit follows 3.x.
 */
@Tag("interop")
class EngineDifferentialTest {
  private static final long T0 = 1_700_000_000L;

  private static Path dir;
  private static Process prometheus;
  private static int port;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final MemoryStorage STORAGE = new MemoryStorage();
  private static final Engine ENGINE = Engine.builder().build();

  static final List<String> INSTANT = List.of(
      // selectors, offset, @
      "req_total", "req_total{job=~\"a|b\", inst!=\"2\"}", "{__name__=~\"req_.*|temp\", job!=\"b\"}",
      "req_total offset 5m", "temp offset -2m", "req_total @ " + (T0 + 300), "rate(req_total[5m] offset 3m)",
      "rate(req_total[5m] @ " + (T0 + 700) + ")",
      // subqueries
      "sum_over_time(temp[10m:1m])", "max_over_time(rate(req_total[2m])[10m:30s])",
      "avg_over_time(temp[5m:] offset 2m)", "min_over_time(sum by (job) (req_total)[7m:45s])",
      "rate(req_total[5m:15s])",
      // operators
      "req_total + 1", "2 * temp", "temp / 0", "temp % 3", "temp ^ 2", "temp atan2 1", "-temp", "1 - 2 * 3 ^ 2",
      "temp > 0", "temp > bool 0", "0 < temp", "temp == bool temp", "req_total != 5",
      "req_total / on(job) group_left sum by (job) (req_total)",
      "req_total - ignoring(inst) group_left avg without (inst) (req_total)",
      "sum by (job) (req_total) * on(job) group_right req_total",
      "req_total{inst=\"1\"} + on(job) req_total{inst=\"3\"}",
      "req_total + ignoring(inst) req_total{inst=\"3\"}",
      "temp and temp > 0", "temp or req_total", "req_total unless on(job) req_total{job=\"b\"}",
      "req_total and on(job) temp", "(temp > 0) or (req_total > 1e9)",
      // aggregations
      "sum(req_total)", "sum by (job) (rate(req_total[5m]))", "avg without (inst) (req_total)", "count(temp)",
      "min(temp)", "max by (room) (temp)", "stddev(temp)", "stdvar(req_total)", "quantile(0.3, temp)",
      "quantile by (job) (0.75, req_total)", "topk(2, req_total)", "bottomk(1, temp)", "topk by (job) (1, req_total)",
      "count_values(\"v\", round(temp))", "group by (job) (req_total)", "sum without (le) (lat_bucket)",
      "avg(temp) + sum(req_total)", "count(req_total > 100) or vector(0)",
      // functions the evaluator itself handles
      "absent(nonexistent{job=\"a\"})", "absent(req_total)", "absent_over_time(nonexistent[5m])",
      "timestamp(req_total)", "timestamp(temp @ " + (T0 + 700) + ")", "scalar(req_total)",
      "scalar(sum(req_total)) + temp", "vector(time()) - 1",
      "count_over_time(temp[1m] offset -1m)", "sum by (job) (req_total) > bool 500",
      "sum(req_total) by (job) / ignoring(job) group_left sum(req_total)");

  /** Queries where 2.42 keeps {@code __name__} and 3.x (and promkit) drop it; compared without it. */
  static final java.util.Set<String> NAME_KEPT_BY_2_42 = java.util.Set.of("temp atan2 1");

  static final List<String> RANGE = List.of(
      "sum by (job) (rate(req_total[2m]))", "temp > 0", "topk(1, temp)", "req_total offset 1m",
      "max_over_time(temp[3m:20s])", "req_total / on(job) group_left sum by (job) (req_total)", "-temp",
      "temp @ " + (T0 + 500), "scalar(sum(temp)) * 2", "timestamp(req_total)", "absent(req_total{inst=\"5\"})",
      "absent_over_time(req_total{inst=\"5\"}[1m])", "rate(req_total[1m:10s])", "req_total unless on(job) temp",
      "count_values(\"v\", floor(temp / 5))", "quantile(0.9, temp)", "bottomk(2, req_total)");

  @BeforeAll
  static void start() throws Exception {
    // absent: skipped with a printed reason, or failed under CI=true
    String prometheusBin = Peers.require(Peers.PROMETHEUS).toString();
    String promtoolBin = Peers.require(Peers.PROMTOOL).toString();
    dir = Files.createTempDirectory("promkit-engine-diff");
    Path om = dir.resolve("data.om");
    Files.writeString(om, openMetrics());
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    run(promtoolBin, "tsdb", "create-blocks-from", "openmetrics", om.toString(), data.toString());
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\n");
    port = Peers.freePort();
    prometheus = new ProcessBuilder(prometheusBin, "--config.file=" + config,
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + data,
        "--storage.tsdb.retention.time=100y", "--enable-feature=promql-negative-offset,promql-at-modifier")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline || !prometheus.isAlive()) {
        fail("prometheus did not become ready; log:\n" + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (dir != null) {
        try (Stream<Path> w = Files.walk(dir)) {
          w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** The data set as OpenMetrics text for promtool; appended to {@link #STORAGE} on the way. */
  private static String openMetrics() {
    Map<String, StringBuilder> families = new TreeMap<>();
    Appender app = STORAGE.appender();
    String[][] counters = {{"1", "a"}, {"2", "a"}, {"3", "b"}, {"4", "b"}, {"5", "c"}};
    for (int k = 0; k < counters.length; k++) {
      double c = k * 10;
      for (int i = 0; i < 150; i++) {
        if (k == 4 && i > 60 && i < 90) {
          continue; // a gap longer than the lookback delta
        }
        c = (k == 1 && i == 70) ? 2 : c + 1 + ((i * (k + 3)) % 7);
        add(families, app, "req", "counter", "req_total",
            "inst=\"" + counters[k][0] + "\",job=\"" + counters[k][1] + "\"", T0 * 1000 + 250 + k * 2000 + i * 15_000L, c);
      }
    }
    String[] rooms = {"x", "y", "z"};
    for (int k = 0; k < rooms.length; k++) {
      for (int i = 0; i < 150; i++) {
        double v = 10 * Math.sin(i / (5.0 + k)) + (i % 4) - 1.5 * k;
        add(families, app, "temp", "gauge", "temp", "room=\"" + rooms[k] + "\"", T0 * 1000 + 750 + k * 3000 + i * 15_000L, v);
      }
    }
    double[] les = {0.1, 1};
    for (int i = 0; i < 150; i++) {
      long t = T0 * 1000 + 500 + i * 15_000L;
      add(families, app, "lat", "histogram", "lat_bucket", "job=\"a\",le=\"" + les[0] + "\"", t, i);
      add(families, app, "lat", "histogram", "lat_bucket", "job=\"a\",le=\"" + les[1] + "\"", t, 2 * i);
      add(families, app, "lat", "histogram", "lat_bucket", "job=\"a\",le=\"+Inf\"", t, 3 * i);
      add(families, app, "lat", "histogram", "lat_count", "job=\"a\"", t, 3 * i);
      add(families, app, "lat", "histogram", "lat_sum", "job=\"a\"", t, i * 0.7);
    }
    app.commit();
    StringBuilder sb = new StringBuilder();
    families.values().forEach(sb::append);
    return sb.append("# EOF\n").toString();
  }

  private static void add(Map<String, StringBuilder> families, Appender app, String family, String type,
      String name, String labels, long tMillis, double v) {
    StringBuilder sb = families.computeIfAbsent(family, k -> new StringBuilder("# TYPE " + k + " " + type + "\n"));
    sb.append(name).append('{').append(labels).append("} ")
        .append(String.format(Locale.ROOT, "%.17g", v)).append(' ')
        .append(tMillis / 1000).append('.').append(String.format(Locale.ROOT, "%03d", tMillis % 1000)).append('\n');
    Labels.Builder b = new Labels.Builder().set(Labels.METRIC_NAME, name);
    for (String kv : labels.split(",")) {
      int eq = kv.indexOf('=');
      b.set(kv.substring(0, eq), kv.substring(eq + 2, kv.length() - 1));
    }
    app.append(0, b.build(), tMillis, v);
  }

  @Test
  void instantQueriesAgreeWithPrometheus() throws Exception {
    List<String> failures = new ArrayList<>();
    int nonEmpty = 0;
    for (long atMs : new long[] {(T0 + 600) * 1000 + 100, (T0 + 1201) * 1000 + 100, (T0 + 1500) * 1000 + 100,
        (T0 + 2100) * 1000 + 100}) {
      String at = seconds(atMs);
      for (String q : INSTANT) {
        Object theirs = prometheus("query", q, "&time=" + at);
        Object ours;
        try {
          ours = flatten(ENGINE.instantQuery(STORAGE, q, atMs).value());
        } catch (PromQLException e) {
          ours = "error: " + e.getMessage();
        }
        nonEmpty += theirs instanceof Map && !((Map<?, ?>) theirs).isEmpty() ? 1 : 0;
        String d = diff(theirs, ours);
        if (d != null) {
          failures.add(q + " @" + at + ": " + d);
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " instant queries differ:\n" + String.join("\n", failures));
    assertTrue(nonEmpty > INSTANT.size() * 3, "too few queries returned data: " + nonEmpty);
  }

  @Test
  void rangeQueriesAgreeWithPrometheus() throws Exception {
    List<String> failures = new ArrayList<>();
    long start = (T0 + 300) * 1000 + 100;
    long end = (T0 + 2000) * 1000 + 100;
    for (String q : RANGE) {
      Object theirs = prometheus("query_range", q, "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=37");
      Object ours = flatten(ENGINE.rangeQuery(STORAGE, q, start, end, 37_000).value());
      String d = diff(theirs, ours);
      if (d != null) {
        failures.add(q + ": " + d);
      }
      assertTrue(theirs instanceof Map && !((Map<?, ?>) theirs).isEmpty(), "no data for " + q);
    }
    assertTrue(failures.isEmpty(), failures.size() + " range queries differ:\n" + String.join("\n", failures));
  }

  /** Result as label string to values (one per point; timestamps folded into the key). */
  private static Map<String, List<Double>> flatten(Object v) {
    Map<String, List<Double>> out = new TreeMap<>();
    if (v instanceof Scalar) {
      out.put("scalar", List.of(((Scalar) v).v()));
    } else if (v instanceof Vector) {
      for (Sample s : (Vector) v) {
        out.put(s.metric().toString(), List.of(s.f()));
      }
    } else {
      for (Series s : (Matrix) v) {
        List<Double> vals = new ArrayList<>();
        for (FPoint p : s.floats()) {
          vals.add((double) p.t());
          vals.add(p.f());
        }
        out.put(s.metric().toString(), vals);
      }
    }
    return out;
  }

  private static String seconds(long ms) {
    return (ms / 1000) + "." + String.format(Locale.ROOT, "%03d", ms % 1000);
  }

  /** The result as by {@link #flatten}, or "error: message". */
  private static Object prometheus(String api, String q, String params) throws Exception {
    String url = "http://127.0.0.1:" + port + "/api/v1/" + api + "?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
        + params;
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    if (!"success".equals(body.get("status").getAsString())) {
      return "error: " + body.get("error").getAsString();
    }
    JsonObject data = body.getAsJsonObject("data");
    Map<String, List<Double>> out = new TreeMap<>();
    String type = data.get("resultType").getAsString();
    if ("scalar".equals(type)) {
      out.put("scalar", List.of(parse(data.getAsJsonArray("result").get(1).getAsString())));
      return out;
    }
    for (JsonElement el : data.getAsJsonArray("result")) {
      JsonObject o = el.getAsJsonObject();
      Labels.Builder b = new Labels.Builder();
      for (Map.Entry<String, JsonElement> m : o.getAsJsonObject("metric").entrySet()) {
        if (!(NAME_KEPT_BY_2_42.contains(q) && m.getKey().equals(Labels.METRIC_NAME))) {
          b.set(m.getKey(), m.getValue().getAsString());
        }
      }
      List<Double> vals = new ArrayList<>();
      if ("vector".equals(type)) {
        vals.add(parse(o.getAsJsonArray("value").get(1).getAsString()));
      } else {
        for (JsonElement p : o.getAsJsonArray("values")) {
          JsonArray pa = p.getAsJsonArray();
          vals.add((double) Math.round(pa.get(0).getAsDouble() * 1000));
          vals.add(parse(pa.get(1).getAsString()));
        }
      }
      out.put(b.build().toString(), vals);
    }
    return out;
  }

  private static double parse(String s) {
    switch (s) {
      case "+Inf": return Double.POSITIVE_INFINITY;
      case "-Inf": return Double.NEGATIVE_INFINITY;
      case "NaN": return Double.NaN;
      default: return Double.parseDouble(s);
    }
  }

  @SuppressWarnings("unchecked")
  private static String diff(Object theirsObj, Object oursObj) {
    if (theirsObj instanceof String || oursObj instanceof String) {
      return theirsObj.equals(oursObj) ? null : "prometheus " + theirsObj + ", promkit " + oursObj;
    }
    Map<String, List<Double>> theirs = (Map<String, List<Double>>) theirsObj;
    Map<String, List<Double>> ours = (Map<String, List<Double>>) oursObj;
    if (!theirs.keySet().equals(ours.keySet())) {
      return "series differ: prometheus " + theirs.keySet() + " promkit " + ours.keySet();
    }
    for (Map.Entry<String, List<Double>> e : theirs.entrySet()) {
      List<Double> a = e.getValue();
      List<Double> b = ours.get(e.getKey());
      if (a.size() != b.size()) {
        return e.getKey() + ": prometheus " + a + " promkit " + b;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!close(a.get(i), b.get(i))) {
          return e.getKey() + ": prometheus " + a + " promkit " + b;
        }
      }
    }
    return null;
  }

  static boolean close(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b);
    }
    if (a == b) {
      return true;
    }
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-12;
  }
}
