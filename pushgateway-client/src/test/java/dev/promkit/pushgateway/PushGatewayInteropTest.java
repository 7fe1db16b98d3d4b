package dev.promkit.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.testing.peers.Peer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Against the real Pushgateway 1.5 (and Prometheus 2.42 scraping it). */
@Tag("interop")
class PushGatewayInteropTest {
  private static Peer gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = Peer.pushgateway();
  }

  private static String get(Peer peer, String path) throws Exception {
    HttpResponse<String> r = peer.get(path);
    assertEquals(200, r.statusCode(), "GET " + path + ": " + r.body());
    return r.body();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static PushGateway.Builder client(String job) {
    return PushGateway.builder().address("127.0.0.1:" + gateway.port()).job(job);
  }

  /** The gateway's own /metrics, parsed into "name{labels}" -> value lines for one job. */
  private static Map<String, String> exposedFor(String job) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String line : get(gateway, "/metrics").split("\n")) {
      if (!line.startsWith("#") && line.contains("job=\"" + job + "\"")) {
        int sp = line.lastIndexOf(' ');
        String series = line.substring(0, sp);
        out.put(series.substring(0, series.indexOf('{')), line.substring(sp + 1));
      }
    }
    return out;
  }

  /** The group of /api/v1/metrics whose labels are exactly these. */
  private static JsonObject group(Map<String, String> labels) throws Exception {
    JsonArray data = JsonParser.parseString(get(gateway, "/api/v1/metrics")).getAsJsonObject().getAsJsonArray("data");
    for (JsonElement e : data) {
      JsonObject g = e.getAsJsonObject();
      Map<String, String> gl = new HashMap<>();
      g.getAsJsonObject("labels").entrySet().forEach(x -> gl.put(x.getKey(), x.getValue().getAsString()));
      if (gl.equals(labels)) {
        return g;
      }
    }
    return null;
  }

  @Test
  void pushReplacesTheWholeGroup() throws Exception {
    PushGateway pg = client("push_replaces").build();
    pg.push(Snapshots.registry(Snapshots.counter("pr_a", 1), Snapshots.gauge("pr_b", 2)));
    Map<String, String> before = exposedFor("push_replaces");
    assertEquals("1", before.get("pr_a_total"));
    assertEquals("2", before.get("pr_b"));
    pg.push(Snapshots.registry(Snapshots.counter("pr_a", 5)));
    Map<String, String> after = exposedFor("push_replaces");
    assertEquals("5", after.get("pr_a_total"));
    assertFalse(after.containsKey("pr_b"), "PUT must drop metrics not in the new push: " + after);
    JsonObject g = group(Map.of("job", "push_replaces"));
    assertNotNull(g);
    assertEquals("COUNTER", g.getAsJsonObject("pr_a_total").get("type").getAsString());
    assertTrue(g.getAsJsonPrimitive("last_push_successful").getAsBoolean());
  }

  @Test
  void pushAddReplacesOnlyMetricsWithTheSameName() throws Exception {
    PushGateway pg = client("push_add").build();
    pg.push(MetricSnapshots.of(Snapshots.counter("pa_a", 1), Snapshots.gauge("pa_b", 2)));
    pg.pushAdd(MetricSnapshots.of(Snapshots.counter("pa_a", 7)));
    Map<String, String> after = exposedFor("push_add");
    assertEquals("7", after.get("pa_a_total"));
    assertEquals("2", after.get("pa_b"), "POST must keep metrics of other names: " + after);
  }

  @Test
  void deleteRemovesTheGroup() throws Exception {
    PushGateway pg = client("deleted").groupingKey("instance", "i1").build();
    pg.push(MetricSnapshots.of(Snapshots.gauge("del_g", 1)));
    assertNotNull(group(Map.of("job", "deleted", "instance", "i1")));
    pg.delete();
    assertEquals(Map.of(), exposedFor("deleted"));
    assertEquals(null, group(Map.of("job", "deleted", "instance", "i1")));
  }

  @Test
  void groupingValuesWithSlashSpacesNonAsciiAndEmptyArriveIntact() throws Exception {
    Map<String, String> key = new LinkedHashMap<>();
    key.put("path", "/var/lib/backup");
    key.put("host", "db 1 é ✓");
    key.put("mixed", "a/b c+%");
    key.put("empty", "");
    String job = "odd/job name";
    PushGateway pg = client(job).groupingKey(key).build();
    pg.push(MetricSnapshots.of(Snapshots.gauge("odd_g", 3)));
    Map<String, String> labels = new HashMap<>(key);
    // The gateway keeps the empty grouping value as the group's identity ("empty": "").
    labels.put("job", job);
    JsonObject g = group(labels);
    assertNotNull(g, "group with labels " + labels + " not in " + get(gateway, "/api/v1/metrics"));
    assertEquals("3", g.getAsJsonObject("odd_g").getAsJsonArray("metrics").get(0).getAsJsonObject()
        .get("value").getAsString());
    assertTrue(get(gateway, "/metrics").contains("host=\"db 1 é ✓\""));
    pg.delete();
    assertEquals(null, group(labels));
  }

  @Test
  void conflictingTypeInAnotherGroupIsRefusedWith400AndTheGatewayMessage() throws Exception {
    client("conflict_a").build().push(MetricSnapshots.of(Snapshots.counter("conflict_metric", 1)));
    // Same exposed name, other type, other group: the gateway refuses it as inconsistent.
    PushGateway other = client("conflict_b").build();
    PushGatewayException e = assertThrows(PushGatewayException.class,
        () -> other.push(MetricSnapshots.of(Snapshots.gauge("conflict_metric_total", 1))));
    assertEquals(400, e.statusCode());
    assertTrue(e.gatewayMessage().contains("inconsistent with existing metrics"), e.gatewayMessage());
    assertTrue(e.getMessage().contains("conflict_metric_total"), e.getMessage());
  }

  @Test
  void prometheusWithHonorLabelsSeesPushedJobAndInstance() throws Exception {
    client("nightly_backup").groupingKey("instance", "db-7").build()
        .push(MetricSnapshots.of(Snapshots.gauge("backup_last_success_seconds", 1234)));
    String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        + "scrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n"
        + "    static_configs:\n      - targets: ['127.0.0.1:" + gateway.port() + "']\n";
    try (Peer prom = Peer.prometheus(config)) {
      String query = "/api/v1/query?query=" + URLEncoder.encode("backup_last_success_seconds", StandardCharsets.UTF_8);
      JsonArray result = prom.await(Duration.ofSeconds(30), "the pushed series in Prometheus", p -> {
        try {
          JsonArray r = JsonParser.parseString(get(p, query)).getAsJsonObject().getAsJsonObject("data")
              .getAsJsonArray("result");
          return r.size() > 0 ? r : null;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(1, result.size());
      JsonObject metric = result.get(0).getAsJsonObject().getAsJsonObject("metric");
      assertEquals("nightly_backup", metric.get("job").getAsString());
      assertEquals("db-7", metric.get("instance").getAsString());
      assertEquals("1234", result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
    }
  }
}
