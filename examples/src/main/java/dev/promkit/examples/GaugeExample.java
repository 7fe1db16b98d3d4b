package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.registry.Registry;

/**
 * gauge: tracks requests in progress and the time of the last one. Exposes
 * {@code hello_worlds_total}, {@code hello_worlds_inprogress}, {@code hello_world_last_time_seconds}.
 */
final class GaugeExample {
  private GaugeExample() {}

  static HttpHandler app(Registry registry) {
    Counter requests = Counter.builder().name("hello_worlds_total").help("Hello Worlds requested.").register(registry);
    Gauge inProgress = Gauge.builder().name("hello_worlds_inprogress").help("Number of Hello Worlds in progress.")
        .register(registry);
    Gauge last = Gauge.builder().name("hello_world_last_time_seconds").help("The last time a Hello World was served.")
        .unit("seconds").register(registry);
    return exchange -> {
      requests.inc();
      try (Gauge.Tracker t = inProgress.track()) {
        HelloServer.respond(exchange, "Hello World");
        last.setToCurrentTime();
      }
    };
  }
}
