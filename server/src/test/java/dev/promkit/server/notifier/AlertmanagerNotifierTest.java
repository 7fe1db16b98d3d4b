package dev.promkit.server.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.registry.Registry;
import dev.promkit.promql.rules.Alert;
import dev.promkit.promql.rules.AlertState;
import dev.promkit.server.config.Config;
import dev.promkit.tsdb.labels.Labels;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertmanagerNotifierTest {
  /** A fake Alertmanager: records each request's path, Authorization header and body. */
  static final class FakeAm implements AutoCloseable {
    final HttpServer http;
    final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    final List<String> auths = Collections.synchronizedList(new ArrayList<>());
    volatile IntSupplier status = () -> 200;

    FakeAm() throws Exception {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", ex -> {
        byte[] body = ex.getRequestBody().readAllBytes();
        paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        auths.add(ex.getRequestHeaders().getFirst("Authorization"));
        int code = status.getAsInt();
        if (code == 200) {
          bodies.add(new String(body, StandardCharsets.UTF_8));
        }
        ex.sendResponseHeaders(code, -1);
        ex.close();
      });
      http.start();
    }

    String address() {
      return "127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private FakeAm am() throws Exception {
    FakeAm a = new FakeAm();
    toClose.add(a);
    return a;
  }

  private AlertmanagerNotifier notifier(String alertingYaml, String address, int capacity) {
    AlertmanagerNotifier n = new AlertmanagerNotifier(new Registry(), capacity);
    toClose.add(n);
    n.retryBackoffMillis(10);
    Config c = Config.parse("global:\n  external_labels:\n    cluster: c1\n    severity: ignored\n"
        + alertingYaml.replace("ADDR", address));
    n.apply(c.alerting(), c.global().externalLabels());
    return n;
  }

  private static final String PLAIN = "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['ADDR']\n";

  static Alert alert(String name, String severity, long resolvedAt) {
    return new Alert(Labels.of("alertname", name, "instance", "a:1", "severity", severity),
        Labels.of("summary", "a:1 is down"), resolvedAt == 0 ? AlertState.FIRING : AlertState.INACTIVE, 0,
        1_700_000_000_000L, 1_700_000_001_000L, resolvedAt, 0, 1_700_000_240_000L, "http://h:9090/graph?g0.expr=up");
  }

  static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void postsApiV2PayloadWithExternalLabelsAndAuth() throws Exception {
    FakeAm am = am();
    AlertmanagerNotifier n = notifier("alerting:\n  alertmanagers:\n    - path_prefix: /am/\n"
        + "      basic_auth:\n        username: u\n        password: p\n      static_configs:\n"
        + "        - targets: ['ADDR']\n", am.address(), 100);
    assertEquals(List.of("http://" + am.address() + "/am/api/v2/alerts"), n.alertmanagerUrls());
    n.send(List.of(alert("Down", "page", 0), alert("Down", "page", 1_700_000_100_000L)));
    await("one request", () -> am.bodies.size() == 1);
    assertEquals("POST /am/api/v2/alerts", am.paths.get(0));
    assertEquals("Basic dTpw", am.auths.get(0));
    JsonArray arr = JsonParser.parseString(am.bodies.get(0)).getAsJsonArray();
    assertEquals(2, arr.size());
    JsonObject firing = arr.get(0).getAsJsonObject();
    // External labels are added, but never override the alert's own.
    assertEquals("{\"alertname\":\"Down\",\"cluster\":\"c1\",\"instance\":\"a:1\",\"severity\":\"page\"}",
        firing.get("labels").toString());
    assertEquals("{\"summary\":\"a:1 is down\"}", firing.get("annotations").toString());
    assertEquals("2023-11-14T22:13:20Z", firing.get("startsAt").getAsString());
    assertEquals("2023-11-14T22:17:20Z", firing.get("endsAt").getAsString());
    assertEquals("http://h:9090/graph?g0.expr=up", firing.get("generatorURL").getAsString());
    assertEquals("2023-11-14T22:15:00Z", arr.get(1).getAsJsonObject().get("endsAt").getAsString());
    await("sent counted", () -> n.sent.labelValues(n.alertmanagerUrls().get(0)).get() == 2);
    assertEquals(2, n.total.get());
    assertEquals(1, n.discovered.get());
  }

  @Test
  void batchesAtMost64AlertsPerRequest() throws Exception {
    FakeAm am = am();
    AlertmanagerNotifier n = notifier(PLAIN, am.address(), 1000);
    List<Alert> many = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      many.add(alert("A" + i, "page", 0));
    }
    n.send(many);
    await("all alerts", () -> List.copyOf(am.bodies).stream().mapToInt(b -> JsonParser.parseString(b).getAsJsonArray().size())
        .sum() == 150);
    for (String b : am.bodies) {
      assertTrue(JsonParser.parseString(b).getAsJsonArray().size() <= AlertmanagerNotifier.MAX_BATCH, b);
    }
    assertEquals(3, am.bodies.size());
  }

  @Test
  void retriesAFailingAlertmanager() throws Exception {
    FakeAm am = am();
    AtomicInteger calls = new AtomicInteger();
    am.status = () -> calls.incrementAndGet() <= 2 ? 503 : 200;
    AlertmanagerNotifier n = notifier(PLAIN, am.address(), 100);
    n.send(List.of(alert("Down", "page", 0)));
    await("delivery after retries", () -> am.bodies.size() == 1);
    assertEquals(3, calls.get());
    await("sent counted", () -> n.sent.labelValues(n.alertmanagerUrls().get(0)).get() == 1);
    assertEquals(0, n.errors.labelValues(n.alertmanagerUrls().get(0)).get());
    assertEquals(0, n.dropped.get());
  }

  @Test
  void countsErrorsAndDropsWhenEveryAttemptFails() throws Exception {
    FakeAm am = am();
    am.status = () -> 500;
    AlertmanagerNotifier n = notifier(PLAIN, am.address(), 100);
    n.send(List.of(alert("Down", "page", 0), alert("Other", "page", 0)));
    String url = n.alertmanagerUrls().get(0);
    await("errors counted", () -> n.errors.labelValues(url).get() == 2);
    await("dropped counted", () -> n.dropped.get() == 2);
    assertEquals(AlertmanagerNotifier.ATTEMPTS, am.paths.size());
  }

  @Test
  void fullQueueDropsTheOldestAlertsAndCountsThem() throws Exception {
    FakeAm am = am();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    am.status = () -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    };
    AlertmanagerNotifier n = notifier(PLAIN, am.address(), 10);
    n.send(List.of(alert("First", "page", 0)));
    assertTrue(entered.await(10, TimeUnit.SECONDS), "the sender is blocked in the first request");
    List<Alert> burst = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      burst.add(alert("B" + i, "page", 0));
    }
    n.send(burst);
    assertEquals(10, n.queueLength());
    assertEquals(5, n.dropped.get());
    assertEquals(10, n.queueLength.get());
    release.countDown();
    await("the rest delivered", () -> am.bodies.size() == 2);
    JsonArray second = JsonParser.parseString(am.bodies.get(1)).getAsJsonArray();
    assertEquals(10, second.size());
    // B0..B4 were the oldest queued: dropped.
    assertEquals("B5", second.get(0).getAsJsonObject().getAsJsonObject("labels").get("alertname").getAsString());
  }

  @Test
  void alertRelabelConfigsDropAlerts() throws Exception {
    FakeAm am = am();
    AlertmanagerNotifier n = notifier("alerting:\n  alert_relabel_configs:\n    - source_labels: [severity]\n"
        + "      regex: info\n      action: drop\n" + PLAIN.substring("alerting:\n".length()), am.address(), 100);
    n.send(List.of(alert("Keep", "page", 0), alert("Drop", "info", 0)));
    await("one request", () -> am.bodies.size() == 1);
    JsonArray arr = JsonParser.parseString(am.bodies.get(0)).getAsJsonArray();
    assertEquals(1, arr.size());
    assertEquals("Keep", arr.get(0).getAsJsonObject().getAsJsonObject("labels").get("alertname").getAsString());
  }

  @Test
  void rejectsNonPositiveQueueCapacity() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new AlertmanagerNotifier(new Registry(), 0));
    assertTrue(e.getMessage().contains("capacity"), e.getMessage());
  }
}
