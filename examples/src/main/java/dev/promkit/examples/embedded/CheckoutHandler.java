package dev.promkit.examples.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.metrics.Clock;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Histogram;
import dev.promkit.client.registry.Registry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small web handler, instrumented: {@code POST /checkout?cart=<id>} asks a {@link PaymentService}
 * to charge the cart and answers 200, or 502 when the payment fails. Every request is counted in
 * {@code checkout_requests_total{code}} and timed in the histogram
 * {@code checkout_request_duration_seconds}. The clock is injected so that a test can control time.
 */
public final class CheckoutHandler implements HttpHandler {
  /** The dependency that does the work (and, in tests, takes a controlled amount of time). */
  @FunctionalInterface
  public interface PaymentService {
    /** Charges the cart; false when the payment is declined by an unavailable provider. */
    boolean charge(String cartId);
  }

  private final Clock clock;
  private final PaymentService payments;
  private final Counter requests;
  private final Histogram duration;

  /** A handler whose metrics go to {@code registry}, timed with {@code clock}. */
  public CheckoutHandler(Registry registry, Clock clock, PaymentService payments) {
    this.clock = clock;
    this.payments = payments;
    this.requests = Counter.builder().name("checkout_requests").help("Checkout requests by HTTP status code.")
        .labelNames("code").clock(clock).register(registry);
    this.duration = Histogram.builder().name("checkout_request_duration_seconds")
        .help("Time to answer a checkout request.").buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5).clock(clock)
        .register(registry);
    // Both outcomes exist from the start at 0: rate() needs two samples, so a series that appears with
    // its first failure would hide that failure from rate() and from the error-ratio alert.
    requests.labelValues("200");
    requests.labelValues("502");
  }

  /**
   * Handles one checkout and returns the HTTP status (the part a unit test calls directly).
   *
   * @param cartId the cart to pay for
   */
  public int checkout(String cartId) {
    long start = clock.nanoTime();
    int code = payments.charge(cartId) ? 200 : 502;
    duration.observe((clock.nanoTime() - start) / 1e9);
    requests.labelValues(Integer.toString(code)).inc();
    return code;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String query = exchange.getRequestURI().getQuery();
      String cart = query != null && query.startsWith("cart=") ? query.substring(5) : "";
      int code = checkout(cart);
      byte[] body = (code == 200 ? "paid\n" : "payment failed\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
