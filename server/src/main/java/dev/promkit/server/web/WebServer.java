package dev.promkit.server.web;

import dev.promkit.client.http.ScrapeExchange;
import dev.promkit.client.http.ScrapeHandler;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.http.Exchange;
import dev.promkit.server.http.Handler;
import dev.promkit.server.http.Http1Server;
import dev.promkit.server.ui.UiHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Serves an {@link Api}, the UI and {@code /metrics} on promkit's own HTTP/1.1 server
 * ({@link Http1Server}): the adapter only routes and copies requests and responses.
 */
public final class WebServer implements AutoCloseable {
  private static final int MAX_BODY = 16 << 20;
  private final Http1Server server;

  private WebServer(Http1Server server) {
    this.server = server;
  }

  /**
   * Starts serving at the root; see {@link #start(InetSocketAddress, Api, Registry, String, String)}.
   *
   * @param address where to listen (port 0 for any free port)
   * @param metrics the registry served at {@code /metrics}
   * @throws IOException if the address cannot be bound
   */
  public static WebServer start(InetSocketAddress address, Api api, Registry metrics) throws IOException {
    return start(address, api, metrics, "", "");
  }

  /**
   * Starts serving everything under {@code routePrefix}, as Prometheus' {@code --web.route-prefix}:
   * {@code PREFIX/metrics} goes to the client library's {@link ScrapeHandler} (content negotiation,
   * OpenMetrics, gzip, {@code name[]} filters), the expression browser's pages
   * ({@link UiHandler#ROUTES}) to the {@link UiHandler}, everything else ({@code PREFIX/api/v1/...},
   * {@code PREFIX/-/healthy}, ...) to the API with the prefix stripped. {@code PREFIX/} redirects to
   * {@code EXTERNAL-PATH/graph}; with a prefix, {@code /} redirects to it and other paths outside
   * it are 404.
   *
   * @param address where to listen (port 0 for any free port)
   * @param metrics the registry served at {@code PREFIX/metrics}
   * @param routePrefix {@code ""} for the root, else {@code /a/b}
   * @param externalPath the path of the external URL, which the UI's links, API calls and
   *     redirects use (the route prefix unless a proxy rewrites paths)
   * @throws IOException if the address cannot be bound
   */
  public static WebServer start(InetSocketAddress address, Api api, Registry metrics, String routePrefix,
      String externalPath) throws IOException {
    // Still set for the JDK servers an embedding application (or a test double) runs beside this one.
    dev.promkit.client.http.JdkHttpTuning.tcpNoDelay();
    UiHandler ui = new UiHandler(routePrefix, externalPath);
    String prefix = ui.routePrefix();
    ScrapeHandler scrape = new ScrapeHandler(metrics);
    // One handler: the path is matched here, so that nothing outside the prefix is served.
    Handler h = exchange -> {
      String path = exchange.rawPath();
      if (!prefix.isEmpty() && !path.startsWith(prefix + "/") && !path.equals(prefix)) {
        if (path.equals("/")) { // Prometheus: the root redirects to the route prefix
          exchange.responseHeader("Location", prefix);
          exchange.respond(302, 0).close();
        } else {
          byte[] b = "404 page not found\n".getBytes(StandardCharsets.UTF_8);
          exchange.responseHeader("Content-Type", "text/plain; charset=utf-8");
          try (OutputStream out = exchange.respond(404, b.length)) {
            out.write(b);
          }
        }
        return;
      }
      String rest = path.substring(prefix.length());
      if (rest.equals("/metrics")) {
        scrape(exchange, scrape);
      } else if (rest.isEmpty() || rest.equals("/") || isUiRoute(rest)) {
        ui.serve(exchange);
      } else {
        serve(exchange, api, exchange.path().substring(prefix.length()));
      }
    };
    return new WebServer(Http1Server.start(address, h, Http1Server.Options.defaults()));
  }

  private static boolean isUiRoute(String rest) {
    for (String route : UiHandler.ROUTES) {
      if (route.endsWith("/") ? rest.startsWith(route) : rest.equals(route)) {
        return true;
      }
    }
    return false;
  }

  private static void scrape(Exchange exchange, ScrapeHandler scrape) throws IOException {
    scrape.handle(new ScrapeExchange() {
      @Override
      public String requestHeader(String name) {
        return exchange.requestHeader(name);
      }

      @Override
      public String rawQuery() {
        return exchange.rawQuery();
      }

      @Override
      public OutputStream respond(int status, java.util.Map<String, String> headers) throws IOException {
        headers.forEach(exchange::responseHeader);
        return exchange.respond(status, -1); // streamed: chunked (a HEAD request gets no body)
      }
    });
  }

  private static void serve(Exchange ex, Api api, String path) throws IOException {
    String body = null;
    if (!"GET".equals(ex.method())) {
      try (InputStream in = ex.requestBody()) {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
          ex.respond(413, 0).close();
          return;
        }
        body = new String(b, StandardCharsets.UTF_8);
      }
    }
    ApiRequest req = ApiRequest.of(ex.method(), path, ex.rawQuery(), ex.requestHeader("Content-Type"), body);
    String ae = ex.requestHeader("Accept-Encoding");
    boolean acceptsGzip = ae != null && ae.contains("gzip");
    boolean head = "HEAD".equals(ex.method());
    api.serve(req, (status, contentType, length) -> {
      if (contentType != null) {
        ex.responseHeader("Content-Type", contentType);
      }
      if (head) {
        ex.respond(status, length < 0 ? -1 : length).close();
        return null;
      }
      if (acceptsGzip && (length < 0 || length > 1024)) {
        ex.responseHeader("Content-Encoding", "gzip");
        return new FastGzip(ex.respond(status, -1));
      }
      return ex.respond(status, length); // with its length: headers and body in one write when it fits
    });
  }

  /** gzip at the fastest level: a 16 MB matrix compresses several times faster than at the default 6. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
    }
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** Stops accepting, waits up to a second for requests in flight. */
  @Override
  public void close() {
    server.close();
  }
}
