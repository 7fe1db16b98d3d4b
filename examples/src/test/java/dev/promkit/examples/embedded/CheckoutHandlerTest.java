package dev.promkit.examples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.client.registry.Registry;
import dev.promkit.promql.testing.Alert;
import dev.promkit.promql.testing.PromQLExtension;
import dev.promkit.promql.testing.PromQLTestHarness;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checkout handler's metrics and alerts, checked with PromQL in a plain unit test: no Prometheus,
 * no sleeping. Every 15 simulated seconds the test sends 10 checkouts (8 take 100 ms, 2 take 400 ms,
 * simulated by moving the clock inside the fake payment service), then lets the harness scrape the
 * registry and evaluate the rules the team deploys.
 */
@ExtendWith(PromQLExtension.class)
class CheckoutHandlerTest {
  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);

  private PromQLTestHarness h;
  private CheckoutHandler handler;
  private final AtomicInteger failuresPerTen = new AtomicInteger();
  private int request;

  @BeforeEach
  void setUp(PromQLTestHarness harness) throws URISyntaxException {
    h = harness;
    Registry registry = new Registry();
    handler = new CheckoutHandler(registry, h.clock(), cart -> {
      int n = request++ % 10;
      h.advance(Duration.ofMillis(n < 8 ? 100 : 400)); // the payment provider's latency
      return n >= failuresPerTen.get();
    });
    h.addTarget("checkout", "checkout-1:8080", registry);
    h.loadRules(Path.of(CheckoutHandler.class.getResource("checkout-alerts.yml").toURI()));
    h.scrape();
  }

  /** Ten checkouts (taking 1.6 s of the clock), then the rest of a scrape interval with a scrape and rule run. */
  private void trafficFor(Duration total) {
    for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(SCRAPE_INTERVAL)) {
      for (int i = 0; i < 10; i++) {
        handler.checkout("cart-" + i);
      }
      h.advanceScraping(SCRAPE_INTERVAL.minusMillis(1600), SCRAPE_INTERVAL);
    }
  }

  @Test
  void requestRateAndLatencyQuantilesFollowTheTraffic() {
    trafficFor(Duration.ofMinutes(2));
    // 10 requests every 15 s.
    h.query("sum(rate(checkout_requests_total[1m]))").assertSingleValue(10 / 15.0, 1e-9);
    h.query("job:checkout_requests:rate1m").assertValue("{code=\"200\"}", 10 / 15.0, 1e-9);
    // 8 of 10 in the (0.05, 0.1] bucket, 2 in (0.25, 0.5]: histogram_quantile interpolates inside a bucket.
    String q = "histogram_quantile(%s, sum by (le) (rate(checkout_request_duration_seconds_bucket[1m])))";
    h.query(String.format(q, "0.5")).assertSingleValue(0.05 + 0.05 * 5 / 8, 1e-9);
    h.query(String.format(q, "0.9")).assertSingleValue(0.25 + 0.25 * 1 / 2, 1e-9);
    h.query("sum(rate(checkout_request_duration_seconds_sum[1m])) / sum(rate(checkout_request_duration_seconds_count[1m]))")
        .assertSingleValue(0.16, 1e-9);
  }

  @Test
  void errorRatioAlertGoesPendingThenFiresAfterTwoMinutes() {
    trafficFor(Duration.ofMinutes(2));
    h.assertNotActive("CheckoutErrorRatioHigh");

    failuresPerTen.set(5); // the payment provider starts failing half the checkouts
    trafficFor(SCRAPE_INTERVAL);
    h.assertPending("CheckoutErrorRatioHigh");
    trafficFor(Duration.ofSeconds(105));
    h.assertPending("CheckoutErrorRatioHigh");
    trafficFor(SCRAPE_INTERVAL);

    Alert alert = h.assertFiring("CheckoutErrorRatioHigh", "{severity=\"page\", job=\"checkout\"}");
    assertEquals("checkout: 50% of checkouts fail", alert.annotations().get("summary"));
    h.query("ALERTS{alertname=\"CheckoutErrorRatioHigh\"}").assertValue("{alertstate=\"firing\"}", 1);

    failuresPerTen.set(0); // fixed: the ratio drops below 10% once the failures leave the 1m window
    trafficFor(Duration.ofMinutes(1));
    h.assertNotActive("CheckoutErrorRatioHigh");
  }
}
