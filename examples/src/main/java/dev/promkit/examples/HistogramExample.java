package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Histogram;
import dev.promkit.client.metrics.Timer;
import dev.promkit.client.registry.Registry;

/**
 * histogram: times each request into the default latency buckets, for
 * {@code histogram_quantile()} on the server side. Exposes {@code hello_worlds_total} and
 * {@code hello_world_latency_seconds}.
 */
final class HistogramExample {
  private HistogramExample() {}

  static HttpHandler app(Registry registry) {
    Counter requests = Counter.builder().name("hello_worlds_total").help("Hello Worlds requested.").register(registry);
    Histogram latency = Histogram.builder().name("hello_world_latency_seconds").help("Time for a request Hello World.")
        .unit("seconds").register(registry);
    return exchange -> {
      requests.inc();
      try (Timer t = latency.startTimer()) {
        HelloServer.respond(exchange, "Hello World");
      }
    };
  }
}
