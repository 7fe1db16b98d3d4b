package dev.promkit.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** The app server of the examples (JDK HttpServer) and the response helper they share. */
final class HelloServer {
  private HelloServer() {}

  static HttpServer start(int port, HttpHandler handler) throws IOException {
    dev.promkit.client.http.JdkHttpTuning.tcpNoDelay(); // no ~40 ms delayed-ACK wait per keep-alive scrape
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/", handler);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "hello-app");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return server;
  }

  /** Sends a 200 text response. */
  static void respond(HttpExchange exchange, String body) throws IOException {
    respond(exchange, 200, body);
  }

  /** Sends a text response with the given status. */
  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
