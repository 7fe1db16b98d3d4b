package dev.promkit.promql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

@ExtendWith(PromQLExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PromQLExtensionTest {
  private static PromQLTestHarness previous;

  @Test
  @Order(1)
  void injectsAHarnessAndItsClock(PromQLTestHarness h, TestClock clock) {
    assertSame(h.clock(), clock);
    Registry r = new Registry();
    Counter c = Counter.builder().name("orders").help("Orders.").clock(clock).register(r);
    h.addTarget(r).scrape();
    c.inc(6);
    h.advanceScraping(Duration.ofMinutes(1), Duration.ofSeconds(30));
    h.query("increase(orders_total[2m])").assertSingleValue(6, 1e-9);
    previous = h;
  }

  @Test
  @Order(2)
  void eachTestGetsAFreshHarness(PromQLTestHarness h) {
    assertNotSame(previous, h);
    assertEquals(TestClock.DEFAULT_START, h.now());
    h.query("orders_total").assertEmpty();
  }

  @Test
  @Order(3)
  void failingTestPrintsSeriesAndLastQueryAndStillFails() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    System.setProperty(DEMO, "true");
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(DiscoverySelectors.selectClass(FailingDemo.class)).build(), listener);
    } finally {
      System.setErr(old);
      System.clearProperty(DEMO);
    }
    assertEquals(1, listener.getSummary().getTotalFailureCount());
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("[checksTheWrongValue(PromQLTestHarness) failed]"), printed);
    assertTrue(printed.contains("x{} => 1 @2026-01-01T00:00:00Z"), printed);
    assertTrue(printed.contains("last query: x + 1 at 2026-01-01T00:00:00Z\nvector with 1 sample\n  {} => 2"),
        printed);
  }

  private static final String DEMO = "promkit.testing.extensionDemo";

  /** Run only through the launcher above (the assumption skips it anywhere else). */
  @ExtendWith(PromQLExtension.class)
  static class FailingDemo {
    @Test
    void checksTheWrongValue(PromQLTestHarness h) {
      Assumptions.assumeTrue(Boolean.getBoolean(DEMO), "run by PromQLExtensionTest only");
      h.load("load 1m\n  x 1\n");
      h.query("x + 1").assertSingleValue(3);
    }
  }
}
