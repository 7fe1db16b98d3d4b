package dev.promkit.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.http.ScrapeExchange;
import dev.promkit.client.http.ScrapeHandler;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.ui.UiHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/** Serves an {@link Api} on the JDK's HttpServer: the adapter only copies requests and responses. */
public final class WebServer implements AutoCloseable {
  private static final int MAX_BODY = 16 << 20;
  private final HttpServer server;
  private final ExecutorService executor;

  private WebServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
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
    dev.promkit.client.http.JdkHttpTuning.tcpNoDelay();
    HttpServer s = HttpServer.create(address, 128);
    ExecutorService ex = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "promkit-web");
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(ex);
    UiHandler ui = new UiHandler(routePrefix, externalPath);
    String prefix = ui.routePrefix();
    ScrapeHandler scrape = new ScrapeHandler(metrics);
    // One context: the path is matched here, so that nothing outside the prefix is served.
    s.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      if (!prefix.isEmpty() && !path.startsWith(prefix + "/") && !path.equals(prefix)) {
        try (exchange) {
          if (path.equals("/")) { // Prometheus: the root redirects to the route prefix
            exchange.getResponseHeaders().set("Location", prefix);
            exchange.sendResponseHeaders(302, -1);
          } else {
            byte[] b = "404 page not found\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(404, head ? -1 : b.length);
            if (!head) {
              exchange.getResponseBody().write(b);
            }
          }
        }
        return;
      }
      String rest = path.substring(prefix.length());
      if (rest.equals("/metrics")) {
        scrape(exchange, scrape);
      } else if (rest.isEmpty() || rest.equals("/") || isUiRoute(rest)) {
        ui.handle(exchange);
      } else {
        serve(exchange, api, exchange.getRequestURI().getPath().substring(prefix.length()));
      }
    });
    s.start();
    return new WebServer(s, ex);
  }

  private static boolean isUiRoute(String rest) {
    for (String route : UiHandler.ROUTES) {
      if (route.endsWith("/") ? rest.startsWith(route) : rest.equals(route)) {
        return true;
      }
    }
    return false;
  }

  private static void scrape(HttpExchange exchange, ScrapeHandler scrape) throws IOException {
    try {
      scrape.handle(new ScrapeExchange() {
        @Override
        public String requestHeader(String name) {
          return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public String rawQuery() {
          return exchange.getRequestURI().getRawQuery();
        }

        @Override
        public OutputStream respond(int status, java.util.Map<String, String> headers) throws IOException {
          headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
          boolean head = "HEAD".equals(exchange.getRequestMethod());
          exchange.sendResponseHeaders(status, head ? -1 : 0);
          return head ? OutputStream.nullOutputStream() : exchange.getResponseBody();
        }
      });
    } finally {
      exchange.close();
    }
  }

  private static void serve(HttpExchange ex, Api api, String path) throws IOException {
    try {
      String body = null;
      if (!"GET".equals(ex.getRequestMethod())) {
        try (InputStream in = ex.getRequestBody()) {
          byte[] b = in.readNBytes(MAX_BODY + 1);
          if (b.length > MAX_BODY) {
            ex.sendResponseHeaders(413, -1);
            return;
          }
          body = new String(b, StandardCharsets.UTF_8);
        }
      }
      ApiRequest req = ApiRequest.of(ex.getRequestMethod(), path,
          ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Content-Type"), body);
      String ae = ex.getRequestHeaders().getFirst("Accept-Encoding");
      boolean acceptsGzip = ae != null && ae.contains("gzip");
      boolean head = "HEAD".equals(ex.getRequestMethod());
      api.serve(req, (status, contentType, length) -> {
        if (contentType != null) {
          ex.getResponseHeaders().set("Content-Type", contentType);
        }
        if (head) {
          ex.sendResponseHeaders(status, -1);
          return null;
        }
        if (acceptsGzip && (length < 0 || length > 1024)) {
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
          ex.sendResponseHeaders(status, 0);
          return new FastGzip(ex.getResponseBody());
        }
        if (length == 0) {
          ex.sendResponseHeaders(status, -1);
          return OutputStream.nullOutputStream();
        }
        ex.sendResponseHeaders(status, length < 0 ? 0 : length); // 0: chunked, as the body is streamed
        return ex.getResponseBody();
      });
    } finally {
      ex.close();
    }
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
    return server.getAddress().getPort();
  }

  /** Stops accepting, waits up to a second for requests in flight. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
