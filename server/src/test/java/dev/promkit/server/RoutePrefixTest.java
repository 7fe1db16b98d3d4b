package dev.promkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --web.route-prefix} and {@code --web.external-url} with Prometheus' semantics, over HTTP. */
class RoutePrefixTest {
  static final HttpClient HTTP = HttpClient.newHttpClient(); // never follows redirects

  @TempDir
  Path dir;

  PromkitServer start(String... flags) throws Exception {
    Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    List<String> args = new ArrayList<>(List.of("--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:0", "--web.enable-lifecycle"));
    args.addAll(List.of(flags));
    return PromkitServer.start(ServerOptions.parse(args.toArray(String[]::new)));
  }

  static HttpResponse<String> get(PromkitServer s, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(PromkitServer s, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertStatus(int code, HttpResponse<String> r) {
    assertEquals(code, r.statusCode(), r.request().uri() + " -> " + r.body());
  }

  @Test
  void defaultsServeAtTheRootWithTheHostnameAsExternalUrl() {
    ServerOptions o = ServerOptions.parse();
    assertEquals("", o.resolvedRoutePrefix());
    assertTrue(o.resolvedExternalUrl(9090).matches("http://[^/]+:9090"), o.resolvedExternalUrl(9090));
    assertEquals("/", o.asFlags().get("web.route-prefix"));
    assertEquals("", o.asFlags().get("web.external-url"));
  }

  @Test
  void routePrefixDefaultsToTheExternalUrlPathWithoutTrailingSlash() {
    ServerOptions o = ServerOptions.parse("--web.external-url=http://example.com:1234/ext/");
    assertEquals("/ext", o.resolvedRoutePrefix());
    assertEquals("http://example.com:1234/ext", o.resolvedExternalUrl(9090));
    assertEquals("/ext", o.asFlags().get("web.route-prefix"));
    assertEquals("http://example.com:1234/ext/", o.asFlags().get("web.external-url"));
    ServerOptions both = ServerOptions.parse("--web.external-url", "http://example.com/ext", "--web.route-prefix", "/");
    assertEquals("", both.resolvedRoutePrefix());
    assertEquals("/", both.asFlags().get("web.route-prefix"));
    assertEquals("/a/b", ServerOptions.parse("--web.route-prefix=a/b//").resolvedRoutePrefix());
    assertEquals("/rel", ServerOptions.parse("--web.external-url=/rel/").resolvedExternalUrl(1));
  }

  @Test
  void rejectsQuotedOrMalformedUrlsNamingTheFlag() {
    IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.parse("--web.external-url='http://x/'"));
    assertTrue(q.getMessage().contains("--web.external-url") && q.getMessage().contains("quotes"), q.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.parse("--web.external-url=http://x/a b"));
    assertTrue(bad.getMessage().contains("--web.external-url"), bad.getMessage());
    IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.parse("--web.route-prefix=/p?x=1"));
    assertTrue(prefix.getMessage().contains("--web.route-prefix"), prefix.getMessage());
  }

  @Test
  void everyPathMovesUnderTheRoutePrefix() throws Exception {
    try (PromkitServer s = start("--web.route-prefix=/prom/")) {
      HttpResponse<String> q = get(s, "/prom/api/v1/query?query=1%2B1");
      assertStatus(200, q);
      assertEquals("2", JsonParser.parseString(q.body()).getAsJsonObject().getAsJsonObject("data")
          .getAsJsonArray("result").get(1).getAsString());
      assertStatus(200, get(s, "/prom/api/v1/label/__name__/values"));
      assertStatus(200, get(s, "/prom/-/healthy"));
      assertStatus(200, get(s, "/prom/-/ready"));
      assertStatus(200, post(s, "/prom/-/reload"));
      HttpResponse<String> metrics = get(s, "/prom/metrics");
      assertStatus(200, metrics);
      assertTrue(metrics.body().contains("prometheus_config_last_reload_successful 1"), metrics.body());
      HttpResponse<String> page = get(s, "/prom/graph");
      assertStatus(200, page);
      assertTrue(page.body().contains("src=\"/prom/static/app.js\"") && page.body().contains("href=\"/prom/targets\""),
          page.body());
      assertStatus(200, get(s, "/prom/static/app.js"));
      for (String p : List.of("/prom/alerts", "/prom/rules", "/prom/targets", "/prom/status")) {
        assertStatus(200, get(s, p));
      }
      // nothing is served outside the prefix
      for (String p : List.of("/api/v1/query?query=1", "/-/healthy", "/-/ready", "/metrics", "/graph",
          "/static/app.js", "/promx/graph", "/prom/nonexistent")) {
        assertStatus(404, get(s, p));
      }
      assertStatus(404, post(s, "/-/reload"));
      HttpResponse<String> root = get(s, "/");
      assertStatus(302, root);
      assertEquals("/prom", root.headers().firstValue("Location").orElse(null));
      HttpResponse<String> bare = get(s, "/prom"); // Prometheus' router: 301 to the path with its slash
      assertStatus(301, bare);
      assertEquals("/prom/", bare.headers().firstValue("Location").orElse(null));
      HttpResponse<String> slash = get(s, "/prom/");
      assertStatus(302, slash);
      assertEquals("/prom/graph", slash.headers().firstValue("Location").orElse(null));
      JsonObject flags = JsonParser.parseString(get(s, "/prom/api/v1/status/flags").body()).getAsJsonObject()
          .getAsJsonObject("data");
      assertEquals("/prom", flags.get("web.route-prefix").getAsString());
    }
  }

  @Test
  void externalUrlPathDrivesLinksWhileTheRoutePrefixDrivesRouting() throws Exception {
    // a proxy that strips /ext: the server answers at the root, pages link below /ext
    try (PromkitServer s = start("--web.external-url=http://proxy.example:8080/ext/", "--web.route-prefix=/")) {
      assertStatus(200, get(s, "/api/v1/query?query=1"));
      assertStatus(200, get(s, "/-/healthy"));
      assertStatus(200, get(s, "/metrics"));
      HttpResponse<String> page = get(s, "/graph");
      assertStatus(200, page);
      assertTrue(page.body().contains("src=\"/ext/static/app.js\"")
          && page.body().contains("content=\"/ext\""), page.body());
      HttpResponse<String> root = get(s, "/");
      assertStatus(302, root);
      assertEquals("/ext/graph", root.headers().firstValue("Location").orElse(null));
      assertEquals("http://proxy.example:8080/ext", s.externalUrl());
    }
  }

  @Test
  void embeddedConfigScrapesTheServersOwnMetricsUnderThePrefix() throws Exception {
    try (PromkitServer s = PromkitServer.start(ServerOptions.parse("--config.file=" + dir.resolve("absent.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0", "--web.route-prefix=/prom"))) {
      String targets = get(s, "/prom/api/v1/targets").body();
      assertTrue(targets.contains("\"scrapeUrl\":\"http://localhost:" + s.port() + "/prom/metrics\""), targets);
      assertTrue(PromkitServer.embeddedConfig(9090, "").equals(PromkitServer.embeddedConfig(9090)));
    }
  }

  @Test
  void externalUrlAloneSetsTheRoutePrefix() throws Exception {
    try (PromkitServer s = start("--web.external-url=http://proxy.example/ext")) {
      assertStatus(200, get(s, "/ext/api/v1/query?query=1"));
      assertStatus(200, get(s, "/ext/-/ready"));
      assertStatus(404, get(s, "/api/v1/query?query=1"));
      assertEquals("/ext", get(s, "/").headers().firstValue("Location").orElse(null));
    }
  }

  @Test
  void alertsCarryGeneratorUrlsAndTemplatesTheExternalUrl() throws Exception {
    LinkedBlockingQueue<String> posts = new LinkedBlockingQueue<>();
    HttpServer am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    am.createContext("/", ex -> {
      try (ex) {
        posts.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        ex.sendResponseHeaders(200, -1);
      }
    });
    am.start();
    try {
      Files.writeString(dir.resolve("rules.yml"), "groups:\n  - name: g\n    interval: 1s\n    rules:\n"
          + "      - alert: Always\n        expr: vector(1)\n"
          + "        annotations:\n          link: '{{ $externalURL }}/alerts'\n");
      Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  evaluation_interval: 1s\n"
          + "rule_files: [rules.yml]\nalerting:\n  alertmanagers:\n    - static_configs:\n"
          + "        - targets: ['127.0.0.1:" + am.getAddress().getPort() + "']\n");
      try (PromkitServer s = PromkitServer.start(ServerOptions.parse("--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0",
          "--web.external-url=https://proxy.example:8443/prom/", "--web.route-prefix=/inner"))) {
        String post = posts.poll(20, TimeUnit.SECONDS);
        assertTrue(post != null, "no alert reached the Alertmanager");
        assertTrue(post.startsWith("/api/v2/alerts "), post);
        JsonArray alerts = JsonParser.parseString(post.substring(post.indexOf(' ') + 1)).getAsJsonArray();
        JsonObject a = alerts.get(0).getAsJsonObject();
        assertEquals("https://proxy.example:8443/prom/graph?g0.expr=vector%281%29&g0.tab=1",
            a.get("generatorURL").getAsString());
        assertEquals("https://proxy.example:8443/prom/alerts",
            a.getAsJsonObject("annotations").get("link").getAsString());
        String api = get(s, "/inner/api/v1/alerts").body();
        assertTrue(api.contains("\"link\":\"https://proxy.example:8443/prom/alerts\""), api);
      }
    } finally {
      am.stop(0);
    }
  }
}
