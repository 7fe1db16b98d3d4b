package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Summary;
import dev.promkit.client.metrics.Timer;
import dev.promkit.client.registry.Registry;

/**
 * summary: times each request into a summary with median, 90th and 99th percentile (each within
 * 1% of the true value). Exposes {@code hello_worlds_total} and {@code hello_world_latency_seconds}.
 */
final class SummaryExample {
  private SummaryExample() {}

  static HttpHandler app(Registry registry) {
    Counter requests = Counter.builder().name("hello_worlds_total").help("Hello Worlds requested.").register(registry);
    Summary latency = Summary.builder().name("hello_world_latency_seconds").help("Time for a request Hello World.")
        .unit("seconds").quantile(0.5).quantile(0.9).quantile(0.99).register(registry);
    return exchange -> {
      requests.inc();
      try (Timer t = latency.startTimer()) {
        HelloServer.respond(exchange, "Hello World");
      }
    };
  }
}
