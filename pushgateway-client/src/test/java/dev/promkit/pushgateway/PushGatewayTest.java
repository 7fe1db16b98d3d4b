package dev.promkit.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against an in-process HTTP server that records what the client sends. */
class PushGatewayTest {
  record Request(String method, String path, String contentType, String authorization, String body) {}

  private HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private volatile String answer = "";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (requests) {
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
            ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Authorization"), body));
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), out.length == 0 ? -1 : out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PushGateway.Builder client() {
    return PushGateway.builder().address("127.0.0.1:" + server.getAddress().getPort()).job("batch");
  }

  @Test
  void pushIsPutOfTextFormatEndingInNewline() throws IOException {
    client().groupingKey("instance", "db 1").build().push(Snapshots.registry(Snapshots.counter("jobs", 3)));
    Request r = requests.get(0);
    assertEquals("PUT", r.method);
    assertEquals("/metrics/job/batch/instance/db%201", r.path);
    assertTrue(r.contentType.startsWith("text/plain; version=0.0.4"), r.contentType);
    assertEquals("# HELP jobs_total a counter\n# TYPE jobs_total counter\njobs_total 3\n", r.body);
  }

  @Test
  void pushAddIsPostAndDeleteIsDeleteWithoutBody() throws IOException {
    PushGateway pg = client().build();
    pg.pushAdd(MetricSnapshots.of(Snapshots.gauge("g", 1)));
    pg.delete();
    assertEquals("POST", requests.get(0).method);
    assertEquals("DELETE", requests.get(1).method);
    assertEquals("", requests.get(1).body);
    assertEquals("/metrics/job/batch", requests.get(1).path);
  }

  @Test
  void sendsBasicAuthAndBearerToken() throws IOException {
    client().basicAuth("user", "pa:ss").build().delete();
    client().bearerToken("t0k3n").build().delete();
    assertEquals("Basic dXNlcjpwYTpzcw==", requests.get(0).authorization);
    assertEquals("Bearer t0k3n", requests.get(1).authorization);
  }

  @Test
  void refusedPushRaisesExceptionWithStatusAndGatewayMessage() {
    status.set(400);
    answer = "pushed metrics are invalid or inconsistent with existing metrics";
    PushGatewayException e = assertThrows(PushGatewayException.class,
        () -> client().build().push(MetricSnapshots.of(Snapshots.gauge("g", 1))));
    assertEquals(400, e.statusCode());
    assertEquals(answer, e.gatewayMessage());
    assertEquals("PUT", e.method());
    assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains(answer), e.getMessage());
  }

  @Test
  void rejectsSamplesWithTimestampsBeforeSending() {
    GaugeSnapshot g = new GaugeSnapshot(MetricMetadata.of("g"),
        List.of(new GaugeDataPoint(Labels.EMPTY, 1, null, 1234)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> client().build().push(MetricSnapshots.of(g)));
    assertTrue(e.getMessage().contains("timestamp"), e.getMessage());
    assertTrue(requests.isEmpty());
  }

  @Test
  void urlKeepsPathPrefixAndSslContextSwitchesToHttps() throws Exception {
    PushGateway pg = PushGateway.builder().url(URI.create("http://gw.example:9091/pgw/")).job("j").build();
    assertEquals("http://gw.example:9091/pgw/metrics/job/j", pg.groupUri().toString());
    PushGateway tls = PushGateway.builder().address("gw.example:9091")
        .sslContext(javax.net.ssl.SSLContext.getDefault()).job("j").build();
    assertEquals("https://gw.example:9091/metrics/job/j", tls.groupUri().toString());
  }

  @Test
  void rejectsInvalidConfiguration() {
    assertThrows(IllegalStateException.class, () -> PushGateway.builder().build());
    assertThrows(IllegalArgumentException.class, () -> PushGateway.builder().job(""));
    assertThrows(IllegalArgumentException.class, () -> PushGateway.builder().groupingKey("job", "x"));
    assertThrows(IllegalArgumentException.class, () -> PushGateway.builder().groupingKey("a-b", "x"));
    assertThrows(IllegalArgumentException.class, () -> PushGateway.builder().readTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> PushGateway.builder().url(URI.create("ftp://x/")));
  }
}
