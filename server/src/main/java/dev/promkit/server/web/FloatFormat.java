package dev.promkit.server.web;

import dev.promkit.promql.format.GoFloat;
import java.math.BigInteger;

/**
 * Prometheus' JSON float ({@code strconv.AppendFloat(v, 'f' or 'e', -1, 64)}, 'e' when |v| &lt; 1e-6
 * or |v| &ge; 1e21) written as ASCII bytes without allocating. The shortest round-tripping digits come
 * from the Schubfach algorithm (R. Giulietti, "The Schubfach way to render doubles", 2020; the
 * algorithm behind {@code Double.toString} from JDK 19), which also picks the digits nearest to the
 * value, as Go does. JDK 17's {@code Double.toString} is not always shortest, hence this class.
 *
 * <p>One instance per writer thread: the digits of the last conversion live in two fields.
 */
final class FloatFormat {
  private static final int Q_MIN = -1074;
  private static final long C_MIN = 1L << 52;
  private static final int K_MIN = -324;
  private static final int K_MAX = 292;
  private static final int H = 17; // digits of a normalised significand
  private static final long MASK_63 = (1L << 63) - 1;
  private static final long[] G = table(); // g1, g0 for k = K_MIN..K_MAX: 126-bit approximations of 10^-k
  private static final long[] POW10 = new long[H + 1];

  static {
    POW10[0] = 1;
    for (int i = 1; i <= H; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  // result of the last toDecimal: v = 0.digits × 10^point, digits without trailing zeros
  private long digits;
  private int numDigits;
  private int point;
  private final byte[] tmp = new byte[H];

  /** Writes v as Prometheus writes a sample value (without quotes); returns the new position. */
  int append(byte[] b, int p, double v) {
    if (v != v) {
      return ascii(b, p, "NaN");
    }
    if (v == Double.POSITIVE_INFINITY) {
      return ascii(b, p, "+Inf");
    }
    if (v == Double.NEGATIVE_INFINITY) {
      return ascii(b, p, "-Inf");
    }
    long bits = Double.doubleToRawLongBits(v);
    if (bits < 0) {
      b[p++] = '-';
    }
    if (v == 0) {
      b[p++] = '0';
      return p;
    }
    double abs = Math.abs(v);
    if (abs < 1e15 && abs == (long) abs) {
      return appendLong(b, p, (long) abs); // integers: the common case needs no digit search
    }
    if (abs < Double.MIN_NORMAL) {
      // subnormals: Schubfach may give two digits where Go gives one (7.9e-323 for 8e-323); rare enough for the slow path
      return ascii(b, p, GoFloat.formatE(abs));
    }
    decimal(bits);
    if (abs < 1e-6 || abs >= 1e21) {
      return appendExp(b, p);
    }
    return appendPlain(b, p);
  }

  private int appendPlain(byte[] b, int p) {
    int nd = numDigits;
    fillDigits();
    if (point <= 0) {
      b[p++] = '0';
      b[p++] = '.';
      for (int i = point; i < 0; i++) {
        b[p++] = '0';
      }
      System.arraycopy(tmp, 0, b, p, nd);
      return p + nd;
    }
    if (point >= nd) {
      System.arraycopy(tmp, 0, b, p, nd);
      p += nd;
      for (int i = nd; i < point; i++) {
        b[p++] = '0';
      }
      return p;
    }
    System.arraycopy(tmp, 0, b, p, point);
    p += point;
    b[p++] = '.';
    System.arraycopy(tmp, point, b, p, nd - point);
    return p + nd - point;
  }

  private int appendExp(byte[] b, int p) {
    fillDigits();
    b[p++] = tmp[0];
    if (numDigits > 1) {
      b[p++] = '.';
      System.arraycopy(tmp, 1, b, p, numDigits - 1);
      p += numDigits - 1;
    }
    int exp = point - 1;
    b[p++] = 'e';
    b[p++] = (byte) (exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) {
      b[p++] = '0';
    }
    return appendLong(b, p, exp);
  }

  private void fillDigits() {
    long d = digits;
    for (int i = numDigits - 1; i >= 0; i--) {
      tmp[i] = (byte) ('0' + d % 10);
      d /= 10;
    }
  }

  /** Writes a non-negative long in decimal. */
  static int appendLong(byte[] b, int p, long v) {
    if (v < 10) {
      b[p] = (byte) ('0' + v);
      return p + 1;
    }
    int n = 1;
    for (long x = v / 10; x != 0; x /= 10) {
      n++;
    }
    int end = p + n;
    for (int i = end - 1; i >= p; i--) {
      b[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return end;
  }

  private static int ascii(byte[] b, int p, String s) {
    for (int i = 0; i < s.length(); i++) {
      b[p++] = (byte) s.charAt(i);
    }
    return p;
  }

  // ---- Schubfach ----

  /** The shortest nearest decimal of a finite normal double (sign ignored) into digits/point. */
  private void decimal(long bits) {
    long t = bits & (C_MIN - 1);
    int bq = (int) (bits >>> 52) & 0x7ff;
    int mq = -Q_MIN + 1 - bq;
    long c = C_MIN | t;
    if (0 < mq & mq < 53) {
      long f = c >> mq;
      if (f << mq == c) {
        normalize(f, 0); // an integer below 2^53
        return;
      }
    }
    toDecimal(-mq, c);
  }

  private void toDecimal(int q, long c) {
    int out = (int) c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN | q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      cbl = cb - 1; // at a power of two the interval below is half as wide
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    int gi = 2 * (k - K_MIN);
    long g1 = G[gi];
    long g0 = G[gi + 1];
    long vb = rop(g1, g0, cb << h);
    long vbl = rop(g1, g0, cbl << h);
    long vbr = rop(g1, g0, cbr << h);
    long s = vb >> 2;
    if (s >= 100) {
      long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4); // 10·floor(s/10)
      long tp10 = sp10 + 10;
      boolean upin = vbl + out <= sp10 << 2;
      boolean wpin = (tp10 << 2) + out <= vbr;
      if (upin != wpin) {
        normalize(upin ? sp10 : tp10, k);
        return;
      }
    }
    long tt = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (tt << 2) + out <= vbr;
    if (uin != win) {
      normalize(uin ? s : tt, k);
      return;
    }
    long cmp = vb - (s + tt << 1);
    normalize(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : tt, k);
  }

  /** f·10^e into 0.digits × 10^point with trailing zeros removed. */
  private void normalize(long f, int e) {
    int len = flog10pow2(Long.SIZE - Long.numberOfLeadingZeros(f));
    if (f >= POW10[len]) {
      len++;
    }
    while (f % 10 == 0) {
      f /= 10;
      len--;
      e++;
    }
    digits = f;
    numDigits = len;
    point = e + len;
  }

  /** Round to odd of (g·cp) / 2^127 (g = g1·2^63 + g0). */
  private static long rop(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (z & MASK_63) + MASK_63 >>> 63;
  }

  private static int flog10pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  private static int flog10threeQuartersPow2(int e) {
    return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
  }

  private static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  /** g = floor(10^-k / 2^r) + 1 with r chosen so that 2^125 &le; 10^-k / 2^r &lt; 2^126. */
  private static long[] table() {
    long[] g = new long[2 * (K_MAX - K_MIN + 1)];
    BigInteger mask = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    for (int k = K_MIN; k <= K_MAX; k++) {
      int r = flog2pow10(-k) - 125;
      BigInteger v;
      if (k <= 0) {
        BigInteger p = BigInteger.TEN.pow(-k);
        v = r >= 0 ? p.shiftRight(r) : p.shiftLeft(-r);
      } else {
        v = BigInteger.ONE.shiftLeft(-r).divide(BigInteger.TEN.pow(k));
      }
      v = v.add(BigInteger.ONE);
      g[2 * (k - K_MIN)] = v.shiftRight(63).longValueExact();
      g[2 * (k - K_MIN) + 1] = v.and(mask).longValue();
    }
    return g;
  }
}
