package dev.promkit.server.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The differential: the same page flows and the same data directory (pre-filled through
 * core-tsdb, which the real Prometheus replays from the WAL) with the real Prometheus 2.42 under
 * {@code --web.route-prefix=/prom} behind the expression browser: a JDK HttpServer serves
 * {@link UiHandler} under {@code /prom} and forwards {@code /prom/api/} to Prometheus (same
 * origin). Every assertion that holds for our server holds for Prometheus' API too.
 */
class ExpressionBrowserPrometheusE2ETest extends ExpressionBrowserE2E {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Override
  List<String> flags() {
    return List.of();
  }

  @Override
  String prefix() {
    return "/prom";
  }

  @Override
  String variant() {
    return "prometheus";
  }

  @Override
  String startServer(Path config, Path data) throws Exception {
    Peer prometheus = Peer.start(Peers.PROMETHEUS, (port, dir) -> List.of("--config.file=" + config,
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + data, "--web.route-prefix=/prom"),
        "/prom/-/ready", Duration.ofSeconds(30));
    HttpServer ui;
    try {
      ui = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ui.createContext("/prom/", new UiHandler("/prom"));
      ui.createContext("/prom/api/", ex -> proxy(ex, prometheus.port()));
      ui.start();
    } catch (IOException | RuntimeException e) {
      prometheus.close();
      throw e;
    }
    server = () -> {
      try {
        ui.stop(0);
      } finally {
        prometheus.close();
      }
    };
    return "http://127.0.0.1:" + ui.getAddress().getPort() + "/prom";
  }

  /** Forwards the request to Prometheus on the same path, keeping status, type and body. */
  static void proxy(HttpExchange ex, int port) throws IOException {
    try (ex) {
      URI u = ex.getRequestURI();
      String target = "http://127.0.0.1:" + port + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(target)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      ex.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type").orElse("application/json"));
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
