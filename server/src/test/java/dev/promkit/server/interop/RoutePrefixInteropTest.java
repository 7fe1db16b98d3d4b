package dev.promkit.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus 2.42 and our server, both with {@code --web.external-url} and
 * {@code --web.route-prefix}: the same status (and Location) for paths inside and outside the
 * prefix (the bare prefix included: 301 to the prefix with its slash), the same flags reported, and the same {@code generatorURL} and {@code $externalURL}
 * in the alerts each sends to a stand-in Alertmanager. ({@code /prom/} itself is left out: Debian's
 * 2.42, built without the React UI, sends it to {@code /classic/graph}; we follow upstream's
 * {@code /graph}.)
 */
@Tag("interop")
class RoutePrefixInteropTest {
  static final HttpClient HTTP = HttpClient.newHttpClient(); // does not follow redirects
  static final String EXTERNAL = "http://example.com:1234/ext/";
  static final List<String> PATHS = List.of("/", "/prom", "/prom?g0.expr=up", "/prom/-/healthy", "/prom/-/ready", "/prom/metrics",
      "/prom/api/v1/query?query=1", "/prom/api/v1/status/buildinfo", "/prom/api/v1/nonexistent", "/-/healthy",
      "/-/ready", "/metrics", "/api/v1/query?query=1", "/graph", "/promx", "/promx/api/v1/query?query=1",
      "/ext/api/v1/query?query=1");

  @TempDir
  Path dir;

  @Test
  void prometheusAndPromkitAgreeOnPathsFlagsAndGeneratorUrls() throws Exception {
    Peers.require(Peers.PROMETHEUS);
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    HttpServer am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    am.createContext("/", ex -> {
      try (ex) {
        received.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        ex.sendResponseHeaders(200, -1);
      }
    });
    am.start();
    Files.writeString(dir.resolve("rules.yml"), "groups:\n  - name: g\n    interval: 1s\n    rules:\n"
        + "      - alert: Always\n        expr: vector(1) > 0\n"
        + "        annotations:\n          link: '{{ $externalURL }}/alerts'\n");
    Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  evaluation_interval: 1s\n"
        + "rule_files: ['" + dir.resolve("rules.yml") + "']\nalerting:\n  alertmanagers:\n    - static_configs:\n"
        + "        - targets: ['127.0.0.1:" + am.getAddress().getPort() + "']\n");
    List<String> flags = List.of("--config.file=" + config, "--web.external-url=" + EXTERNAL, "--web.route-prefix=/prom");
    try (Peer prometheus = Peer.start(Peers.PROMETHEUS, (port, pdir) -> {
      List<String> a = new ArrayList<>(flags);
      a.add("--web.listen-address=127.0.0.1:" + port);
      a.add("--storage.tsdb.path=" + pdir.resolve("data"));
      // its first notification is dropped while the Alertmanager is still being discovered; resend soon
      a.add("--rules.alert.resend-delay=1s");
      return a;
    }, "/prom/-/ready", Duration.ofSeconds(30))) {
      JsonObject theirs;
      try {
        theirs = firstAlert(received);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; Prometheus said: " + prometheus.output() + "; received " + received, e);
      }
      List<String> args = new ArrayList<>(flags);
      args.add("--web.listen-address=127.0.0.1:0");
      args.add("--storage.tsdb.path=" + dir.resolve("data"));
      try (PromkitServer ours = PromkitServer.start(ServerOptions.parse(args.toArray(String[]::new)))) {
        for (String p : PATHS) {
          assertEquals(describe(prometheus.port(), p), describe(ours.port(), p), p);
        }
        for (String flag : List.of("web.external-url", "web.route-prefix")) {
          assertEquals(flag(prometheus.port(), flag), flag(ours.port(), flag), flag);
        }
        received.clear();
        JsonObject mine = firstAlert(received);
        assertEquals(theirs.get("generatorURL").getAsString(), mine.get("generatorURL").getAsString());
        assertEquals(theirs.getAsJsonObject("annotations").get("link").getAsString(),
            mine.getAsJsonObject("annotations").get("link").getAsString());
      }
    } finally {
      am.stop(0);
    }
  }

  /** The first alert of the next POST to /api/v2/alerts. */
  static JsonObject firstAlert(LinkedBlockingQueue<String> received) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      String post = received.poll(1, TimeUnit.SECONDS);
      if (post != null && post.startsWith("/api/v2/alerts ")) {
        JsonArray alerts = JsonParser.parseString(post.substring(post.indexOf(' ') + 1)).getAsJsonArray();
        return alerts.get(0).getAsJsonObject();
      }
    }
    throw new AssertionError("no alert reached the stand-in Alertmanager");
  }

  static String describe(int port, String path) throws Exception {
    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.discarding());
    return r.statusCode() + r.headers().firstValue("Location").map(l -> " -> " + l).orElse("");
  }

  static String flag(int port, String name) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prom/api/v1/status/flags"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    JsonObject data = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("data");
    assertNotNull(data.get(name), name + " in " + body);
    return data.get(name).getAsString();
  }
}
