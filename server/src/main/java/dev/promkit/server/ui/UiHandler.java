package dev.promkit.server.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.promkit.server.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the embedded expression browser (vanilla HTML/CSS/JS from the classpath) that talks only
 * to the Prometheus HTTP API under the same route prefix.
 *
 * <p>Mount it on the route prefix: {@code server.createContext(prefix + "/", new UiHandler(prefix))}
 * on the JDK's server, or call {@link #serve(Exchange)} from a handler of promkit's own.
 * The page routes ({@code /graph}, {@code /query}, {@code /targets}, {@code /alerts}, {@code /rules},
 * {@code /status}, {@code /flags}, {@code /config}, {@code /tsdb-status},
 * {@code /service-discovery}) all return the same HTML shell, which picks the page from the path;
 * {@code /} redirects (302) to {@code /graph} and the bare prefix (301) to the prefix with its slash,
 * as Prometheus' router does; {@code /static/NAME} returns an asset. Anything else is 404,
 * as are names with {@code ..}, hidden files or characters outside {@code [A-Za-z0-9._-]}.
 * GET and HEAD only. Responses carry an ETag and honour {@code If-None-Match}.
 */
public final class UiHandler implements HttpHandler {
  private static final String ROOT = "/dev/promkit/server/ui/";
  private static final Set<String> PAGES = Set.of("graph", "query", "targets", "alerts", "rules",
      "status", "flags", "config", "tsdb-status", "service-discovery");

  /**
   * The paths (below the route prefix) this handler answers, for servers that mount it next to a
   * catch-all context: every page, and {@code /static/} for assets. The bare prefix ({@code /},
   * a redirect to {@code /graph}) is not listed: delegate it explicitly or mount the handler on
   * {@code prefix + "/"} with the API on longer contexts.
   */
  public static final List<String> ROUTES = List.of("/graph", "/query", "/targets", "/alerts", "/rules",
      "/status", "/flags", "/config", "/tsdb-status", "/service-discovery", "/static/");
  private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json; charset=utf-8",
      "txt", "text/plain; charset=utf-8");

  private final String prefix;
  private final String linkPrefix;
  private final Asset shell;
  private final Map<String, Asset> assets = new ConcurrentHashMap<>();

  /**
   * A handler for UI pages under a route prefix, linking to the same prefix.
   *
   * @param routePrefix as {@code --web.route-prefix}: empty or {@code /} for the root, else a path
   *     such as {@code /prometheus} (a trailing slash is dropped, a missing leading one added)
   * @throws IllegalArgumentException when the prefix has a query, fragment or backslash
   */
  public UiHandler(String routePrefix) {
    this(routePrefix, routePrefix);
  }

  /**
   * A handler answering under {@code routePrefix} whose pages, links, redirects and API calls use
   * {@code linkPrefix}, the path of {@code --web.external-url} as Prometheus' pages do: the two
   * differ behind a reverse proxy that strips or adds a path.
   *
   * @param routePrefix the path prefix requests arrive with
   * @param linkPrefix the path prefix the browser sees
   * @throws IllegalArgumentException when a prefix has a query, fragment or backslash
   */
  public UiHandler(String routePrefix, String linkPrefix) {
    this.prefix = normalizePrefix(routePrefix);
    this.linkPrefix = normalizePrefix(linkPrefix);
    byte[] html = load("index.html");
    if (html == null) {
      throw new IllegalStateException("UI asset " + ROOT + "index.html missing from the classpath");
    }
    String page = new String(html, StandardCharsets.UTF_8).replace("{{PREFIX}}", escapeHtml(this.linkPrefix));
    this.shell = new Asset(page.getBytes(StandardCharsets.UTF_8), TYPES.get("html"), "no-cache");
  }

  /**
   * The route prefix Prometheus derives from {@code --web.external-url} when
   * {@code --web.route-prefix} is not given: the URL's path without its trailing slash.
   */
  public static String routePrefixOf(URI externalUrl) {
    String path = externalUrl.getRawPath();
    return normalizePrefix(path == null ? "" : path);
  }

  /** The normalized route prefix ({@code ""} or {@code /x}). */
  public String routePrefix() {
    return prefix;
  }

  static String normalizePrefix(String p) {
    if (p == null) {
      throw new IllegalArgumentException("route prefix must not be null");
    }
    if (p.contains("?") || p.contains("#") || p.contains("\\")) {
      throw new IllegalArgumentException("route prefix '" + p + "' must be a plain path");
    }
    String s = p.startsWith("/") ? p : "/" + p;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** Serves a request of the JDK's server (for applications that mount the UI there). */
  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      serve(new Req() {
        @Override
        public String method() {
          return ex.getRequestMethod();
        }

        @Override
        public String rawPath() {
          return ex.getRequestURI().getRawPath();
        }

        @Override
        public String rawQuery() {
          return ex.getRequestURI().getRawQuery();
        }

        @Override
        public String header(String name) {
          return ex.getRequestHeaders().getFirst(name);
        }

        @Override
        public void setHeader(String name, String value) {
          ex.getResponseHeaders().set(name, value);
        }

        @Override
        public OutputStream send(int status, int length, boolean head) throws IOException {
          ex.sendResponseHeaders(status, head || length == 0 ? -1 : length);
          return head || length == 0 ? OutputStream.nullOutputStream() : ex.getResponseBody();
        }
      });
    }
  }

  /** Serves a request of promkit's own server ({@code dev.promkit.server.http}). */
  public void serve(Exchange ex) throws IOException {
    serve(new Req() {
      @Override
      public String method() {
        return ex.method();
      }

      @Override
      public String rawPath() {
        return ex.rawPath();
      }

      @Override
      public String rawQuery() {
        return ex.rawQuery();
      }

      @Override
      public String header(String name) {
        return ex.requestHeader(name);
      }

      @Override
      public void setHeader(String name, String value) {
        ex.responseHeader(name, value);
      }

      @Override
      public OutputStream send(int status, int length, boolean head) throws IOException {
        return ex.respond(status, length); // the server drops a HEAD response's body
      }
    });
  }

  /** What serving needs of a server's exchange. */
  private interface Req {
    String method();

    String rawPath();

    String rawQuery();

    String header(String name);

    void setHeader(String name, String value);

    /** Sends status and headers; the body (length bytes, none for HEAD) goes into the stream. */
    OutputStream send(int status, int length, boolean head) throws IOException;
  }

  private void serve(Req ex) throws IOException {
    String method = ex.method();
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      ex.setHeader("Allow", "GET, HEAD");
      send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n", head);
      return;
    }
    String path = ex.rawPath();
    if (!path.startsWith(prefix)) {
      send(ex, 404, "text/plain; charset=utf-8", "404 page not found\n", head);
      return;
    }
    String rest = path.substring(prefix.length());
    if (rest.isEmpty()) { // the prefix without its slash: Prometheus' router answers 301 to prefix + "/"
      String query = ex.rawQuery();
      ex.setHeader("Location", path + "/" + (query == null ? "" : "?" + query));
      send(ex, 301, "text/plain; charset=utf-8", "", head);
      return;
    }
    if (rest.equals("/")) {
      ex.setHeader("Location", linkPrefix + "/graph");
      send(ex, 302, "text/plain; charset=utf-8", "", head);
      return;
    }
    Asset a = null;
    if (PAGES.contains(rest.substring(1))) {
      a = shell;
    } else if (rest.startsWith("/static/")) {
      a = asset(rest.substring("/static/".length()));
    }
    if (a == null) {
      send(ex, 404, "text/plain; charset=utf-8", "404 page not found\n", head);
      return;
    }
    ex.setHeader("Cache-Control", a.cacheControl);
    ex.setHeader("ETag", a.etag);
    ex.setHeader("X-Content-Type-Options", "nosniff");
    String inm = ex.header("If-None-Match");
    if (a.etag.equals(inm)) {
      ex.send(304, 0, head).close();
      return;
    }
    ex.setHeader("Content-Type", a.contentType);
    try (OutputStream out = ex.send(200, a.body.length, head)) {
      if (!head) {
        out.write(a.body);
      }
    }
  }

  /** The asset under static/ with this (still percent-encoded) name, or null. */
  private Asset asset(String name) {
    // Raw path: "%2e%2e" stays literal and fails the pattern, as do '/' and "..".
    if (!ASSET_NAME.matcher(name).matches() || name.contains("..")) {
      return null;
    }
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
    if (type == null) {
      return null;
    }
    return assets.computeIfAbsent(name, n -> {
      byte[] b = load("static/" + n);
      return b == null ? null : new Asset(b, type, "public, max-age=300");
    });
  }

  private static byte[] load(String name) {
    try (InputStream in = UiHandler.class.getResourceAsStream(ROOT + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading UI asset " + ROOT + name, e);
    }
  }

  private static void send(Req ex, int code, String type, String body, boolean head) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.setHeader("Content-Type", type);
    try (OutputStream out = ex.send(code, b.length, head)) {
      if (!head) {
        out.write(b);
      }
    }
  }

  static String escapeHtml(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&': b.append("&amp;"); break;
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '"': b.append("&quot;"); break;
        case '\'': b.append("&#39;"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }

  private static final class Asset {
    final byte[] body;
    final String contentType;
    final String cacheControl;
    final String etag;

    Asset(byte[] body, String contentType, String cacheControl) {
      this.body = body;
      this.contentType = contentType;
      this.cacheControl = cacheControl;
      this.etag = etagOf(body);
    }

    private static String etagOf(byte[] body) {
      try {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
        return "\"" + HexFormat.of().formatHex(d, 0, 8) + "\"";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
