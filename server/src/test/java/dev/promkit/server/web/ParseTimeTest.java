package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The whole-seconds fast path of time and duration parameters agrees with the general parser. */
class ParseTimeTest {
  @Test
  void wholeSecondsGiveMillis() {
    assertEquals(1_795_564_791_000L, Api.parseTime("start", "1795564791"));
    assertEquals(0, Api.parseTime("start", "0"));
    assertEquals(10_000, Api.parseDuration("step", "10"));
    assertEquals(1_795_564_791_500L, Api.parseTime("start", "1795564791.5"));
    assertEquals(-1000, Api.parseTime("start", "-1"));
    assertEquals(1_500, Api.parseDuration("step", "1.5"));
    assertEquals(60_000, Api.parseDuration("step", "1m"));
  }

  @Test
  void longDigitStringsStillHitTheOverflowCheck() {
    ApiException e = assertThrows(ApiException.class, () -> Api.parseDuration("step", "10000000000"));
    assertEquals("invalid parameter \"step\": cannot parse \"10000000000\" to a valid duration. It overflows int64",
        e.getMessage());
  }
}
