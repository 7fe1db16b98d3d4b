package dev.promkit.server.ui;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.IOException;
import java.net.InetSocketAddress;
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
      ui.createContext("/prom/api/", ex -> ReverseProxy.forward(ex, prometheus.port(), ""));
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
}
