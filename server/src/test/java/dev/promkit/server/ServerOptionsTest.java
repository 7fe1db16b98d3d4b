package dev.promkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scrape timestamp flags: Prometheus' names, defaults and negation. */
class ServerOptionsTest {
  @Test
  void adjustsScrapeTimestampsByTwoMillisecondsByDefault() {
    ServerOptions o = ServerOptions.parse();
    assertTrue(o.scrapeAdjustTimestamps());
    assertEquals(Duration.ofMillis(2), o.effectiveScrapeTimestampTolerance());
    assertEquals("true", o.asFlags().get("scrape.adjust-timestamps"));
    assertEquals("2ms", o.asFlags().get("scrape.timestamp-tolerance"));
  }

  @Test
  void negatedFlagTurnsTheAdjustmentOff() {
    ServerOptions o = ServerOptions.parse("--no-scrape.adjust-timestamps");
    assertFalse(o.scrapeAdjustTimestamps());
    assertEquals(Duration.ZERO, o.effectiveScrapeTimestampTolerance());
    assertFalse(ServerOptions.parse("--scrape.adjust-timestamps=false").scrapeAdjustTimestamps());
  }

  @Test
  void takesATolerance() {
    assertEquals(Duration.ofMillis(25),
        ServerOptions.parse("--scrape.timestamp-tolerance=25ms").effectiveScrapeTimestampTolerance());
    assertEquals(Duration.ofMillis(10),
        ServerOptions.parse("--scrape.timestamp-tolerance", "10ms").effectiveScrapeTimestampTolerance());
  }

  @Test
  void rejectsABadToleranceNamingTheFlag() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.parse("--scrape.timestamp-tolerance=soon"));
    assertTrue(e.getMessage().contains("--scrape.timestamp-tolerance"), e.getMessage());
  }
}
