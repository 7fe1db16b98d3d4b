package dev.promkit.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.client.defaults.DefaultMetrics;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.metrics.Histogram;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.net.InetAddress;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus 2.42 and our server scrape the same two targets with the same config for a
 * few 1 s intervals: an application instrumented with our client (served by its MetricsServer, one
 * counter ticking all the time) and the real node_exporter. Both must store the same series, and
 * the real promtool, pointed at our server, must print what Prometheus' own API holds.
 *
 * <p>Known differences, left out of the comparison (and nothing else is): the two servers scrape
 * at different moments, so a value that moved during the run is compared only for counters (ours
 * must lie between Prometheus' values 3.5 s either side), and gauges that moved (free memory,
 * load, the JVM's heap, each server's own {@code scrape_duration_seconds}) are compared for
 * presence only. {@code jvm_threads_state} is compared for presence only too: the application
 * shares its JVM with our server, whose scrape thread is RUNNABLE exactly when our server scrapes. Series sets, label sets and every value that stayed put must be identical.
 */
@Tag("interop")
class ScrapeSideBySideInteropTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final double TICKS_PER_SECOND = 20;

  @Test
  void prometheusAndPromkitStoreTheSameSeriesAndValues(@TempDir Path dir) throws Exception {
    Peers.require(Peers.PROMETHEUS);
    Peers.require(Peers.PROMTOOL);
    Peers.require(Peers.NODE_EXPORTER);

    Registry reg = new Registry();
    DefaultMetrics.register(reg);
    Counter requests = Counter.builder().name("app_requests_total").help("Requests handled.")
        .labelNames("method", "code").register(reg);
    requests.labelValues("GET", "200").inc(1027);
    requests.labelValues("POST", "500").inc(3);
    Counter ticks = Counter.builder().name("app_ticks_total").help("Ticks, 20 per second.").register(reg);
    Gauge.builder().name("app_temperature_celsius").help("Temperature.").labelNames("room").register(reg)
        .labelValues("a b \"quoted\"").set(-3.75);
    Histogram latency = Histogram.builder().name("app_latency_seconds").help("Latency.")
        .buckets(0.1, 0.5, 1).register(reg);
    for (double v : new double[] {0.05, 0.2, 0.7, 3}) {
      latency.observe(v);
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    ticker.scheduleAtFixedRate(ticks::inc, 0, (long) (1000 / TICKS_PER_SECOND), TimeUnit.MILLISECONDS);

    try (MetricsServer app = MetricsServer.builder().registry(reg).port(0)
            .bindAddress(InetAddress.getLoopbackAddress()).start();
        Peer node = Peer.nodeExporter()) {
      String appAddr = "127.0.0.1:" + app.getPort();
      String nodeAddr = "127.0.0.1:" + node.port();
      String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  external_labels: {}\n"
          + "scrape_configs:\n"
          + "  - job_name: app\n    static_configs:\n      - targets: ['" + appAddr + "']\n"
          + "        labels: {env: test}\n"
          + "  - job_name: node\n    static_configs:\n      - targets: ['" + nodeAddr + "']\n";
      Path cfg = dir.resolve("prometheus.yml");
      Files.writeString(cfg, config);
      try (Peer prom = Peer.prometheus(config);
          PromkitServer ours = PromkitServer.start(ServerOptions.parse("--config.file=" + cfg,
              "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0"))) {
        String oursUrl = "http://127.0.0.1:" + ours.port();
        String promUrl = prom.baseUrl();
        long t0 = System.currentTimeMillis();
        // A few scrapes on both: every target up on both, five scrapes of each seen by each.
        awaitScrapes(promUrl, 5);
        awaitScrapes(oursUrl, 5);
        long end = System.currentTimeMillis();

        // 1. The same series, label set for label set.
        for (String job : List.of("app", "node")) {
          String match = "{job=\"" + job + "\"}";
          Set<String> theirs = series(promUrl, match, t0, end);
          Set<String> mine = series(oursUrl, match, t0, end);
          assertTrue(theirs.size() > (job.equals("node") ? 100 : 20), job + ": " + theirs.size() + " series");
          assertEquals(theirs, mine, "series of job " + job);
        }

        // 2. Values at one evaluation time, 4 s ago (so that Prometheus has scraped after it too).
        Thread.sleep(4000);
        long at = System.currentTimeMillis() / 1000 - 4;
        String all = "{job=~\"app|node\"}";
        Map<String, Double> theirs = instant(promUrl, all, at);
        Map<String, Double> mine = instant(oursUrl, all, at);
        assertEquals(theirs.keySet(), mine.keySet(), "series with a sample in the lookback window");
        // Raw samples of the whole run (names kept), up to 4 s after `at`.
        String span = ((at + 4) * 1000 - t0) / 1000 + 1 + "s";
        Map<String, List<double[]>> theirRun = samples(promUrl, all + "[" + span + "]", at + 4);
        Map<String, List<double[]>> myRun = samples(oursUrl, all + "[" + span + "]", at + 4);
        List<String> wrong = new ArrayList<>();
        int exact = 0;
        int bracketed = 0;
        for (Map.Entry<String, Double> e : theirs.entrySet()) {
          String k = e.getKey();
          double a = e.getValue();
          double b = mine.get(k);
          List<double[]> tr = theirRun.get(k);
          if (dependsOnScraper(k)) {
            continue;
          }
          if (isConstant(tr) && isConstant(myRun.get(k))) {
            // Did not change during the run on either server: equal to the bit.
            exact++;
            if (Double.doubleToLongBits(a) != Double.doubleToLongBits(b)) {
              wrong.add(k + ": prometheus " + a + ", promkit " + b + " (constant)");
            }
          } else if (isCounter(k)) {
            // A moving counter: ours lies between Prometheus' values 3.5 s either side of `at` (each
            // server scrapes once a second, a loaded machine delays some scrapes, a counter only grows).
            bracketed++;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] tv : tr) {
              if (Math.abs(tv[0] - at) <= 3.5) {
                min = Math.min(min, tv[1]);
                max = Math.max(max, tv[1]);
              }
            }
            if (b < min || b > max) {
              wrong.add(k + ": promkit " + b + " outside prometheus' [" + min + ", " + max + "] around it");
            }
          }
          // Other gauges that moved (free memory, load, scrape durations, JVM heap...): no value check.
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " values differ:\n" + String.join("\n", wrong));
        System.out.println("side by side: " + theirs.size() + " series, " + exact + " constant and equal, "
            + bracketed + " moving counters bracketed");
        assertTrue(exact > 100 && bracketed > 20, exact + " constant series, " + bracketed + " moving counters");
        assertEquals(1027.0, mine.get(key("app_requests_total", "app", appAddr, "code", "200", "env", "test",
            "method", "GET")), mine.keySet().toString());

        // 3. The real promtool against our server.
        Peers.Result r = Peers.run(Peers.PROMTOOL, new byte[0], 30, "query", "instant", oursUrl, "up");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("up{env=\"test\", instance=\"" + appAddr + "\", job=\"app\"} => 1 @["),
            r.output());
        assertTrue(r.output().contains("up{instance=\"" + nodeAddr + "\", job=\"node\"} => 1 @["), r.output());

        // Range queries from after both servers' first scrape (five scrapes 1 s apart lie before
        // end): constant series print identically, the ticking counter within 2 s of ticks at every step.
        long from = (end / 1000) - 2;
        long to = System.currentTimeMillis() / 1000;
        for (String expr : List.of("app_temperature_celsius", "app_requests_total",
            "app_latency_seconds_bucket", "node_memory_MemTotal_bytes", "count by (job) (up)")) {
          String a = promtoolRange(promUrl, expr, from, to);
          String b = promtoolRange(oursUrl, expr, from, to);
          assertTrue(b.contains("=>"), expr + ": " + b);
          assertEquals(a, b, "promtool query range " + expr);
        }
        Map<Long, Double> tickA = rangeValues(promtoolRange(promUrl, "app_ticks_total", from, to));
        Map<Long, Double> tickB = rangeValues(promtoolRange(oursUrl, "app_ticks_total", from, to));
        assertEquals(tickA.keySet(), tickB.keySet(), "steps of app_ticks_total");
        for (Map.Entry<Long, Double> e : tickA.entrySet()) {
          assertTrue(Math.abs(e.getValue() - tickB.get(e.getKey())) <= 2 * TICKS_PER_SECOND,
              "app_ticks_total at " + e.getKey() + ": prometheus " + e.getValue() + ", promkit "
                  + tickB.get(e.getKey()));
        }
      }
    } finally {
      ticker.shutdownNow();
    }
  }

  /** Waits until every target of both jobs has at least {@code n} samples of up == 1 on this server. */
  private static void awaitScrapes(String url, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    String q = "count(count_over_time(up{job=~\"app|node\"}[1m]) >= " + n + " and up == 1)";
    while (true) {
      JsonArray r = query(url, q, System.currentTimeMillis() / 1000.0);
      if (r.size() == 1 && r.get(0).getAsJsonObject().get("value").getAsJsonArray().get(1).getAsString()
          .equals("2")) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(url + " did not scrape both targets " + n + " times: " + r);
      }
      Thread.sleep(200);
    }
  }

  private static Set<String> series(String url, String match, long startMs, long endMs) throws Exception {
    JsonObject o = get(url + "/api/v1/series?match[]=" + enc(match) + "&start=" + startMs / 1000.0 + "&end="
        + endMs / 1000.0);
    Set<String> out = new TreeSet<>();
    for (JsonElement e : o.getAsJsonArray("data")) {
      out.add(key(e.getAsJsonObject()));
    }
    return out;
  }

  private static Map<String, Double> instant(String url, String expr, long atSeconds) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    for (JsonElement e : query(url, expr, atSeconds)) {
      JsonObject o = e.getAsJsonObject();
      out.put(key(o.getAsJsonObject("metric")), parseValue(o.getAsJsonArray("value").get(1).getAsString()));
    }
    return out;
  }

  /** The samples of a range-vector selector, per series: {seconds, value} pairs. */
  private static Map<String, List<double[]>> samples(String url, String selector, long atSeconds) throws Exception {
    Map<String, List<double[]>> out = new TreeMap<>();
    for (JsonElement e : query(url, selector, atSeconds)) {
      JsonObject o = e.getAsJsonObject();
      List<double[]> l = new ArrayList<>();
      for (JsonElement p : o.getAsJsonArray("values")) {
        JsonArray tv = p.getAsJsonArray();
        l.add(new double[] {tv.get(0).getAsDouble(), parseValue(tv.get(1).getAsString())});
      }
      out.put(key(o.getAsJsonObject("metric")), l);
    }
    return out;
  }

  private static boolean isConstant(List<double[]> run) {
    if (run == null || run.isEmpty()) {
      return false;
    }
    for (double[] tv : run) {
      if (Double.doubleToLongBits(tv[1]) != Double.doubleToLongBits(run.get(0)[1])) {
        return false;
      }
    }
    return true;
  }

  private static JsonArray query(String url, String expr, double at) throws Exception {
    return get(url + "/api/v1/query?query=" + enc(expr) + "&time=" + at).getAsJsonObject("data")
        .getAsJsonArray("result");
  }

  private static JsonObject get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  /** A series' labels as one sortable string: {@code name{a="1", b="2"}}. */
  private static String key(JsonObject labels) {
    TreeMap<String, String> m = new TreeMap<>();
    for (Map.Entry<String, JsonElement> e : labels.entrySet()) {
      m.put(e.getKey(), e.getValue().getAsString());
    }
    String name = m.remove("__name__");
    StringBuilder sb = new StringBuilder(name == null ? "" : name).append('{');
    m.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\", "));
    return sb.append('}').toString();
  }

  private static String key(String name, String job, String instance, String... more) {
    JsonObject o = new JsonObject();
    o.addProperty("__name__", name);
    o.addProperty("job", job);
    o.addProperty("instance", instance);
    for (int i = 0; i < more.length; i += 2) {
      o.addProperty(more[i], more[i + 1]);
    }
    return key(o);
  }

  private static double parseValue(String s) {
    switch (s) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(s);
    }
  }

  /** A counter by its name (OpenMetrics and node_exporter naming): monotonic between scrapes. */
  /**
   * The application runs in this JVM, next to our server. While our server scrapes it, our scrape
   * thread is RUNNABLE (a socket read); while Prometheus scrapes it, that thread sleeps. So the
   * RUNNABLE and TIMED_WAITING counts each server stores differ by one systematically, even when
   * both stay constant.
   */
  private static boolean dependsOnScraper(String key) {
    return key.startsWith("jvm_threads_state{");
  }

  private static boolean isCounter(String key) {
    String name = key.substring(0, key.indexOf('{'));
    return name.endsWith("_total") || name.endsWith("_count") || name.endsWith("_bucket")
        || name.endsWith("_sum") && !name.startsWith("go_gc_duration");
  }

  private static String promtoolRange(String url, String expr, long from, long to) throws Exception {
    Peers.Result r = Peers.run(Peers.PROMTOOL, new byte[0], 30, "query", "range", "--start=" + from,
        "--end=" + to, "--step=1s", url, expr);
    assertEquals(0, r.exitCode(), url + " " + expr + ": " + r.output());
    return r.output();
  }

  private static final Pattern POINT = Pattern.compile("(\\S+) @\\[(\\d+)(?:\\.\\d+)?\\]");

  private static Map<Long, Double> rangeValues(String promtoolOutput) {
    Map<Long, Double> out = new TreeMap<>();
    Matcher m = POINT.matcher(promtoolOutput);
    while (m.find()) {
      out.put(Long.parseLong(m.group(2)), parseValue(m.group(1)));
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
