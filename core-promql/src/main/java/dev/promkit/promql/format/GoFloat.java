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
 * prints as {@code 9.999999999999999E22} there).
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

  /**
   * From JDK 19 (JDK-4511638), Double.toString gives the shortest round-tripping decimal nearest to
   * the value (ties to even) — Go's choice — except that it prefers a nearer 2-digit decimal to a
   * 1-digit one (5e-324 prints as 4.9E-324), so only its 1- and 2-digit answers need checking.
   */
  private static final boolean SHORTEST_JDK = Runtime.version().feature() >= 19;

  private GoFloat() {}

  /** As Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: no exponent, e.g. {@code 1e23} gives 24 digits. */
  public static String formatF(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    StringBuilder sb = new StringBuilder(24);
    if (v < 0) {
      sb.append('-');
    }
    appendPlain(sb, Digits.of(Math.abs(v)));
    return sb.toString();
  }

  /** As Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}, e.g. {@code 1e+23}, {@code 5e-324}. */
  public static String formatE(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    StringBuilder sb = new StringBuilder(24);
    if (v < 0) {
      sb.append('-');
    }
    appendExp(sb, Digits.of(Math.abs(v)));
    return sb.toString();
  }

  /**
   * As Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} (and {@code fmt}'s {@code %v} of a float64):
   * exponent form when the decimal exponent is below -4 or at least 6, e.g. {@code 1e+06},
   * {@code 123456}, {@code 1e-05}, {@code 0.0001}.
   */
  public static String formatG(double v) {
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
    if (exp < -4 || exp >= 6) { // Go: shortest precision decides with eprec = 6
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
      if (v < Double.MIN_NORMAL || v == Double.MAX_VALUE) {
        // subnormals have fewer than 53 bits (the 15-digit argument below fails); MAX_VALUE has no next
        return exact(v);
      }
      Digits fast = fromJdkDigits(v);
      return fast != null ? fast : exact(v);
    }

    /**
     * Double.toString's digits D, checked: D always reads back as v, but on JDK &lt; 19 may be longer
     * than needed. For normal doubles, decimals of at most 15 significant digits that read back as the same double are
     * equal (DBL_DIG), so a D of up to 15 digits is the answer, and a shorter form exists iff the
     * 15-digit floor or ceiling of D reads back as v. At 16 and 17 digits, the decimals around D are
     * checked against v's exact rounding interval. Null when Double.toString gives more than 17 digits.
     */
    private static Digits fromJdkDigits(double v) {
      String s = Double.toString(v);
      long m = 0;
      int nd = 0;
      int point = 0; // v = 0.m × 10^point
      boolean afterDot = false;
      int i = 0;
      for (; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '.') {
          afterDot = true;
          continue;
        }
        if (c == 'E') {
          point += Integer.parseInt(s.substring(i + 1));
          break;
        }
        int d = c - '0';
        if (nd == 0 && d == 0) {
          if (afterDot) {
            point--; // leading zero after the dot
          }
          continue;
        }
        m = m * 10 + d;
        nd++;
        if (!afterDot) {
          point++;
        }
      }
      while (nd > 1 && m % 10 == 0) {
        m /= 10;
        nd--;
      }
      if (nd <= 15 || SHORTEST_JDK) { // (the 1-vs-2-digit quirk only hits subnormals, handled above)
        return new Digits(Long.toString(m), point);
      }
      if (nd > 17) {
        return null;
      }
      // 16 or 17 digits: decide exactly, against v's rounding interval [lo, hi] (bounds included
      // when the significand is even, as round-half-even parsing does).
      BigDecimal exact = new BigDecimal(v);
      BigDecimal lo = exact.subtract(new BigDecimal((v - Math.nextDown(v)) / 2));
      BigDecimal hi = exact.add(new BigDecimal((Math.nextUp(v) - v) / 2));
      boolean closed = (Double.doubleToRawLongBits(v) & 1) == 0;
      for (int len = 15; len <= nd; len++) {
        long floor = m / POW10[nd - len];
        int scale = len - point; // candidate = digits × 10^-scale
        boolean fOk = inside(floor, scale, lo, hi, closed);
        boolean cOk = floor * POW10[nd - len] != m && inside(floor + 1, scale, lo, hi, closed);
        if (!fOk && !cOk) {
          continue;
        }
        // the candidates form a run around D; take the one nearest to the exact value (ties: even)
        long first = fOk ? floor : floor + 1;
        while (inside(first - 1, scale, lo, hi, closed)) {
          first--;
        }
        long best = first;
        BigDecimal bestDist = BigDecimal.valueOf(first, scale).subtract(exact).abs();
        for (long c = first + 1; inside(c, scale, lo, hi, closed); c++) {
          BigDecimal d = BigDecimal.valueOf(c, scale).subtract(exact).abs();
          int cmp = d.compareTo(bestDist);
          if (cmp < 0 || cmp == 0 && (c & 1) == 0) {
            best = c;
            bestDist = d;
          }
        }
        return digits(best, len, point);
      }
      return null; // cannot happen: D itself is inside
    }

    private static boolean inside(long digits, int scale, BigDecimal lo, BigDecimal hi, boolean closed) {
      BigDecimal c = BigDecimal.valueOf(digits, scale);
      int a = c.compareTo(lo);
      int b = c.compareTo(hi);
      return closed ? a >= 0 && b <= 0 : a > 0 && b < 0;
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

    private static final long[] POW10 = {1L, 10L, 100L, 1000L, 10000L, 100000L, 1000000L, 10000000L,
        100000000L, 1000000000L, 10000000000L, 100000000000L, 1000000000000L, 10000000000000L,
        100000000000000L, 1000000000000000L, 10000000000000000L, 100000000000000000L};

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
