package dev.promkit.promql.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GoFloatTest {
  @Test
  void printsShortestDigitsWhereJdk17DoubleToStringIsTooLong() {
    assertEquals("1e+23", GoFloat.formatG(1e23));
    assertEquals("1e+23", GoFloat.formatE(1e23));
    assertEquals("100000000000000000000000", GoFloat.formatF(1e23));
    assertEquals("2.82879384806159e+17", GoFloat.formatG(2.82879384806159e17));
    assertEquals("282879384806159000", GoFloat.formatF(2.82879384806159e17));
    assertEquals("0.002", GoFloat.formatF(2.0e-3));
    assertEquals("1e+22", GoFloat.formatG(1e22));
    assertEquals("5e-324", GoFloat.formatG(Double.MIN_VALUE));
    assertEquals("5e-324", GoFloat.formatE(Double.MIN_VALUE));
  }

  @Test
  void printsExtremesAsGo() {
    assertEquals("1.7976931348623157e+308", GoFloat.formatG(Double.MAX_VALUE));
    assertEquals("-1.7976931348623157e+308", GoFloat.formatE(-Double.MAX_VALUE));
    assertEquals("2.2250738585072014e-308", GoFloat.formatG(Double.MIN_NORMAL));
    assertEquals("2.225073858507201e-308", GoFloat.formatG(Math.nextDown(Double.MIN_NORMAL))); // largest subnormal
    assertEquals("1e-323", GoFloat.formatG(2 * Double.MIN_VALUE));
    assertEquals("1.5e-323", GoFloat.formatG(3 * Double.MIN_VALUE));
    assertEquals("17976931348623157" + "0".repeat(292), GoFloat.formatF(Double.MAX_VALUE));
    assertTrue(GoFloat.formatF(Double.MIN_VALUE).startsWith("0.000"));
    assertTrue(GoFloat.formatF(Double.MIN_VALUE).endsWith("0005"));
    assertEquals("0." + "0".repeat(323) + "5", GoFloat.formatF(Double.MIN_VALUE));
  }

  @Test
  void printsSpecialValuesAsGo() {
    for (String fmt : new String[] {"f", "e", "g"}) {
      assertEquals("NaN", format(fmt, Double.NaN));
      assertEquals("+Inf", format(fmt, Double.POSITIVE_INFINITY));
      assertEquals("-Inf", format(fmt, Double.NEGATIVE_INFINITY));
      assertEquals("0", format(fmt, 0.0).substring(0, 1));
    }
    assertEquals("0", GoFloat.formatF(0.0));
    assertEquals("-0", GoFloat.formatF(-0.0));
    assertEquals("-0", GoFloat.formatG(-0.0));
  }

  @Test
  void usesGoExponentLayoutWithTwoDigitMinimumAndSign() {
    assertEquals("1e-05", GoFloat.formatG(1e-5));
    assertEquals("0.0001", GoFloat.formatG(1e-4));
    assertEquals("1e+06", GoFloat.formatG(1e6));
    assertEquals("123456", GoFloat.formatG(123456));
    assertEquals("1.23456789e+08", GoFloat.formatG(123456789));
    assertEquals("1e+00", GoFloat.formatE(1));
    assertEquals("1.5e+100", GoFloat.formatE(1.5e100));
    assertEquals("-2.5e-07", GoFloat.formatE(-2.5e-7));
    assertEquals("0.30000000000000004", GoFloat.formatG(0.1 + 0.2));
    assertEquals("0.30000000000000004", GoFloat.formatF(0.1 + 0.2));
    assertEquals("0.1", GoFloat.formatF(0.1));
    assertEquals("-1.5", GoFloat.formatF(-1.5));
    assertEquals("100", GoFloat.formatF(100));
    assertEquals("0.000001", GoFloat.formatF(1e-6));
  }

  @Test
  void printsEveryPowerOfTenWithOneDigit() {
    for (int e = -323; e <= 308; e++) {
      double v = Double.parseDouble("1e" + e);
      assertEquals("1", GoFloat.shortestDigits(v), "1e" + e);
      assertEquals(e + 1, GoFloat.decimalPoint(v), "1e" + e);
      assertEquals(String.format("1e%s%02d", e < 0 ? "-" : "+", Math.abs(e)), GoFloat.formatE(v));
    }
  }

  @Test
  void roundTripsAndIsNoLongerThanAnyRoundTrippingPrecision() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      double v = Double.longBitsToDouble(rnd.nextLong() & 0x7fffffffffffffffL);
      if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
        continue;
      }
      String e = GoFloat.formatE(v);
      assertEquals(v, Double.parseDouble(e), e);
      int digits = GoFloat.shortestDigits(v).length();
      if (digits > 1) {
        // no (digits-1)-significant-digit decimal reads back as v
        String shorter = String.format("%." + (digits - 2) + "e", new java.math.BigDecimal(v));
        assertTrue(Double.parseDouble(shorter) != v, () -> v + " has a shorter form " + shorter + " than " + e);
      }
    }
  }

  @Test
  void fastPathAgreesWithTheExactSearch() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 50_000; i++) {
      double v = i % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong() & 0x7fffffffffffffffL)
          : rnd.nextInt(200_000) + rnd.nextInt(1443) / 1443.0; // the benchmark's value shape
      if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
        continue;
      }
      GoFloat.Digits fast = GoFloat.Digits.of(v);
      GoFloat.Digits exact = GoFloat.Digits.exact(v);
      assertEquals(exact.digits + "e" + exact.point, fast.digits + "e" + fast.point, () -> "for " + v);
    }
  }

  @Test
  void rejectsNonPositiveForDigitAccess() {
    assertThrows(IllegalArgumentException.class, () -> GoFloat.shortestDigits(0));
    assertThrows(IllegalArgumentException.class, () -> GoFloat.shortestDigits(Double.NaN));
  }

  private static String format(String fmt, double v) {
    switch (fmt) {
      case "f":
        return GoFloat.formatF(v);
      case "e":
        return GoFloat.formatE(v);
      default:
        return GoFloat.formatG(v);
    }
  }
}
