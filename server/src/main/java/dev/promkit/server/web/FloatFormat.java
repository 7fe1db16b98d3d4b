package dev.promkit.server.web;

import dev.promkit.promql.format.GoFloat;
import dev.promkit.promql.format.ShortestDecimal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Prometheus' JSON float ({@code strconv.AppendFloat(v, 'f' or 'e', -1, 64)}, 'e' when |v| &lt; 1e-6
 * or |v| &ge; 1e21) written as ASCII bytes without allocating. The shortest round-tripping, nearest
 * digits come from core-promql's {@link ShortestDecimal} (the Schubfach idea, as Go picks them; JDK
 * 17's {@code Double.toString} is not always shortest); this class only lays them out as bytes.
 *
 * <p>One instance per writer thread: the digits of the last conversion live in fields.
 */
final class FloatFormat {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C_MIN = 1L << 52;
  private static final long[] POW10 = new long[19]; // 10^0 .. 10^18

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  // result of the last toDecimal: v = 0.digits × 10^point, digits without trailing zeros
  private long digits;
  private int numDigits;
  private int point;
  private final int[] exp10 = new int[1]; // ShortestDecimal's exponent out-parameter, reused

  /**
   * Writes v as Prometheus writes a sample value (without quotes); returns the new position. b needs
   * 32 bytes of room from p: the number (at most 25) and up to 7 scratch bytes past it.
   */
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

  // The digits go straight into b, not through a scratch array. The caller leaves room past the
  // number (writeDigits may write a few bytes past the digits).
  private int appendPlain(byte[] b, int p) {
    int nd = numDigits;
    int pt = point;
    if (pt <= 0) {
      b[p++] = '0';
      b[p++] = '.';
      for (int i = pt; i < 0; i++) {
        b[p++] = '0';
      }
      writeDigits(b, p, digits, nd);
      return p + nd;
    }
    if (pt >= nd) {
      writeDigits(b, p, digits, nd);
      p += nd;
      for (int i = nd; i < pt; i++) {
        b[p++] = '0';
      }
      return p;
    }
    // integer part, point, fraction: two writes (a read-back of the digits to move them would
    // straddle two 8-byte stores, which the CPU cannot forward)
    int fl = nd - pt;
    long pow = POW10[fl];
    long ip = digits / pow;
    writeDigits(b, p, ip, pt);
    b[p + pt] = '.';
    writeDigits(b, p + pt + 1, digits - ip * pow, fl);
    return p + nd + 1;
  }

  private int appendExp(byte[] b, int p) {
    int nd = numDigits;
    writeDigits(b, p + 1, digits, nd);
    b[p] = b[p + 1];
    if (nd > 1) {
      b[p + 1] = '.';
      p += nd + 1;
    } else {
      p += 1;
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

  /**
   * Writes a non-negative long in decimal; may write up to 7 bytes past the digits (see
   * {@link #writeDigits}).
   */
  static int appendLong(byte[] b, int p, long v) {
    int n = digitCount(v);
    writeDigits(b, p, v, n);
    return p + n;
  }

  /** Decimal digits of a non-negative long (1 for 0). */
  static int digitCount(long v) {
    if (v < 10) {
      return 1;
    }
    // floor(log10) from the bit length (1233/4096 ≈ log10(2)) is exact or one short; one compare
    // with a power of ten settles it: no loop over the powers.
    int t = (64 - Long.numberOfLeadingZeros(v | 1)) * 1233 >>> 12;
    return v >= POW10[t] ? t + 1 : t;
  }

  /**
   * Writes v (non-negative, below 10^n) as exactly n digits, zero-padded, at b[p, p + n); may also
   * write up to 7 bytes past p + n, which the caller overwrites or leaves unused. Groups of eight
   * digits each become one 8-byte store (see {@link #ascii8}); the leftmost, shorter group is an
   * eight-digit group shifted past its leading zeros.
   */
  static void writeDigits(byte[] b, int p, long v, int n) {
    int head = n & 7;
    if (n <= 8) {
      storeHead(b, p, (int) v, head == 0 ? 8 : head);
      return;
    }
    // split off the groups of eight from the right; the head group is written first so that the
    // full groups overwrite what its store wrote past its digits
    long lo = v % 100_000_000;
    long rest = v / 100_000_000;
    if (n <= 16) {
      storeHead(b, p, (int) rest, n - 8);
      LONG_LE.set(b, p + n - 8, ascii8((int) lo));
      return;
    }
    long mid = rest % 100_000_000;
    storeHead(b, p, (int) (rest / 100_000_000), n - 16);
    LONG_LE.set(b, p + n - 16, ascii8((int) mid));
    LONG_LE.set(b, p + n - 8, ascii8((int) lo));
  }

  // The last k (1..8) digits of x's eight (x < 10^k) at b[p, p + k): little-endian, the first digit
  // is the lowest byte, so dropping leading zero digits is a right shift.
  private static void storeHead(byte[] b, int p, int x, int k) {
    LONG_LE.set(b, p, ascii8(x) >>> ((8 - k) << 3));
  }

  /**
   * 0 <= x < 10^8 as eight ASCII digits in a little-endian long, by lanes in one register: two
   * 4-digit halves in 32-bit lanes, each split into 2-digit 16-bit lanes by x·10486 >> 20 (= x/100
   * below 43,699), each of those into digits in 8-bit lanes by x·103 >> 10 (= x/10 below 179):
   * a few multiplications instead of eight divisions and eight byte stores.
   */
  static long ascii8(int x) {
    long hi = x / 10_000;
    long v = hi | (long) (x - (int) hi * 10_000) << 32;
    long q = (v * 10486 >>> 20) & 0x0000007F0000007FL;
    v = q | (v - q * 100) << 16;
    q = (v * 103 >>> 10) & 0x000F000F000F000FL;
    v = q | (v - q * 10) << 8;
    return v + 0x3030303030303030L;
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
    // Trailing zeros without a division: an even f ends in 0 when f/2 is a multiple of 5, that is
    // when (f/2)·inv(5) mod 2^64 is at most (2^64 - 1)/5, and then that product is f/10.
    while ((f & 1) == 0) {
      long q = (f >>> 1) * 0xCCCCCCCCCCCCCCCDL;
      if (Long.compareUnsigned(q, 0x3333333333333333L) > 0) {
        break;
      }
      f = q;
      e++;
    }
    int len = digitCount(f);
    digits = f;
    numDigits = len;
    point = e + len;
  }

}
