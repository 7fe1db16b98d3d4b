package dev.promkit.promql.format;

import java.math.BigInteger;

/**
 * The shortest decimal that reads back as a given normal {@code double} (of those, the nearest to
 * it; ties to an even last digit), computed with 64-bit integer arithmetic only, after the idea of
 * R. Giulietti's "Schubfach" paper ("The Schubfach way to render doubles", 2020/2021):
 *
 * <ul>
 *   <li>{@code v = c·2^q}; every decimal inside the rounding interval {@code [v - u_l, v + u_r]}
 *       (closed when {@code c} is even, as round-half-even parsing reads it back) parses as v;
 *   <li>pick {@code k} so that the interval is 1 to 10 units of {@code 10^k} wide: then it holds at
 *       most one multiple of {@code 10^(k+1)}, and when it holds one that is the unique shortest
 *       answer; otherwise the answer is one of the two integers (in units of {@code 10^k}) around
 *       {@code v}, the nearer one;
 *   <li>{@code 4·v·10^-k} and the interval's ends are computed as {@code cp·g / 2^127} with a
 *       126-bit upper approximation {@code g} of a power of ten, rounded to odd (floor, with the
 *       lowest bit set when anything was cut off): two extra bits plus the sticky bit let every
 *       comparison with an integer (times 4) come out as with the exact values.
 * </ul>
 *
 * <p>Subnormal inputs are not handled here (their {@code c} has fewer than 53 bits, so the
 * interval may hold two multiples of ten); callers use an exact method for them.
 */
public final class ShortestDecimal {
  private ShortestDecimal() {}

  private static final int Q_MIN = -1074;
  private static final long C_MIN = 1L << 52;
  private static final long MASK_63 = (1L << 63) - 1;

  /** Smallest and largest k = floor(log10(2^q)) over the q of normal doubles. */
  static final int K_MIN = flog10pow2(Q_MIN);
  static final int K_MAX = flog10pow2(971);

  /** floor(q · log10(2)) for |q| ≤ 5000 (41-bit fixed-point log10(2), floored). */
  static int flog10pow2(int q) {
    return (int) (q * 661_971_961_083L >> 41);
  }

  /** floor(q · log10(2) + log10(3/4)) for |q| ≤ 5000. */
  static int flog10threeQuartersPow2(int q) {
    return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
  }

  /** floor(e · log2(10)) for |e| ≤ 1600 (38-bit fixed-point log2(10), floored). */
  static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  /** g(k) = floor(10^-k · 2^(125 - flog2pow10(-k))) + 1, in [2^125, 2^126): high and low 63 bits. */
  private static final class Table {
    static final long[] G = build();

    private static long[] build() {
      long[] g = new long[2 * (K_MAX - K_MIN + 1)];
      BigInteger mask = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
      for (int k = K_MIN; k <= K_MAX; k++) {
        int shift = 125 - flog2pow10(-k);
        BigInteger v;
        if (k <= 0) { // 10^-k is an integer
          BigInteger p = BigInteger.TEN.pow(-k);
          v = shift >= 0 ? p.shiftLeft(shift) : p.shiftRight(-shift);
        } else { // 2^shift / 10^k, shift > 0 here
          v = BigInteger.ONE.shiftLeft(shift).divide(BigInteger.TEN.pow(k));
        }
        v = v.add(BigInteger.ONE);
        int i = 2 * (k - K_MIN);
        g[i] = v.shiftRight(63).longValueExact();
        g[i + 1] = v.and(mask).longValue();
      }
      return g;
    }
  }

  /**
   * The shortest digits of a finite, normal, positive v: returns {@code d} and sets
   * {@code exp[0] = e} with {@code v ≈ d · 10^e}; d may end in zeros. Allocation-free (the caller
   * owns {@code exp}), for writers that format many values, such as the server's JSON encoder.
   */
  public static long digits(double v, int[] exp) {
    long bits = Double.doubleToRawLongBits(v);
    int bq = (int) (bits >>> 52) & 0x7ff;
    long c = C_MIN | (bits & (C_MIN - 1));
    int q = bq - 1075;
    long out = c & 1; // odd c: open interval, the ends themselves do not read back as v
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) { // (q = Q_MIN: the next double down is a subnormal, as far away)
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      // c = 2^52: the next double down is only half as far away, so the interval is asymmetric
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 2; // in [1, 5]: cp << h stays below 2^61
    long[] g = Table.G;
    int gi = 2 * (k - K_MIN);
    long g1 = g[gi];
    long g0 = g[gi + 1];
    long vb = roundToOdd(g1, g0, cb << h);
    long vbl = roundToOdd(g1, g0, cbl << h);
    long vbr = roundToOdd(g1, g0, cbr << h);
    long s = vb >> 2; // floor(v · 10^-k)
    // a multiple of 10 inside the interval is the shortest answer (there is at most one)
    long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4); // 10 · floor(s / 10)
    long tp10 = sp10 + 10;
    boolean upin = vbl + out <= sp10 << 2;
    boolean wpin = (tp10 << 2) + out <= vbr;
    if (upin != wpin) {
      exp[0] = k;
      return upin ? sp10 : tp10;
    }
    long t = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (t << 2) + out <= vbr;
    exp[0] = k;
    if (uin != win) {
      return uin ? s : t;
    }
    long cmp = vb - (s + t << 1); // 4·v·10^-k against 4·(s + 1/2)
    return cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t;
  }

  /** floor(g · cp / 2^127), its lowest bit set when the division was inexact (g = g1·2^63 + g0). */
  private static long roundToOdd(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp); // (g0 · cp) >> 64, both below 2^63
    long y0 = g1 * cp; // low 64 bits of g1 · cp
    long y1 = Math.multiplyHigh(g1, cp); // high 64 bits of g1 · cp
    long z = (y0 >>> 1) + x1; // bits 63..126 of g·cp, aligned at 2^63
    long vbp = y1 + (z >>> 63);
    return vbp | ((z & MASK_63) + MASK_63) >>> 63;
  }
}
