package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.engine.QueryResult;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
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
 * Differential test of the function library against a real Prometheus (2.42, the Debian package):
 * the same samples go into blocks that {@code promtool} writes and Prometheus serves, and into a
 * {@link MemoryStorage} that promkit's engine reads; every query must give the same labels and
 * values (relative error 1e-9).
 *
 * <p>Known 2.42 vs 3.x differences are kept out by construction: no sample sits on a window
 * boundary (2.42 closes windows on the left, 3.x opens them), and only functions that 2.42 has and
 * whose definition did not change are queried ({@code holt_winters} was renamed, {@code
 * mad_over_time}, {@code ts_of_*}, {@code sort_by_label}, {@code histogram_quantiles} and the
 * {@code anchored}/{@code smoothed} modifiers are 3.x only).
 */
@Tag("interop")
class PrometheusDifferentialTest {
  /** Data starts here (seconds); evaluation times are whole seconds, samples sit at .25/.5/.75 s. */
  private static final long T0 = 1_700_000_000L;

  private static Path dir;
  private static Process prometheus;
  private static int port;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final MemoryStorage STORAGE = new MemoryStorage();
  private static final Engine ENGINE = Engine.builder().build();

  @BeforeAll
  static void start() throws Exception {
    // absent: skipped with a printed reason, or failed under CI=true
    String prometheusBin = Peers.require(Peers.PROMETHEUS).toString();
    String promtoolBin = Peers.require(Peers.PROMTOOL).toString();
    dir = Files.createTempDirectory("promkit-fn-diff");
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
        "--storage.tsdb.retention.time=100y")
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

  /** The data set, as OpenMetrics text for promtool, appended to {@link #STORAGE} on the way. */
  private static String openMetrics() {
    Map<String, StringBuilder> families = new TreeMap<>();
    Appender app = STORAGE.appender();
    // Counters: irregular increments, one reset; the second starts late.
    double c = 0;
    for (int i = 0; i < 120; i++) {
      c = i == 60 ? 3 : c + 1 + (i * 7 % 5);
      add(families, app, "req", "counter", "req_total", "inst=\"1\",job=\"a\"", T0 * 1000 + 2500 + i * 15_000L, c);
    }
    double c2 = 10;
    for (int i = 30; i < 200; i++) {
      c2 += (i % 3) * 0.5;
      add(families, app, "req", "counter", "req_total", "inst=\"2\",job=\"a\"", T0 * 1000 + 7250 + i * 10_000L, c2);
    }
    // A counter with a gap and an early end: exercises the half-interval extrapolation.
    double c3 = 100;
    for (int i = 0; i < 80; i++) {
      if (i > 40 && i < 50) {
        continue;
      }
      c3 += 2 + (i % 4);
      add(families, app, "req", "counter", "req_total", "inst=\"3\",job=\"b\"", T0 * 1000 + 3750 + i * 20_000L, c3);
    }
    // Gauges with negatives.
    for (int i = 0; i < 120; i++) {
      double v = 10 * Math.sin(i / 7.0) + (i % 4) - 1.5;
      add(families, app, "temp", "gauge", "temp", "room=\"x\"", T0 * 1000 + 4750 + i * 15_000L, v);
      add(families, app, "temp", "gauge", "temp", "room=\"y\"", T0 * 1000 + 9750 + i * 15_000L, i * 0.25 - 7);
    }
    // A gauge with NaN values.
    for (int i = 0; i < 120; i++) {
      double v = i % 7 == 3 || i % 11 == 5 ? Double.NaN : (i % 9) - 4;
      add(families, app, "nanny", "gauge", "nanny", "k=\"v\"", T0 * 1000 + 5500 + i * 15_000L, v);
    }
    // A classic histogram.
    double[] les = {0.1, 0.5, 1};
    double[] cum = new double[4];
    for (int i = 0; i < 120; i++) {
      cum[0] += i % 3;
      cum[1] = cum[0] + (i % 5) + cum[1] - cum[0] + 1;
      cum[2] = Math.max(cum[2] + 2, cum[1]);
      cum[3] = cum[2] + (i % 2);
      long t = T0 * 1000 + 1250 + i * 15_000L;
      for (int b = 0; b < 3; b++) {
        add(families, app, "lat", "histogram", "lat_bucket", "job=\"a\",le=\"" + les[b] + "\"", t, cum[b]);
      }
      add(families, app, "lat", "histogram", "lat_bucket", "job=\"a\",le=\"+Inf\"", t, cum[3]);
      add(families, app, "lat", "histogram", "lat_count", "job=\"a\"", t, cum[3]);
      add(families, app, "lat", "histogram", "lat_sum", "job=\"a\"", t, cum[3] * 0.3);
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

  static final List<String> QUERIES = List.of(
      "rate(req_total[1m])", "rate(req_total[5m])", "increase(req_total[3m])", "irate(req_total[2m])",
      "delta(temp[4m])", "idelta(temp[1m])", "deriv(temp[5m])", "predict_linear(temp[5m], 600)",
      "resets(req_total[20m])", "changes(temp[10m])", "avg_over_time(temp[5m])", "sum_over_time(temp[5m])",
      "min_over_time(temp[5m])", "max_over_time(temp[5m])", "count_over_time(temp[5m])",
      "last_over_time(temp[5m])", "stddev_over_time(temp[5m])", "stdvar_over_time(temp[5m])",
      "quantile_over_time(0.3, temp[5m])", "quantile_over_time(0.9, req_total[7m])",
      "present_over_time(temp[1m])",
      "histogram_quantile(0.9, rate(lat_bucket[5m]))", "histogram_quantile(0.5, lat_bucket)",
      "histogram_quantile(0.01, lat_bucket)", "histogram_quantile(1, rate(lat_bucket[2m]))",
      "abs(temp)", "ceil(temp)", "floor(temp)", "round(temp)", "round(temp, 0.3)", "clamp(temp, -1, 1)",
      "clamp_min(temp, 0)", "clamp_max(temp, 0)", "sqrt(abs(temp))", "ln(abs(temp) + 1)", "exp(temp / 10)",
      "log2(abs(temp) + 1)", "log10(abs(temp) + 1)", "sgn(temp)", "sin(temp)", "cos(temp)", "tan(temp)",
      "asin(clamp(temp / 10, -1, 1))", "acos(clamp(temp / 10, -1, 1))", "atan(temp)", "sinh(temp / 5)",
      "cosh(temp / 5)", "tanh(temp)", "asinh(temp)", "acosh(abs(temp) + 1)", "atanh(clamp(temp / 11, -0.99, 0.99))",
      "deg(temp)", "rad(temp)",
      "label_replace(temp, \"r\", \"$1-x\", \"room\", \"(.*)\")",
      "label_replace(temp, \"r\", \"${1}y$2\", \"room\", \"(x)(.*)\")",
      "label_join(req_total, \"j\", \"-\", \"job\", \"inst\")",
      "sort_desc(rate(req_total[5m]))", "sort(temp)", "timestamp(temp)", "hour(timestamp(temp))",
      "minute(timestamp(temp))", "day_of_week()", "day_of_month()", "day_of_year()", "days_in_month()",
      "month()", "year()", "scalar(sum(temp))", "vector(1)", "time()",
      "max_over_time(nanny[2m])", "min_over_time(nanny[2m])", "quantile_over_time(0.5, nanny[3m])",
      "avg_over_time(nanny[1m])", "sum_over_time(nanny[1m])", "changes(nanny[5m])", "resets(nanny[5m])",
      "sort(nanny or temp)", "sort_desc(nanny or temp)", "clamp(nanny, -1, 1)", "round(nanny / 3)", "sgn(nanny)",
      "deriv(nanny[5m])", "rate(nanny[5m])", "irate(nanny[5m])", "stddev_over_time(nanny[2m])");

  @Test
  void everyQueryAgreesWithPrometheus() throws Exception {
    List<String> failures = new ArrayList<>();
    int compared = 0;
    Map<String, Integer> samplesPerQuery = new TreeMap<>();
    for (long at : new long[] {T0 + 600, T0 + 901, T0 + 1234, T0 + 1790}) {
      for (String q : QUERIES) {
        Map<String, Double> theirs = prometheus(q, at);
        Map<String, Double> ours = promkit(q, at);
        compared++;
        samplesPerQuery.merge(q, theirs.size(), Integer::sum);
        String diff = diff(theirs, ours);
        if (diff == null && q.startsWith("sort")
            && !new ArrayList<>(theirs.keySet()).equals(new ArrayList<>(ours.keySet()))) {
          diff = "order differs: prometheus " + theirs.keySet() + " promkit " + ours.keySet();
        }
        if (diff != null) {
          failures.add(q + " @" + (at - T0) + "s: " + diff);
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + compared + " differ:\n" + String.join("\n", failures));
    assertEquals(QUERIES.size() * 4, compared);
    // Guard against comparing nothing with nothing: every query yields samples at some time.
    samplesPerQuery.forEach((q, n) -> assertTrue(n > 0, "no samples at all for " + q));
  }

  /** RE2 constructs that java.util.regex reads differently or not at all, in matchers and label_replace. */
  static final List<String> RE2_QUERIES = List.of(
      "{__name__=~`[[:alpha:]]+_total`}", "{__name__=~`\\pL+`}", "{__name__=~`[\\p{Ll}_]+`, job!~`\\PL`}",
      "lat_bucket{le=~`\\Q0.\\E\\d`}", "lat_bucket{le=~`0\\.\\d+|\\+Inf`}", "temp{room=~`(?i)X`}",
      "temp{room!~`[^x]`}", "req_total{inst=~`\\x31|\\063`}", "req_total{job=~`a$`}", "req_total{job=~`\\bb\\b`}",
      "{__name__=~`(?-s:t.mp)`}", "{__name__=~`n{1}a(n){2}y`}", "temp{room=~`\\p{Latin}`}", "lat_bucket{le=~`[[:^digit:]]+`}",
      "req_total{inst=~`[\\d&&[]`}", "temp{room=~`x{`} or temp{room=~`[x-y]{1,}?`}",
      "label_replace(req_total, \"d\", \"<${d}|$d|$1x>\", \"inst\", `(?P<d>\\d)`)",
      "label_replace(temp, \"u\", \"$1-$2\", \"room\", `(?U)(.+)(.*)`)",
      "label_replace(lat_bucket, \"m\", \"$1\", \"le\", `(?:\\+)?(\\pN+)\\.?.*`)");

  @Test
  void re2MatchersAndLabelReplaceAgreeWithPrometheus() throws Exception {
    List<String> failures = new ArrayList<>();
    for (String q : RE2_QUERIES) {
      Map<String, Double> theirs = prometheus(q, T0 + 600);
      Map<String, Double> ours = promkit(q, T0 + 600);
      assertTrue(!theirs.isEmpty(), "no samples to compare for " + q);
      String diff = diff(theirs, ours);
      if (diff != null) {
        failures.add(q + ": " + diff);
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " differ:\n" + String.join("\n", failures));
  }

  static final List<String> RANGE_QUERIES = List.of(
      "rate(req_total[2m])", "increase(req_total[90s])", "irate(req_total[1m])", "deriv(temp[3m])",
      "avg_over_time(temp[2m])", "stddev_over_time(temp[3m])", "quantile_over_time(0.75, temp[4m])",
      "histogram_quantile(0.75, rate(lat_bucket[3m]))", "label_replace(round(temp, 0.5), \"r\", \"$1\", \"room\", \"(.)\")",
      "changes(temp[3m])", "resets(req_total[5m])", "predict_linear(temp[2m], 30)", "minute(timestamp(temp))");

  @Test
  void rangeQueriesAgreeStepByStep() throws Exception {
    List<String> failures = new ArrayList<>();
    long start = T0 + 200;
    long end = T0 + 1700;
    long step = 37;
    for (String q : RANGE_QUERIES) {
      Map<String, Double> theirs = prometheusRange(q, start, end, step);
      Map<String, Double> ours = new TreeMap<>();
      QueryResult r = ENGINE.rangeQuery(STORAGE, q, start * 1000, end * 1000, step * 1000);
      for (dev.promkit.promql.value.Series series : (dev.promkit.promql.value.Matrix) r.value()) {
        for (dev.promkit.promql.value.FPoint p : series.floats()) {
          ours.put(series.metric() + "@" + p.t(), p.f());
        }
      }
      assertTrue(theirs.size() > 10, "too few points to compare for " + q + ": " + theirs.size());
      String diff = diff(theirs, ours);
      if (diff != null) {
        failures.add(q + ": " + diff);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private static Map<String, Double> prometheusRange(String q, long start, long end, long step) throws Exception {
    String url = "http://127.0.0.1:" + port + "/api/v1/query_range?query="
        + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end + "&step=" + step;
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    if (!"success".equals(body.get("status").getAsString())) {
      fail("prometheus rejected " + q + ": " + r.body());
    }
    Map<String, Double> out = new TreeMap<>();
    for (JsonElement el : body.getAsJsonObject("data").getAsJsonArray("result")) {
      JsonObject o = el.getAsJsonObject();
      Labels.Builder b = new Labels.Builder();
      for (Map.Entry<String, JsonElement> m : o.getAsJsonObject("metric").entrySet()) {
        b.set(m.getKey(), m.getValue().getAsString());
      }
      String key = b.build().toString();
      for (JsonElement v : o.getAsJsonArray("values")) {
        JsonArray pair = v.getAsJsonArray();
        long t = Math.round(pair.get(0).getAsDouble() * 1000);
        out.put(key + "@" + t, parse(pair.get(1).getAsString()));
      }
    }
    return out;
  }

  private static String diff(Map<String, Double> theirs, Map<String, Double> ours) {
    if (!theirs.keySet().equals(ours.keySet())) {
      return "labels differ: prometheus " + theirs.keySet() + " promkit " + ours.keySet();
    }
    for (Map.Entry<String, Double> e : theirs.entrySet()) {
      double a = e.getValue();
      double b = ours.get(e.getKey());
      if (!close(a, b)) {
        return e.getKey() + ": prometheus " + a + " promkit " + b;
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

  private static Map<String, Double> prometheus(String q, long atSeconds) throws Exception {
    String url = "http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&time=" + atSeconds;
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    if (!"success".equals(body.get("status").getAsString())) {
      fail("prometheus rejected " + q + ": " + r.body());
    }
    JsonObject data = body.getAsJsonObject("data");
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    if ("scalar".equals(data.get("resultType").getAsString())) {
      out.put("scalar", parse(data.getAsJsonArray("result").get(1).getAsString()));
      return out;
    }
    for (JsonElement el : data.getAsJsonArray("result")) {
      JsonObject o = el.getAsJsonObject();
      Labels.Builder b = new Labels.Builder();
      for (Map.Entry<String, JsonElement> m : o.getAsJsonObject("metric").entrySet()) {
        b.set(m.getKey(), m.getValue().getAsString());
      }
      JsonArray value = o.getAsJsonArray("value");
      out.put(b.build().toString(), parse(value.get(1).getAsString()));
    }
    return out;
  }

  private static double parse(String s) {
    return GoFloat.parse(s);
  }

  private static Map<String, Double> promkit(String q, long atSeconds) {
    QueryResult r = ENGINE.instantQuery(STORAGE, q, atSeconds * 1000);
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    if (r.value() instanceof Scalar) {
      out.put("scalar", ((Scalar) r.value()).v());
      return out;
    }
    for (Sample s : (Vector) r.value()) {
      out.put(s.metric().toString(), s.f());
    }
    return out;
  }
}
