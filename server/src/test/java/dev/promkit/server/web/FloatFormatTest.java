package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.promql.format.GoFloat;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast formatter against core-promql's BigDecimal-based {@link GoFloat} (Go's digits). */
class FloatFormatTest {
  private final FloatFormat f = new FloatFormat();
  private final byte[] buf = new byte[64];

  private String fast(double v) {
    return new String(buf, 0, f.append(buf, 0, v), StandardCharsets.US_ASCII);
  }

  private void check(double v) {
    double abs = Math.abs(v);
    String ref = abs != 0 && (abs < 1e-6 || abs >= 1e21) ? GoFloat.formatE(v) : GoFloat.formatF(v);
    assertEquals(ref, fast(v), () -> "bits " + Long.toHexString(Double.doubleToRawLongBits(v)));
  }

  @Test
  void printsSpecialValuesAsPrometheus() {
    assertEquals("NaN", fast(Double.NaN));
    assertEquals("+Inf", fast(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", fast(Double.NEGATIVE_INFINITY));
    assertEquals("0", fast(0.0));
    assertEquals("-0", fast(-0.0));
    assertEquals("1e-07", fast(1e-7));
    assertEquals("1e+21", fast(1e21));
    assertEquals("100000000000000000000", fast(1e20));
    assertEquals("0.000001", fast(1e-6));
    assertEquals("0.1", fast(0.1));
    assertEquals("-2.5", fast(-2.5));
    assertEquals("5e-324", fast(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", fast(Double.MAX_VALUE));
    assertEquals("1e-323", fast(2 * Double.MIN_VALUE));
    assertEquals("100000000000000000000000", GoFloat.formatF(1e23)); // JDK 17 would print 9.999999999999999E22
    assertEquals("1e+23", fast(1e23));
    assertEquals("1099514114116857.2", fast(1099514114116857.25)); // a tie: the even digit, as Go
    assertEquals("8540.069993069994", fast(8540 + 101.0 / 1443));
  }

  @Test
  void agreesWithTheReferenceFormatterOnRandomBitPatterns() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      double v = Double.longBitsToDouble(r.nextLong());
      if (!Double.isNaN(v)) {
        check(v);
      }
    }
  }

  @Test
  void agreesWithTheReferenceFormatterOnQueryLikeValues() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 4_000; i++) {
      int s = r.nextInt(100_000);
      int j = r.nextInt(1443);
      check(s + (double) j / 1443);
      check((s + (double) j / 1443) * (1 + r.nextInt(11)) / 60);
      check(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)));
      check(Double.longBitsToDouble(r.nextLong(0x0010000000000000L))); // subnormals
      check(Math.scalb(1.0, r.nextInt(-1074, 1024))); // powers of two
    }
  }

  @Test
  void appendLongWritesEveryDigitCountAsLongToString() {
    byte[] b = new byte[32];
    java.util.List<Long> values = new java.util.ArrayList<>(java.util.List.of(0L, 9L, 10L, 99L, 100L, 101L,
        1_795_564_791L, Long.MAX_VALUE));
    for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
      values.add(p * 10 - 1);
      values.add(p * 10);
      values.add(p * 10 + 7);
    }
    java.util.Random r = new java.util.Random(42);
    for (int i = 0; i < 10_000; i++) {
      values.add(r.nextLong() >>> (1 + r.nextInt(63))); // non-negative, every length
    }
    for (long v : values) {
      int end = FloatFormat.appendLong(b, 3, v);
      org.junit.jupiter.api.Assertions.assertEquals(Long.toString(v),
          new String(b, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  @Test
  void writesEightDigitGroupsByLanes() {
    java.util.List<Integer> xs = new java.util.ArrayList<>(java.util.List.of(0, 1, 9, 10, 99, 100, 9_999, 10_000,
        10_001, 99_999_999, 12_345_678, 87_654_321, 10_000_000, 9_990_099));
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 200_000; i++) {
      xs.add(r.nextInt(100_000_000));
    }
    for (int x : xs) {
      long w = FloatFormat.ascii8(x);
      byte[] b = new byte[8];
      for (int k = 0; k < 8; k++) {
        b[k] = (byte) (w >>> (8 * k));
      }
      assertEquals(String.format("%08d", x), new String(b, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void writeDigitsZeroPadsAndTouchesNothingBeforeItOrFarPastIt() {
    SplittableRandom r = new SplittableRandom(5);
    for (int n = 1; n <= 19; n++) {
      for (int i = 0; i < 2_000; i++) {
        long bound = n == 19 ? Long.MAX_VALUE : (long) Math.pow(10, n);
        long v = i == 0 ? 0 : i == 1 ? bound - 1 : r.nextLong(bound);
        byte[] b = new byte[48];
        java.util.Arrays.fill(b, (byte) '#');
        FloatFormat.writeDigits(b, 5, v, n);
        String want = String.format("%0" + n + "d", v);
        assertEquals(want, new String(b, 5, n, StandardCharsets.US_ASCII));
        assertEquals("#####", new String(b, 0, 5, StandardCharsets.US_ASCII), "bytes before the digits");
        for (int k = 5 + Math.max(n, 8); k < b.length; k++) {
          assertEquals('#', b[k], "byte " + k + " past the digits, n=" + n);
        }
      }
    }
  }
}
