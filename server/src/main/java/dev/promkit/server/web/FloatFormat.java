package dev.promkit.server.web;

import dev.promkit.promql.format.GoFloat;
import dev.promkit.promql.format.ShortestDecimal;

/**
 * Prometheus' JSON float ({@code strconv.AppendFloat(v, 'f' or 'e', -1, 64)}, 'e' when |v| &lt; 1e-6
 * or |v| &ge; 1e21) written as ASCII bytes without allocating. The shortest round-tripping, nearest
 * digits come from core-promql's {@link ShortestDecimal} (the Schubfach idea, as Go picks them; JDK
 * 17's {@code Double.toString} is not always shortest); this class only lays them out as bytes.
 *
 * <p>One instance per writer thread: the digits of the last conversion live in two fields.
 */
final class FloatFormat {
  private static final long C_MIN = 1L << 52;
  private static final int H = 17; // digits of a normalised significand
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
  private final int[] exp10 = new int[1]; // ShortestDecimal's exponent out-parameter, reused

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

  /** "00".."99": two digits per division when writing integers. */
  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  /** Writes a non-negative long in decimal. */
  static int appendLong(byte[] b, int p, long v) {
    if (v < 10) {
      b[p] = (byte) ('0' + v);
      return p + 1;
    }
    int n = 2;
    for (long x = 100; n < 19 && v >= x; x *= 10) {
      n++;
    }
    int i = p + n;
    while (v >= 100) { // two digits at a time, from the right
      int r = (int) (v % 100);
      v /= 100;
      b[--i] = PAIRS[2 * r + 1];
      b[--i] = PAIRS[2 * r];
    }
    if (v >= 10) {
      b[--i] = PAIRS[2 * (int) v + 1];
      b[--i] = PAIRS[2 * (int) v];
    } else {
      b[--i] = (byte) ('0' + v);
    }
    return p + n;
  }

  private static int ascii(byte[] b, int p, String s) {
    for (int i = 0; i < s.length(); i++) {
      b[p++] = (byte) s.charAt(i);
    }
    return p;
  }

  // ---- digits ----

  /** The shortest nearest decimal of a finite normal double (sign ignored) into digits/point. */
  private void decimal(long bits) {
    long t = bits & (C_MIN - 1);
    int bq = (int) (bits >>> 52) & 0x7ff;
    int mq = 1075 - bq;
    long c = C_MIN | t;
    if (0 < mq & mq < 53) {
      long f = c >> mq;
      if (f << mq == c) {
        normalize(f, 0); // an integer below 2^53
        return;
      }
    }
    long d = ShortestDecimal.digits(Double.longBitsToDouble(bits & Long.MAX_VALUE), exp10);
    normalize(d, exp10[0]);
  }

  /** f·10^e into 0.digits × 10^point with trailing zeros removed. */
  private void normalize(long f, int e) {
    int len = 1;
    while (len <= H && f >= POW10[len]) {
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

}
