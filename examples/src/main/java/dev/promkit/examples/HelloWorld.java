package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;

/**
 * hello-world: the app answers "Hello World" and counts the requests in {@code hello_worlds_total};
 * the metrics port serves it beside the default process and JVM metrics.
 */
final class HelloWorld {
  private HelloWorld() {}

  static HttpHandler app(Registry registry) {
    Counter requests = Counter.builder().name("hello_worlds_total").help("Hello Worlds requested.").register(registry);
    return exchange -> {
      requests.inc();
      HelloServer.respond(exchange, "Hello World");
    };
  }
}
