package dev.promkit.promql.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShortestDecimalTest {
  private static void assertAgreesWithExactSearch(double v) {
    GoFloat.Digits fast = GoFloat.Digits.of(v);
    GoFloat.Digits exact = GoFloat.Digits.exact(v);
    assertEquals(exact.digits + "e" + exact.point, fast.digits + "e" + fast.point,
        () -> "for " + v + " (bits " + Long.toHexString(Double.doubleToRawLongBits(v)) + ")");
  }

  @Test
  void fixedPointLogarithmsAreExactFloorsOverTheDoubleRange() {
    BigDecimal two = BigDecimal.valueOf(2);
    for (int q = -1100; q <= 1100; q++) {
      // k = floor(log10(2^q)) <=> 10^k <= 2^q < 10^(k+1)
      BigDecimal p2 = q >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(q)) : BigDecimal.ONE.divide(two.pow(-q));
      int k = ShortestDecimal.flog10pow2(q);
      assertEquals(true, BigDecimal.ONE.scaleByPowerOfTen(k).compareTo(p2) <= 0
          && p2.compareTo(BigDecimal.ONE.scaleByPowerOfTen(k + 1)) < 0, "flog10pow2(" + q + ")");
      BigDecimal p34 = p2.multiply(new BigDecimal("0.75"));
      int k34 = ShortestDecimal.flog10threeQuartersPow2(q);
      assertEquals(true, BigDecimal.ONE.scaleByPowerOfTen(k34).compareTo(p34) <= 0
          && p34.compareTo(BigDecimal.ONE.scaleByPowerOfTen(k34 + 1)) < 0, "flog10threeQuartersPow2(" + q + ")");
    }
    for (int e = -400; e <= 400; e++) {
      // f = floor(log2(10^e)) <=> 2^f <= 10^e < 2^(f+1)
      BigDecimal p10 = BigDecimal.ONE.scaleByPowerOfTen(e);
      int f = ShortestDecimal.flog2pow10(e);
      BigDecimal lo = f >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(f)) : BigDecimal.ONE.divide(two.pow(-f));
      BigDecimal hi = lo.multiply(two);
      assertEquals(true, lo.compareTo(p10) <= 0 && p10.compareTo(hi) < 0, "flog2pow10(" + e + ")");
    }
  }

  @Test
  void agreesWithExactSearchAtEveryPowerOfTwoAndItsNeighbours() {
    // c = 2^52 (asymmetric rounding interval) at every exponent, and the doubles next to it
    for (int bq = 1; bq < 0x7ff; bq++) {
      double p = Double.longBitsToDouble((long) bq << 52);
      assertAgreesWithExactSearch(p);
      assertAgreesWithExactSearch(Math.nextUp(p));
      if (bq > 1) {
        assertAgreesWithExactSearch(Math.nextDown(p));
      }
    }
    assertAgreesWithExactSearch(Double.MAX_VALUE);
    assertAgreesWithExactSearch(Double.MIN_NORMAL);
  }

  @Test
  void agreesWithExactSearchAroundEveryPowerOfTen() {
    for (int e = -307; e <= 308; e++) {
      double p = Double.parseDouble("1e" + e);
      assertAgreesWithExactSearch(p);
      assertAgreesWithExactSearch(Math.nextUp(p));
      assertAgreesWithExactSearch(Math.nextDown(p));
    }
  }

  @Test
  void agreesWithExactSearchOnRandomShortDecimalsAndRandomBits() {
    SplittableRandom rnd = new SplittableRandom(20261127);
    for (int i = 0; i < 40_000; i++) {
      double v;
      switch (i % 4) {
        case 0: // any normal double
          v = Double.longBitsToDouble(rnd.nextLong(0x0010000000000000L, 0x7ff0000000000000L));
          break;
        case 1: { // a decimal of 1 to 17 digits at any exponent, read as a double
          int nd = 1 + rnd.nextInt(17);
          long d = rnd.nextLong(1, (long) Math.pow(10, nd));
          v = Double.parseDouble(d + "e" + (rnd.nextInt(600) - 300));
          break;
        }
        case 2: // the range-query benchmark's values: step + series / 1443
          v = rnd.nextInt(200_000) + rnd.nextInt(1443) / 1443.0;
          break;
        default: // a neighbour of a short decimal
          v = Math.nextUp(Double.parseDouble(rnd.nextInt(1000) + "e" + (rnd.nextInt(40) - 20)));
          break;
      }
      if (v >= Double.MIN_NORMAL && !Double.isInfinite(v)) {
        assertAgreesWithExactSearch(v);
      }
    }
  }
}
