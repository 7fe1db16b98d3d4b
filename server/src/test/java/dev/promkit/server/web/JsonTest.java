package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected strings were read from Prometheus 2.42's /api/v1/query answers. */
class JsonTest {
  @Test
  void timestampsHaveThreeFractionDigitsUnlessWhole() {
    assertEquals("2.500", Json.timestamp(2500));
    assertEquals("2.050", Json.timestamp(2050));
    assertEquals("3.001", Json.timestamp(3001));
    assertEquals("2", Json.timestamp(2000));
    assertEquals("-1.500", Json.timestamp(-1500));
  }

  @Test
  void byteTimestampsMatchTheStringFormAtEveryLength() {
    byte[] b = new byte[64];
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) {
      long ms = r.nextLong() >> r.nextInt(64); // every magnitude, both signs
      int end = JsonBytes.timestamp(b, 0, ms);
      assertEquals(Json.timestamp(ms), new String(b, 0, end, java.nio.charset.StandardCharsets.US_ASCII));
    }
    int end = JsonBytes.timestamp(b, 0, Long.MIN_VALUE);
    assertEquals("-9223372036854775.808", new String(b, 0, end, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void valuesFormatAsPrometheusMarshalFloat() {
    assertEquals("1.5", Json.value(1.5));
    assertEquals("1e-07", Json.value(1e-7));
    assertEquals("1e+21", Json.value(1e21));
    assertEquals("0.30000000000000004", Json.value(0.1 + 0.2));
    assertEquals("3.001", Json.value(3.001));
    assertEquals("1000000", Json.value(1e6));
    assertEquals("0.000001", Json.value(1e-6));
    assertEquals("123456789012345680000", Json.value(1.2345678901234568e20));
    assertEquals("-2.5e-09", Json.value(-2.5e-9));
    assertEquals("NaN", Json.value(Double.NaN));
    assertEquals("+Inf", Json.value(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", Json.value(Double.NEGATIVE_INFINITY));
    assertEquals("0", Json.value(0.0));
  }

  @Test
  void valuesRoundTripForAwkwardDoubles() {
    double[] vs = {2e-3, 1.0E23, 9.007199254740993E15, 5e-324, Double.MAX_VALUE, 0.1, 1 / 3.0};
    for (double v : vs) {
      assertEquals(v, Double.parseDouble(Json.value(v)), Json.value(v));
    }
  }

  @Test
  void escapesHtmlCharactersButNotApostropheAsGo() {
    assertEquals("[\"a\\u003cb\\u003e\\u0026'c'\"]", Json.render(w -> w.beginArray().value("a<b>&'c'").endArray()));
  }
}
