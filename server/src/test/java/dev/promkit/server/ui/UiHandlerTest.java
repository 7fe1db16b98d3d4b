package dev.promkit.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UiHandlerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private HttpServer server;

  private String start(String prefix) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    UiHandler h = new UiHandler(prefix);
    server.createContext(h.routePrefix() + "/", h);
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesEveryPageRouteAsTheHtmlShellWithThePrefixInjected() throws Exception {
    String base = start("/prom/");
    for (String page : new String[] {"graph", "query", "targets", "alerts", "rules", "status", "flags",
        "config", "tsdb-status", "service-discovery"}) {
      HttpResponse<String> r = get(base + "/prom/" + page);
      assertEquals(200, r.statusCode(), page);
      assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""), page);
      assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""), page);
      assertTrue(r.body().contains("content=\"/prom\""), page);
      assertTrue(r.body().contains("src=\"/prom/static/app.js\""), page);
      assertFalse(r.body().contains("{{PREFIX}}"), page);
    }
  }

  @Test
  void rootRedirectsToGraphUnderThePrefix() throws Exception {
    String base = start("/prom");
    HttpResponse<String> r = get(base + "/prom/");
    assertEquals(302, r.statusCode());
    assertEquals("/prom/graph", r.headers().firstValue("Location").orElse(""));
    server.stop(0);
    base = start("");
    r = get(base + "/");
    assertEquals(302, r.statusCode());
    assertEquals("/graph", r.headers().firstValue("Location").orElse(""));
  }

  @Test
  void barePrefixRedirectsPermanentlyToThePrefixWithItsSlashKeepingTheQuery() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/prom", new UiHandler("/prom")); // also receives "/prom" itself
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    HttpResponse<String> r = get(base + "/prom");
    assertEquals(301, r.statusCode());
    assertEquals("/prom/", r.headers().firstValue("Location").orElse(""));
    r = get(base + "/prom?g0.expr=up");
    assertEquals(301, r.statusCode());
    assertEquals("/prom/?g0.expr=up", r.headers().firstValue("Location").orElse(""));
  }

  @Test
  void staticAssetsCarryTheirContentTypeAndAnEtagThatYields304() throws Exception {
    String base = start("");
    HttpResponse<String> js = get(base + "/static/app.js");
    assertEquals(200, js.statusCode());
    assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElse(""));
    assertEquals("public, max-age=300", js.headers().firstValue("Cache-Control").orElse(""));
    HttpResponse<String> css = get(base + "/static/app.css");
    assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
    String etag = js.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/static/app.js"))
        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(304, again.statusCode());
    assertEquals("", again.body());
  }

  @Test
  void unknownPathsAndAssetsAre404() throws Exception {
    String base = start("/prom");
    assertEquals(404, get(base + "/prom/nope").statusCode());
    assertEquals(404, get(base + "/prom/static/nope.js").statusCode());
    assertEquals(404, get(base + "/prom/static/").statusCode());
    assertEquals(404, get(base + "/prom/graph/extra").statusCode());
    assertEquals(404, get(base + "/prom/static/app.exe").statusCode());
    // index.html is only served through the page routes, with the prefix filled in
    assertEquals(404, get(base + "/prom/index.html").statusCode());
  }

  @Test
  void refusesDirectoryTraversalInEveryEncoding() throws Exception {
    String base = start("");
    // raw requests: HttpClient would normalize "..", a browser or curl --path-as-is need not
    for (String path : new String[] {"/static/../index.html", "/static/..%2findex.html", "/static/%2e%2e/index.html",
        "/static/..%5cindex.html", "/static/.hidden.js", "/static/../../../../etc/passwd",
        "/static/..", "/static//etc/passwd"}) {
      assertEquals(404, rawStatus(server.getAddress().getPort(), path), path);
    }
    assertEquals(200, rawStatus(server.getAddress().getPort(), "/static/app.js"));
  }

  @Test
  void onlyGetAndHeadAreAllowed() throws Exception {
    String base = start("");
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/graph"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/graph"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  @Test
  void linkPrefixDrivesPagesAndRedirectsWhileTheRoutePrefixDrivesMatching() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    UiHandler h = new UiHandler("/", "/ext/"); // behind a proxy that strips /ext
    server.createContext("/", h);
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    HttpResponse<String> page = get(base + "/alerts");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("content=\"/ext\"") && page.body().contains("src=\"/ext/static/app.js\"")
        && page.body().contains("href=\"/ext/rules\""), page.body());
    assertEquals(404, get(base + "/ext/alerts").statusCode());
    HttpResponse<String> root = get(base + "/");
    assertEquals(302, root.statusCode());
    assertEquals("/ext/graph", root.headers().firstValue("Location").orElse(""));
  }

  @Test
  void prefixIsHtmlEscapedInTheShell() throws Exception {
    String base = start("/a\"b<c>");
    HttpResponse<String> r = get(base + "/a%22b%3Cc%3E/graph");
    // the raw path keeps the percent-encoding, which does not match the prefix: 404, no injection
    assertEquals(404, r.statusCode());
    assertTrue(UiHandler.escapeHtml("/a\"b<c>").equals("/a&quot;b&lt;c&gt;"));
  }

  @Test
  void prefixIsNormalizedAndDerivedFromTheExternalUrl() {
    assertEquals("", UiHandler.normalizePrefix(""));
    assertEquals("", UiHandler.normalizePrefix("/"));
    assertEquals("/prom", UiHandler.normalizePrefix("prom/"));
    assertEquals("/prom", UiHandler.routePrefixOf(URI.create("https://example.com/prom/")));
    assertEquals("", UiHandler.routePrefixOf(URI.create("http://example.com:9090")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UiHandler("/x?y"));
    assertTrue(e.getMessage().contains("/x?y"), e.getMessage());
  }

  @Test
  void routesCanBeMountedNextToACatchAllApiContext() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> { // stands in for the API's catch-all
      ex.sendResponseHeaders(418, -1);
      ex.close();
    });
    UiHandler ui = new UiHandler("");
    for (String route : UiHandler.ROUTES) {
      server.createContext(route, ui);
    }
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    assertEquals(200, get(base + "/graph").statusCode());
    assertEquals(200, get(base + "/tsdb-status").statusCode());
    assertEquals(200, get(base + "/static/graph.js").statusCode());
    assertEquals(418, get(base + "/api/v1/query").statusCode());
    assertEquals(404, get(base + "/graphs").statusCode()); // prefix-matched by "/graph", refused by the handler
  }

  /** Status code of a GET sent byte for byte, so the path is not normalized by a client. */
  private static int rawStatus(int port, String path) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
