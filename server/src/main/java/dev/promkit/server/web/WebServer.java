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
   * Starts serving; {@code /metrics} goes to the client library's {@link ScrapeHandler} (content
   * negotiation, OpenMetrics, gzip, {@code name[]} filters), the expression browser's pages
   * ({@link UiHandler#ROUTES}, and {@code /}, which redirects to {@code /graph}) to the
   * {@link UiHandler}, everything else to the API.
   *
   * @param address where to listen (port 0 for any free port)
   * @param metrics the registry served at {@code /metrics}
   * @throws IOException if the address cannot be bound
   */
  public static WebServer start(InetSocketAddress address, Api api, Registry metrics) throws IOException {
    HttpServer s = HttpServer.create(address, 128);
    ExecutorService ex = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "promkit-web");
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(ex);
    UiHandler ui = new UiHandler("");
    // The API keeps the catch-all context; the HttpServer picks the longest matching context, so
    // each UI route gets its own, and the bare "/" (the redirect to /graph) is handed over here.
    s.createContext("/", exchange -> {
      if ("/".equals(exchange.getRequestURI().getPath())) {
        ui.handle(exchange);
      } else {
        serve(exchange, api);
      }
    });
    for (String route : UiHandler.ROUTES) {
      s.createContext(route, ui);
    }
    ScrapeHandler scrape = new ScrapeHandler(metrics);
    s.createContext("/metrics", exchange -> {
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
    });
    s.start();
    return new WebServer(s, ex);
  }

  private static void serve(HttpExchange ex, Api api) throws IOException {
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
      ApiRequest req = ApiRequest.of(ex.getRequestMethod(), ex.getRequestURI().getPath(),
          ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Content-Type"), body);
      String ae = ex.getRequestHeaders().getFirst("Accept-Encoding");
      boolean acceptsGzip = ae != null && ae.contains("gzip");
      boolean head = "HEAD".equals(ex.getRequestMethod());
      api.serve(req, (status, contentType, length) -> {
        ex.getResponseHeaders().set("Content-Type", contentType);
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
