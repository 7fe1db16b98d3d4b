package dev.promkit.server.ui;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A minimal GET reverse proxy for the end-to-end tests: same origin for the UI and an API elsewhere. */
final class ReverseProxy {
  private static final HttpClient HTTP = HttpClient.newHttpClient(); // does not follow redirects

  private ReverseProxy() {}

  /**
   * Forwards the request to 127.0.0.1:port with {@code strip} removed from the front of the path,
   * keeping status, Content-Type, Location and body.
   */
  static void forward(HttpExchange ex, int port, String strip) throws IOException {
    try (ex) {
      URI u = ex.getRequestURI();
      String path = u.getRawPath();
      if (!path.startsWith(strip)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      String target = "http://127.0.0.1:" + port + path.substring(strip.length())
          + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(target)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
      r.headers().firstValue("Location").ifPresent(v -> ex.getResponseHeaders().set("Location", v));
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      if (r.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(r.body());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
