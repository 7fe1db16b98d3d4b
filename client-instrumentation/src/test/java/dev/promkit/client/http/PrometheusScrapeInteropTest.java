package dev.promkit.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.defaults.DefaultMetrics;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.Exemplar;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus 2.42 scrapes us twice: through {@link MetricsServer} (it asks for OpenMetrics
 * first, so that is what it gets) and through a bare JDK server whose exchange hides the Accept
 * header (so it gets text 0.0.4). Values set by the test must come back through its query API.
 */
@Tag("interop")
class PrometheusScrapeInteropTest {
  private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([^\"]+)\"\\]");

  @Test
  void prometheusScrapesOpenMetricsAndTextAndReadsBackOurValues() throws Exception {
    Peers.require(Peers.PROMETHEUS);
    AtomicReference<Double> events = new AtomicReference<>(12345.5);
    Registry registry = new Registry();
    registry.register(() -> MetricSnapshots.of(
        new CounterSnapshot(MetricMetadata.of("interop_events", "Events seen by the interop test."),
            List.of(new CounterDataPoint(Labels.of("kind", "a"), events.get(),
                new Exemplar(Labels.of("trace_id", "abc123"), 1, System.currentTimeMillis()),
                1_700_000_000_000L, 0))),
        new HistogramSnapshot(new MetricMetadata("interop_latency_seconds", "Latency.", "seconds"),
            List.of(new HistogramDataPoint(Labels.EMPTY, new double[] {0.5, 1, Double.POSITIVE_INFINITY},
                new long[] {1, 2, 3}, 7.5, null, 0, 0)))));
    DefaultMetrics.register(registry);

    JdkHttpTuning.tcpNoDelay(); // the JDK reads it once: keep MetricsServerTest's keep-alive check valid
    HttpServer textOnly = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ScrapeHandler handler = new ScrapeHandler(registry);
    textOnly.createContext("/metrics", ex -> {
      try {
        handler.handle(new ScrapeExchange() {
          @Override
          public String requestHeader(String name) {
            return name.equalsIgnoreCase("Accept") ? null : ex.getRequestHeaders().getFirst(name);
          }

          @Override
          public String rawQuery() {
            return ex.getRequestURI().getRawQuery();
          }

          @Override
          public OutputStream respond(int status, Map<String, String> headers) throws IOException {
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(status, 0);
            return ex.getResponseBody();
          }
        });
      } finally {
        ex.close();
      }
    });
    textOnly.start();
    try (MetricsServer server = MetricsServer.builder().hostname("127.0.0.1").port(0).registry(registry).start()) {
      String config = """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
          scrape_configs:
            - job_name: openmetrics
              static_configs:
                - targets: ['127.0.0.1:%d']
            - job_name: text
              static_configs:
                - targets: ['127.0.0.1:%d']
          """.formatted(server.getPort(), textOnly.getAddress().getPort());
      try (Peer prometheus = Peer.prometheus(config, "--enable-feature=exemplar-storage")) {
        for (String job : List.of("openmetrics", "text")) {
          awaitValue(prometheus, "up{job=\"" + job + "\"}", "1");
          awaitValue(prometheus, "interop_events_total{job=\"" + job + "\",kind=\"a\"}", "12345.5");
        }
        events.set(23456.25);
        awaitValue(prometheus, "interop_events_total{job=\"openmetrics\"}", "23456.25");

        // _created exists only in OpenMetrics: proof of which format each job was served.
        assertEquals(List.of("1700000000"), values(prometheus, "interop_events_created{job=\"openmetrics\"}"));
        assertEquals(List.of(), values(prometheus, "interop_events_created{job=\"text\"}"));
        // Both formats write le="1.0", so 2.42 (which does not normalise) sees one series name.
        assertEquals(List.of("3"), values(prometheus, "interop_latency_seconds_bucket{le=\"1.0\",job=\"openmetrics\"}"));
        assertEquals(List.of("3"), values(prometheus, "interop_latency_seconds_bucket{le=\"1.0\",job=\"text\"}"));
        // The OpenMetrics exemplar was accepted and stored.
        long now = System.currentTimeMillis() / 1000;
        String exemplars = prometheus.get("/api/v1/query_exemplars?query=interop_events_total&start=" + (now - 600)
            + "&end=" + (now + 600)).body();
        assertTrue(exemplars.contains("\"trace_id\":\"abc123\""), exemplars);
        List<String> rss = values(prometheus, "process_resident_memory_bytes{job=\"openmetrics\"}");
        assertTrue(!rss.isEmpty() && Double.parseDouble(rss.get(0)) > 0, "process metrics scraped: " + rss);
      }
    } finally {
      textOnly.stop(0);
    }
  }

  private static void awaitValue(Peer prometheus, String query, String expected) throws InterruptedException {
    prometheus.await(Duration.ofSeconds(40), query + " == " + expected, p -> {
      List<String> v = values(p, query);
      return v.equals(List.of(expected)) ? v : null;
    });
  }

  private static List<String> values(Peer prometheus, String query) {
    try {
      String body = prometheus.get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).body();
      if (!body.contains("\"status\":\"success\"")) {
        throw new AssertionError("query " + query + " failed: " + body);
      }
      List<String> out = new ArrayList<>();
      Matcher m = VALUE.matcher(body);
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
