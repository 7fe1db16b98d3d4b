package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * counter: counts requests, failed requests (one in five fails on purpose) and "sales" in euros.
 * Exposes {@code hello_worlds_total}, {@code hello_world_exceptions_total},
 * {@code hello_world_sales_euro_total}.
 */
final class CounterExample {
  private CounterExample() {}

  static HttpHandler app(Registry registry) {
    Counter requests = Counter.builder().name("hello_worlds_total").help("Hello Worlds requested.").register(registry);
    Counter exceptions = Counter.builder().name("hello_world_exceptions_total")
        .help("Exceptions serving Hello World.").register(registry);
    Counter sales = Counter.builder().name("hello_world_sales_euro_total").help("Euros made serving Hello World.")
        .unit("euro").register(registry);
    return exchange -> {
      requests.inc();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (random.nextDouble() < 0.2) {
        exceptions.inc();
        HelloServer.respond(exchange, 500, "Something went wrong (on purpose, one time in five).");
        return;
      }
      double euros = random.nextDouble();
      sales.inc(euros);
      HelloServer.respond(exchange, String.format(Locale.ROOT, "Hello World for %.2f euros.", euros));
    };
  }
}
