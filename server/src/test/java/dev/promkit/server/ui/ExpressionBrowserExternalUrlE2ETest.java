package dev.promkit.server.ui;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link ExpressionBrowserE2E} behind a reverse proxy that serves the server under {@code /ext}
 * and strips that path: {@code --web.external-url=http://PROXY/ext/ --web.route-prefix=/}, so the
 * server answers at its root while every page, link and API call the browser makes goes through
 * {@code /ext}.
 */
class ExpressionBrowserExternalUrlE2ETest extends ExpressionBrowserE2E {
  @Override
  List<String> flags() {
    return List.of();
  }

  @Override
  String prefix() {
    return "/ext";
  }

  @Override
  String variant() {
    return "external-url";
  }

  @Override
  String startServer(Path config, Path data) throws Exception {
    HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String external = "http://127.0.0.1:" + proxy.getAddress().getPort() + "/ext";
    PromkitServer s;
    try {
      s = PromkitServer.start(ServerOptions.parse("--config.file=" + config, "--storage.tsdb.path=" + data,
          "--web.listen-address=127.0.0.1:0", "--web.external-url=" + external + "/", "--web.route-prefix=/"));
    } catch (Exception | Error e) {
      proxy.stop(0);
      throw e;
    }
    proxy.createContext("/ext/", ex -> ReverseProxy.forward(ex, s.port(), "/ext"));
    proxy.start();
    server = () -> {
      try {
        proxy.stop(0);
      } finally {
        s.close();
      }
    };
    return external;
  }
}
