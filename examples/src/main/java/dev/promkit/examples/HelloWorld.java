package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.registry.Registry;

/**
 * hello-world: the app answers "Hello World"; the metrics port serves the registry (no metrics of
 * the app's own yet: the next examples add them).
 */
final class HelloWorld {
  private HelloWorld() {}

  static HttpHandler app(Registry registry) {
    return exchange -> HelloServer.respond(exchange, "Hello World");
  }
}
