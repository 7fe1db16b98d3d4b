package dev.promkit.server.scrape;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** A scrape target whose body, content type and delay a test switches at will. */
final class TestTarget implements AutoCloseable {
  volatile String body = "";
  volatile String contentType = "text/plain; version=0.0.4";
  volatile long delayMillis;
  volatile String lastAccept;
  volatile String lastAcceptEncoding;
  volatile String lastTimeoutHeader;
  volatile String lastUri;
  private final HttpServer server;

  TestTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      lastAccept = ex.getRequestHeaders().getFirst("Accept");
      lastAcceptEncoding = ex.getRequestHeaders().getFirst("Accept-Encoding");
      lastTimeoutHeader = ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds");
      lastUri = ex.getRequestURI().toString();
      if (ex.getRequestURI().getPath().startsWith("/moved")) {
        ex.getResponseHeaders().set("Location", "/metrics"); // e.g. metrics_path: /moved
        ex.sendResponseHeaders(302, -1);
        ex.close();
        return;
      }
      try {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        if ("gzip".equals(lastAcceptEncoding)) {
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = new GZIPOutputStream(ex.getResponseBody())) {
            out.write(b);
          }
        } else {
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // client went away (timeout test)
      } finally {
        ex.close();
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-target");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
