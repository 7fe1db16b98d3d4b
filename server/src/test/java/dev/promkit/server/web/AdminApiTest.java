package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/admin/tsdb/*}: Prometheus' responses, and only with {@code --web.enable-admin-api}. */
class AdminApiTest {
  @TempDir static Path dir;
  static PromkitServer admin;
  static PromkitServer plain;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    admin = PromkitServer.start(ServerOptions.parse("--config.file=" + dir.resolve("none.yml"),
        "--storage.tsdb.path=" + dir.resolve("admin"), "--web.listen-address=127.0.0.1:0", "--web.enable-admin-api"));
    plain = PromkitServer.start(ServerOptions.parse("--config.file=" + dir.resolve("none.yml"),
        "--storage.tsdb.path=" + dir.resolve("plain"), "--web.listen-address=127.0.0.1:0"));
    for (PromkitServer s : new PromkitServer[] {admin, plain}) {
      Appender app = s.tsdb().appender();
      for (long t = 1000; t <= 5000; t += 1000) {
        app.append(0, Labels.of("__name__", "m", "a", "1"), t, t / 1000.0);
        app.append(0, Labels.of("__name__", "m", "a", "2"), t, t / 100.0);
      }
      app.commit();
    }
  }

  @AfterAll
  static void stop() {
    for (PromkitServer s : new PromkitServer[] {admin, plain}) {
      if (s != null) {
        s.close();
      }
    }
  }

  static HttpResponse<String> send(PromkitServer s, String method, String path, String form) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("Content-Type", "application/x-www-form-urlencoded");
    b.method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The raw samples of m (m[10s] at 5 s), as compact text. */
  static String values(PromkitServer s) throws Exception {
    HttpResponse<String> r = send(s, "GET", "/api/v1/query?query=" + enc("m[10s]") + "&time=5", null);
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").get("result").toString();
  }

  @Test
  void adminEndpointsAreUnavailableWithoutTheFlag() throws Exception {
    for (String op : new String[] {"delete_series", "clean_tombstones", "snapshot"}) {
      HttpResponse<String> r = send(plain, "POST", "/api/v1/admin/tsdb/" + op, "match[]=m");
      assertEquals(503, r.statusCode(), op);
      assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin APIs disabled\"}", r.body(), op);
    }
    assertTrue(values(plain).contains("\"a\":\"1\""), "nothing deleted");
    assertTrue(send(plain, "GET", "/api/v1/status/flags", null).body().contains("\"web.enable-admin-api\":\"false\""));
  }

  @Test
  void deleteSeriesAnswersNoContentAndHidesTheSamplesAtOnce() throws Exception {
    HttpResponse<String> r = send(admin, "POST", "/api/v1/admin/tsdb/delete_series",
        "match[]=" + enc("m{a=\"1\"}") + "&start=2&end=3");
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("", r.body());
    assertEquals(java.util.Optional.empty(), r.headers().firstValue("Content-Type"), "a 204 carries no Content-Type");
    String v = values(admin);
    assertTrue(v.contains("{\"metric\":{\"__name__\":\"m\",\"a\":\"1\"},\"values\":[[1,\"1\"],[4,\"4\"],[5,\"5\"]]}"), v);
    assertTrue(v.contains("[[1,\"10\"],[2,\"20\"],[3,\"30\"],[4,\"40\"],[5,\"50\"]]"), "other series untouched: " + v);
    // PUT too, with the matchers in the query string
    r = send(admin, "PUT", "/api/v1/admin/tsdb/delete_series?match[]=" + enc("m{a=\"2\"}") + "&end=1", "");
    assertEquals(204, r.statusCode(), r.body());
    assertTrue(values(admin).contains("[[2,\"20\"],[3,\"30\"]"), values(admin));
  }

  @Test
  void deleteSeriesRejectsMissingOrBadParameters() throws Exception {
    HttpResponse<String> r = send(admin, "POST", "/api/v1/admin/tsdb/delete_series", "");
    assertEquals(400, r.statusCode());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[] parameter provided\"}", r.body());
    r = send(admin, "POST", "/api/v1/admin/tsdb/delete_series", "match[]=m&start=yesterday");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("invalid parameter \\\"start\\\""), r.body());
    assertEquals(405, send(admin, "GET", "/api/v1/admin/tsdb/delete_series?match[]=m", null).statusCode());
  }

  @Test
  void cleanTombstonesAnswersNoContent() throws Exception {
    HttpResponse<String> r = send(admin, "POST", "/api/v1/admin/tsdb/clean_tombstones", null);
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("", r.body());
    assertEquals(java.util.Optional.empty(), r.headers().firstValue("Content-Type"), "a 204 carries no Content-Type");
    assertEquals(204, send(admin, "PUT", "/api/v1/admin/tsdb/clean_tombstones", null).statusCode());
  }

  @Test
  void snapshotWritesTheHeadIntoDataSnapshotsAndNamesIt() throws Exception {
    HttpResponse<String> r = send(admin, "POST", "/api/v1/admin/tsdb/snapshot", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
    String name = o.getAsJsonObject("data").get("name").getAsString();
    assertEquals("{\"status\":\"success\",\"data\":{\"name\":\"" + name + "\"}}", r.body());
    assertTrue(name.matches("\\d{8}T\\d{6}Z-[0-9a-f]{16}"), name);
    Path snap = dir.resolve("admin").resolve("snapshots").resolve(name);
    try (Stream<Path> s = Files.list(snap)) {
      assertEquals(1, s.filter(p -> Files.exists(p.resolve("meta.json"))).count(), "the head as one block");
    }
    r = send(admin, "PUT", "/api/v1/admin/tsdb/snapshot?skip_head=true", null);
    assertEquals(200, r.statusCode(), r.body());
    String skipped = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").get("name").getAsString();
    try (Stream<Path> s = Files.list(dir.resolve("admin").resolve("snapshots").resolve(skipped))) {
      assertEquals(0, s.count(), "no blocks yet and the head skipped");
    }
    r = send(admin, "POST", "/api/v1/admin/tsdb/snapshot", "skip_head=maybe");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("\"errorType\":\"bad_data\"") && r.body().contains("skip_head"), r.body());
  }
}
