package dev.promkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExamplesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    assertTrue(m.find(), "no line for " + series + " in\n" + metrics);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void helloWorldAnswersOnTheAppPortAndServesMetrics() throws Exception {
    try (RunningExample r = Example.HELLO_WORLD.start(0, 0)) {
      HttpResponse<String> app = get(r.appPort(), "/");
      assertEquals(200, app.statusCode());
      assertEquals("Hello World", app.body());
      HttpResponse<String> metrics = get(r.metricsPort(), "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    }
  }

  @Test
  void counterCountsRequestsFailuresAndSales() throws Exception {
    try (RunningExample r = Example.COUNTER.start(0, 0)) {
      int ok = 0;
      for (int i = 0; i < 20; i++) {
        if (get(r.appPort(), "/").statusCode() == 200) {
          ok++;
        }
      }
      String m = get(r.metricsPort(), "/metrics").body();
      assertTrue(m.contains("# TYPE hello_worlds_total counter"), m);
      assertEquals(20, value(m, "hello_worlds_total"));
      assertEquals(20 - ok, value(m, "hello_world_exceptions_total"));
      double sales = value(m, "hello_world_sales_euro_total");
      assertTrue(sales >= 0 && sales <= ok, "sales " + sales);
    }
  }

  @Test
  void gaugeTracksInProgressAndLastTime() throws Exception {
    try (RunningExample r = Example.GAUGE.start(0, 0)) {
      long before = System.currentTimeMillis() / 1000;
      get(r.appPort(), "/");
      String m = get(r.metricsPort(), "/metrics").body();
      assertEquals(0, value(m, "hello_worlds_inprogress"));
      double last = value(m, "hello_world_last_time_seconds");
      assertTrue(last >= before && last <= before + 60, m);
    }
  }

  @Test
  void summaryAndHistogramTimeRequests() throws Exception {
    try (RunningExample r = Example.SUMMARY.start(0, 0)) {
      get(r.appPort(), "/");
      get(r.appPort(), "/");
      String m = get(r.metricsPort(), "/metrics").body();
      assertEquals(2, value(m, "hello_world_latency_seconds_count"));
      assertTrue(value(m, "hello_world_latency_seconds{quantile=\"0.5\"}") > 0, m);
    }
    try (RunningExample r = Example.HISTOGRAM.start(0, 0)) {
      get(r.appPort(), "/");
      String m = get(r.metricsPort(), "/metrics").body();
      assertEquals(1, value(m, "hello_world_latency_seconds_bucket{le=\"+Inf\"}"));
      assertEquals(1, value(m, "hello_world_latency_seconds_count"));
    }
  }

  @Test
  void parsesPortsAndRejectsBadArguments() {
    Main.Options o = Main.Options.parse(new String[] {"gauge", "--metrics-port", "9100", "--app-port", "9101"});
    assertEquals(Example.GAUGE, o.example());
    assertEquals(9100, o.metricsPort());
    assertEquals(9101, o.appPort());
    assertEquals(8000, Main.Options.parse(new String[] {"counter"}).metricsPort());
    assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] {}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Main.Options.parse(new String[] {"nope"}));
    assertTrue(e.getMessage().contains("hello-world"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] {"gauge", "--app-port", "x"}));
    assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] {"gauge", "--app-port"}));
  }
}
