package dev.promkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hello-world example against the real programs: Prometheus 2.42 scrapes it every second and
 * reads back exactly the requests made, and promtool accepts its text output, default metrics
 * included. Both run on free ports of 127.0.0.1 (never the examples' defaults).
 */
@Tag("interop")
class HelloWorldInteropTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([^\"]+)\"\\]");
  private static final int REQUESTS = 7;

  @Test
  void prometheusReadsBackEveryHelloWorldRequest() throws Exception {
    Peers.require(Peers.PROMETHEUS);
    try (RunningExample example = Example.HELLO_WORLD.start(0, 0)) {
      String config = """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
          scrape_configs:
            - job_name: hello-world
              static_configs:
                - targets: ['127.0.0.1:%d']
          """.formatted(example.metricsPort());
      try (Peer prometheus = Peer.prometheus(config)) {
        for (int i = 0; i < REQUESTS; i++) {
          HttpResponse<String> r = get(example.appPort(), "/");
          assertEquals(200, r.statusCode());
        }
        awaitValue(prometheus, "up{job=\"hello-world\"}", "1");
        awaitValue(prometheus, "hello_worlds_total{job=\"hello-world\"}", Integer.toString(REQUESTS));
        List<String> info = values(prometheus, "jvm_runtime_info{job=\"hello-world\"}");
        assertEquals(List.of("1"), info, "the default JVM metrics reach Prometheus");
      }
    }
  }

  @Test
  void promtoolAcceptsTheTextOutputWithDefaultMetrics() throws Exception {
    Peers.require(Peers.PROMTOOL);
    try (RunningExample example = Example.HELLO_WORLD.start(0, 0)) {
      get(example.appPort(), "/");
      HttpResponse<String> metrics = get(example.metricsPort(), "/metrics"); // no Accept header: text 0.0.4
      assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
          metrics.headers().toString());
      String body = metrics.body();
      for (String family : List.of("hello_worlds_total 1", "process_cpu_seconds_total", "process_open_fds",
          "jvm_memory_used_bytes", "jvm_threads_current", "jvm_runtime_info")) {
        assertTrue(body.contains("\n" + family), "missing " + family + " in\n" + body);
      }
      Peers.Result check = Peers.run(Peers.PROMTOOL, body.getBytes(StandardCharsets.UTF_8), 60, "check", "metrics");
      assertEquals(0, check.exitCode(), "promtool check metrics:\n" + check.output() + "\non\n" + body);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitValue(Peer prometheus, String query, String expected) throws InterruptedException {
    prometheus.await(Duration.ofSeconds(30), query + " == " + expected, p -> {
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
