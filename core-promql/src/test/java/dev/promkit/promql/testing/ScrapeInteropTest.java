package dev.promkit.promql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.metrics.Histogram;
import dev.promkit.client.metrics.Summary;
import dev.promkit.client.registry.Registry;
import dev.promkit.promql.value.Sample;
import dev.promkit.testing.peers.Peer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The harness' scrape against the real thing: a registry served by {@code MetricsServer} and scraped
 * by Prometheus 2.42 every second, and the same registry scraped by the harness, must give the same
 * series (names and labels, with the same job/instance) and the same values.
 */
@Tag("interop")
class ScrapeInteropTest {
  private static final String JOB = "interop";

  @Test
  void harnessStoresTheSameSeriesAndValuesAsPrometheus() throws Exception {
    Registry registry = new Registry();
    Counter c = Counter.builder().name("orders").help("Orders.").labelNames("shop").register(registry);
    c.labelValues("berlin").inc(7);
    c.labelValues("paris").inc(0.5);
    Gauge g = Gauge.builder().name("queue_depth_items").help("Depth.").unit("items").register(registry);
    g.set(-3.25);
    Summary s = Summary.builder().name("payload_bytes").help("Payloads.").quantile(0.5).quantile(0.9)
        .register(registry);
    Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").buckets(0.01, 0.1, 1, 10)
        .labelNames("route").register(registry);
    for (int i = 1; i <= 100; i++) {
      s.observe(i * 10);
      h.labelValues("/a").observe(i / 50.0);
    }
    h.labelValues("/b").observe(0.005);

    try (MetricsServer server = MetricsServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
        .registry(registry).start()) {
      String instance = "127.0.0.1:" + server.getPort();
      String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
          + "scrape_configs:\n  - job_name: " + JOB + "\n    static_configs:\n      - targets: ['" + instance + "']\n";
      try (Peer prom = Peer.prometheus(config);
          PromQLTestHarness harness = PromQLTestHarness.create(TestClock.at(Instant.now()))) {
        harness.addTarget(JOB, instance, registry);
        harness.scrape();
        // Two scrapes by Prometheus: the second one's scrape_series_added is 0, as the harness' next one.
        prom.await(Duration.ofSeconds(30), "two scrapes of " + instance, p -> {
          Map<String, Double> r = query(p, "scrape_series_added{job=\"" + JOB + "\"}");
          return r.size() == 1 && r.values().iterator().next() == 0 ? r : null;
        });
        Map<String, Double> fromPrometheus = query(prom, "{job=\"" + JOB + "\"}");
        harness.advance(Duration.ofSeconds(1));
        harness.scrape();
        Map<String, Double> fromHarness = new TreeMap<>();
        for (Sample x : harness.query("{job=\"" + JOB + "\"}").vector()) {
          fromHarness.put(Format.labels(x.metric()), x.f());
        }
        // Only the measured scrape duration differs: the harness stores 0.
        String duration = "scrape_duration_seconds{instance=\"" + instance + "\", job=\"" + JOB + "\"}";
        assertTrue(fromPrometheus.remove(duration) > 0, "Prometheus measured a scrape duration");
        assertEquals(0.0, fromHarness.remove(duration));
        assertEquals(String.join("\n", fromPrometheus.keySet()), String.join("\n", fromHarness.keySet()),
            "series names and labels");
        assertEquals(fromPrometheus, fromHarness, "values");
        // 2 counters x (_total, _created), 1 gauge, summary (2 quantiles, _count, _sum, _created),
        // 2 histograms x (5 buckets, _count, _sum, _created), up and 3 scrape_* series.
        assertEquals(30, fromHarness.size(), String.join("\n", fromHarness.keySet()));
        assertTrue(fromHarness.containsKey("orders_created{instance=\"" + instance + "\", job=\"" + JOB
            + "\", shop=\"berlin\"}"), "Prometheus 2.42 stores _created series of OpenMetrics scrapes");
      }
    }
  }

  /** The instant query's result as labels (harness notation) to value. */
  private static Map<String, Double> query(Peer prom, String q) {
    HttpResponse<String> r;
    try {
      r = prom.get("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertEquals(200, r.statusCode(), r.body());
    JsonArray result = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data")
        .getAsJsonArray("result");
    Map<String, Double> out = new TreeMap<>();
    for (JsonElement e : result) {
      JsonObject o = e.getAsJsonObject();
      dev.promkit.tsdb.labels.Labels.Builder b = new dev.promkit.tsdb.labels.Labels.Builder();
      o.getAsJsonObject("metric").entrySet().forEach(m -> b.set(m.getKey(), m.getValue().getAsString()));
      out.put(Format.labels(b.build()), parse(o.getAsJsonArray("value").get(1).getAsString()));
    }
    return out;
  }

  private static double parse(String v) {
    switch (v) {
      case "+Inf": return Double.POSITIVE_INFINITY;
      case "-Inf": return Double.NEGATIVE_INFINITY;
      case "NaN": return Double.NaN;
      default: return Double.parseDouble(v);
    }
  }
}
