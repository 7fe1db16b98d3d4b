package dev.promkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.pushgateway.PushGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** short-job against an in-process HTTP server standing in for the Pushgateway. */
class ShortJobTest {
  private record Request(String method, String path, String contentType, String body) {}

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private volatile int status = 200;
  private volatile String answer = "";

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestHeaders().getFirst("Content-Type"), body));
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private static double value(String body, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
    assertTrue(m.find(), "no sample " + series + " in\n" + body);
    return Double.parseDouble(m.group(1));
  }

  /** Runs the command line, returning exit status, stdout and stderr. */
  private static String[] cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ShortJob.main(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void successfulJobPostsDurationAndLastSuccessToJobBatch() {
    double before = System.currentTimeMillis() / 1000.0;
    String[] r = cli("--pushgateway", address());
    double after = System.currentTimeMillis() / 1000.0;
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("/metrics/job/batch"), r[1]);
    assertEquals(1, requests.size());
    Request q = requests.get(0);
    assertEquals("POST", q.method()); // pushAdd, not push (PUT)
    assertEquals("/metrics/job/batch", q.path());
    assertTrue(q.contentType().startsWith("text/plain; version=0.0.4"), q.contentType());
    assertTrue(q.body().contains("# TYPE my_batch_job_duration_seconds gauge\n"), q.body());
    assertTrue(q.body().contains("# TYPE my_batch_job_last_success_seconds gauge\n"), q.body());
    double duration = value(q.body(), "my_batch_job_duration_seconds");
    assertTrue(duration >= 0.1 && duration < after - before + 0.001, "duration " + duration);
    double lastSuccess = value(q.body(), "my_batch_job_last_success_seconds");
    assertTrue(lastSuccess >= before - 0.001 && lastSuccess <= after + 0.001, "last success " + lastSuccess);
    assertFalse(q.body().contains("jvm_") || q.body().contains("process_"), "a fresh registry: " + q.body());
  }

  @Test
  void failedJobPushesOnlyItsDurationAndExitsNonZero() {
    String[] r = cli("--pushgateway", address(), "--fail");
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("the job failed") && r[2].contains("last success unchanged"), r[2]);
    assertEquals(1, requests.size());
    Request q = requests.get(0);
    assertEquals("POST", q.method());
    assertEquals("/metrics/job/batch", q.path());
    assertTrue(value(q.body(), "my_batch_job_duration_seconds") >= 0.1, q.body());
    assertFalse(q.body().contains("my_batch_job_last_success_seconds"), q.body());
  }

  @Test
  void workExceptionIsRethrownAfterThePush() {
    PushGateway pg = PushGateway.builder().address(address()).job(ShortJob.JOB).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ShortJob.run(pg, () -> {
          throw new IllegalStateException("disk full");
        }));
    assertEquals("disk full", e.getMessage());
    assertEquals(1, requests.size(), "pushed in finally");
  }

  @Test
  void refusedPushPrintsStatusAndGatewayMessageAndExitsNonZero() {
    status = 400;
    answer = "pushed metrics are invalid or inconsistent with existing metrics: type conflict\n";
    String[] r = cli("--pushgateway", address());
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("HTTP 400") && r[2].contains("inconsistent with existing metrics: type conflict"), r[2]);
  }

  @Test
  void unreachableGatewayIsReportedWithItsAddress() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again below: nothing listens there
    }
    String[] r = cli("--pushgateway", "127.0.0.1:" + port);
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("cannot push to http://127.0.0.1:" + port + "/metrics/job/batch: connection refused"),
        r[2]);
  }

  @Test
  void badArgumentsExitWithTwoAndUsage() {
    String[] r = cli("--pushgateway");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("usage:") && r[2].contains("--pushgateway"), r[2]);
    String[] url = cli("--pushgateway", "http://host:9091/");
    assertEquals("2", url[0]);
    assertTrue(url[2].contains("--pushgateway"), url[2]);
  }

  @Test
  void mainListsShortJobAmongTheExamples() {
    assertTrue(Example.allNames().contains("short-job"), Example.allNames().toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Example.byName("nope"));
    assertTrue(e.getMessage().contains("short-job"), e.getMessage());
  }
}
