package dev.promkit.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ScrapeHandlerTest {

  /** An in-memory exchange. */
  static final class FakeExchange implements ScrapeExchange {
    final Map<String, String> requestHeaders = new HashMap<>();
    String query;
    int status;
    Map<String, String> responseHeaders;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    public String requestHeader(String name) {
      return requestHeaders.get(name);
    }

    @Override
    public String rawQuery() {
      return query;
    }

    @Override
    public OutputStream respond(int status, Map<String, String> headers) {
      this.status = status;
      this.responseHeaders = headers;
      return body;
    }

    String bodyText() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  private static Registry registry() {
    Registry r = new Registry();
    r.register(() -> MetricSnapshots.of(
        new CounterSnapshot(MetricMetadata.of("requests"), List.of(new CounterDataPoint(Labels.EMPTY, 5))),
        new GaugeSnapshot(MetricMetadata.of("temperature"), List.of(new GaugeDataPoint(Labels.EMPTY, 21))),
        new GaugeSnapshot(MetricMetadata.of("humidity"), List.of(new GaugeDataPoint(Labels.EMPTY, 40)))));
    return r;
  }

  @Test
  void servesTextByDefault() throws IOException {
    FakeExchange ex = new FakeExchange();
    new ScrapeHandler(registry()).handle(ex);
    assertEquals(200, ex.status);
    assertEquals("text/plain; version=0.0.4; charset=utf-8", ex.responseHeaders.get("Content-Type"));
    assertTrue(ex.bodyText().contains("requests_total 5\n"));
    assertFalse(ex.bodyText().contains("# EOF"));
  }

  @Test
  void servesOpenMetricsWhenAsked() throws IOException {
    FakeExchange ex = new FakeExchange();
    ex.requestHeaders.put("Accept", "application/openmetrics-text; version=1.0.0");
    new ScrapeHandler(registry()).handle(ex);
    assertTrue(ex.bodyText().endsWith("# EOF\n"));
    assertTrue(ex.responseHeaders.get("Content-Type").startsWith("application/openmetrics-text"));
  }

  @Test
  void filtersFamiliesByRepeatedNameParameters() throws IOException {
    FakeExchange ex = new FakeExchange();
    ex.query = "name%5B%5D=requests_total&name[]=humidity&other=x";
    new ScrapeHandler(registry()).handle(ex);
    String body = ex.bodyText();
    assertTrue(body.contains("requests_total 5"), body);
    assertTrue(body.contains("humidity 40"), body);
    assertFalse(body.contains("temperature"), body);
  }

  @Test
  void gzipsWhenTheClientAcceptsIt() throws IOException {
    FakeExchange ex = new FakeExchange();
    ex.requestHeaders.put("Accept-Encoding", "deflate, gzip;q=0.8");
    new ScrapeHandler(registry()).handle(ex);
    assertEquals("gzip", ex.responseHeaders.get("Content-Encoding"));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(ex.body.toByteArray()))) {
      assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("temperature 21\n"));
    }
  }

  @Test
  void doesNotGzipWhenRefusedByQValue() {
    assertFalse(ScrapeHandler.acceptsGzip("gzip;q=0"));
    assertFalse(ScrapeHandler.acceptsGzip("identity"));
    assertTrue(ScrapeHandler.acceptsGzip("*"));
  }

  @Test
  void answers500NamingTheFailureWhenACollectorThrows() throws IOException {
    Registry r = new Registry();
    r.register(() -> {
      throw new IllegalStateException("database down");
    });
    FakeExchange ex = new FakeExchange();
    new ScrapeHandler(r).handle(ex);
    assertEquals(500, ex.status);
    assertTrue(ex.bodyText().contains("database down"), ex.bodyText());
  }
}
