package dev.promkit.promql.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A {@code double} printed as Go's {@code strconv.FormatFloat(v, fmt, -1, 64)}: the shortest decimal
 * digits that parse back to exactly {@code v} (of those, the one nearest to {@code v}), then laid out
 * in Go's {@code 'f'}, {@code 'e'} or {@code 'g'} style. {@code NaN}, {@code +Inf}, {@code -Inf} and
 * {@code -0} as Go prints them.
 *
 * <p>Does not rely on {@code Double.toString} being shortest (it is not before JDK 19: {@code 1e23}
 * prints as {@code 9.999999999999999E22} there): normal doubles go through {@link ShortestDecimal}
 * (integer arithmetic only), subnormals through an exact {@code BigDecimal} search.
 */
public final class GoFloat {
  private static final MathContext[] HALF_EVEN = new MathContext[18];
  private static final MathContext[] FLOOR = new MathContext[18];
  private static final MathContext[] CEILING = new MathContext[18];

  static {
    for (int p = 1; p < 18; p++) {
      HALF_EVEN[p] = new MathContext(p, RoundingMode.HALF_EVEN);
      FLOOR[p] = new MathContext(p, RoundingMode.FLOOR);
      CEILING[p] = new MathContext(p, RoundingMode.CEILING);
    }
  }

  private GoFloat() {}

  /** As Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: no exponent, e.g. {@code 1e23} gives 24 digits. */
  public static String formatF(double v) {
    return format(v, 'f');
  }

  /** As Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}, e.g. {@code 1e+23}, {@code 5e-324}. */
  public static String formatE(double v) {
    return format(v, 'e');
  }

  /**
   * As Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} (and {@code fmt}'s {@code %v} of a float64):
   * exponent form when the decimal exponent is below -4 or at least 6, e.g. {@code 1e+06},
   * {@code 123456}, {@code 1e-05}, {@code 0.0001}.
   */
  public static String formatG(double v) {
    return format(v, 'g');
  }

  private static String format(double v, char fmt) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    StringBuilder sb = new StringBuilder(24);
    if (v < 0) {
      sb.append('-');
    }
    Digits d = Digits.of(Math.abs(v));
    int exp = d.point - 1;
    // 'g': Go's shortest precision decides with eprec = 6
    if (fmt == 'e' || fmt == 'g' && (exp < -4 || exp >= 6)) {
      appendExp(sb, d);
    } else {
      appendPlain(sb, d);
    }
    return sb.toString();
  }

  /**
   * The shortest significant digits of a finite, positive {@code v} (no trailing zeros) and the
   * decimal point position: {@code v ≈ 0.digits × 10^point}. For tests and callers with own layouts.
   */
  public static String shortestDigits(double v) {
    return Digits.of(checkPositive(v)).digits;
  }

  /** The decimal point position of {@link #shortestDigits}: {@code v ≈ 0.digits × 10^point}. */
  public static int decimalPoint(double v) {
    return Digits.of(checkPositive(v)).point;
  }

  private static double checkPositive(double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("expected a finite positive double, got " + v);
    }
    return v;
  }

  private static String special(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    return null;
  }

  private static void appendPlain(StringBuilder sb, Digits d) {
    String ds = d.digits;
    int nd = ds.length();
    int point = d.point;
    if (point <= 0) {
      sb.append("0.");
      for (int i = point; i < 0; i++) {
        sb.append('0');
      }
      sb.append(ds);
    } else if (point >= nd) {
      sb.append(ds);
      for (int i = nd; i < point; i++) {
        sb.append('0');
      }
    } else {
      sb.append(ds, 0, point).append('.').append(ds, point, nd);
    }
  }

  private static void appendExp(StringBuilder sb, Digits d) {
    String ds = d.digits;
    sb.append(ds.charAt(0));
    if (ds.length() > 1) {
      sb.append('.').append(ds, 1, ds.length());
    }
    int exp = d.point - 1;
    sb.append('e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) {
      sb.append('0'); // Go prints at least two exponent digits
    }
    sb.append(ae);
  }

  /** Shortest round-tripping digits of a positive finite double. */
  static final class Digits {
    final String digits;
    final int point;

    private Digits(String digits, int point) {
      this.digits = digits;
      this.point = point;
    }

    static Digits of(double v) {
      long bits = (long) v;
      if (bits == v && bits < (1L << 53)) {
        return ofInteger(bits); // exact integers: their decimal digits are the shortest form
      }
      if (v < Double.MIN_NORMAL) {
        return exact(v); // subnormals have fewer than 53 bits: the exact search
      }
      int[] exp = new int[1];
      long d = ShortestDecimal.digits(v, exp);
      return digits(d, 0, exp[0]);
    }

    private static Digits of(BigDecimal r) {
      BigDecimal s = r.stripTrailingZeros();
      String ds = s.unscaledValue().toString();
      return new Digits(ds, ds.length() - s.scale());
    }

    private static Digits digits(long digits, int len, int point) {
      int n = Long.toString(digits).length(); // len, or len + 1 after a carry (e.g. 999 + 1)
      point += n - len;
      while (digits % 10 == 0) {
        digits /= 10;
      }
      return new Digits(Long.toString(digits), point);
    }

    /** The exact search: of every length from 17 down, the nearest round-tripping decimal. */
    static Digits exact(double v) {
      BigDecimal exact = new BigDecimal(v); // the exact binary value
      // A length that works implies every longer one works: search downwards from 17 (always works).
      BigDecimal best = nearestRoundTrip(exact, v, 17);
      for (int p = 16; p >= 1; p--) {
        BigDecimal shorter = nearestRoundTrip(exact, v, p);
        if (shorter == null) {
          break;
        }
        best = shorter;
      }
      return of(best);
    }

    private static Digits ofInteger(long v) {
      String s = Long.toString(v);
      int end = s.length();
      while (end > 1 && s.charAt(end - 1) == '0') {
        end--;
      }
      return new Digits(s.substring(0, end), s.length());
    }

    /**
     * Of the two p-digit decimals around the exact value, the nearest that parses back to v (as Go:
     * round to nearest, half to even, when both would do); null when neither does.
     */
    private static BigDecimal nearestRoundTrip(BigDecimal exact, double v, int p) {
      BigDecimal nearest = exact.round(HALF_EVEN[p]);
      if (nearest.doubleValue() == v) {
        return nearest;
      }
      // the nearest one may fall outside v's rounding interval where it is asymmetric (powers of 2)
      BigDecimal other = nearest.compareTo(exact) < 0 ? exact.round(CEILING[p]) : exact.round(FLOOR[p]);
      return other.doubleValue() == v ? other : null;
    }
  }
}
