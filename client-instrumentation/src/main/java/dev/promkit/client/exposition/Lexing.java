package dev.promkit.client.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Byte-level token checks of the exposition parser: floats as Go parses them, UTF-8 validity. */
final class Lexing {
  // Powers of ten exactly representable as doubles: the range of the exact fast path.
  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  private Lexing() {}

  /**
   * Parses a float as Go's strconv.ParseFloat does for decimal input: optional sign, digits with an
   * optional point, optional exponent, or (any case) inf/infinity/nan. Returns NaN for bad syntax
   * (callers tell it from a literal NaN). Up to 15 significant digits and |exponent| &lt;= 22 take
   * the exact fast path (one correctly rounded multiply or divide); others go to Double.parseDouble
   * after the syntax check, so Java-only syntax ("1d", "0x1p3", " 1") is never accepted.
   */
  static double parseFloat(byte[] b, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (b[i] == '+' || b[i] == '-')) {
      negative = b[i] == '-';
      i++;
    }
    if (i < to && ((b[i] | 0x20) == 'i' || (b[i] | 0x20) == 'n')) {
      String word = new String(b, i, to - i, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
      if (word.equals("inf") || word.equals("infinity")) {
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      return Double.NaN; // "nan" itself, or garbage: the caller checks which
    }
    long mantissa = 0;
    int significant = 0;
    int exp10 = 0;
    boolean anyDigit = false;
    boolean point = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        anyDigit = true;
        if (significant < 18) { // 18 digits always fit a long
          if (mantissa != 0 || c != '0') {
            mantissa = mantissa * 10 + (c - '0');
            significant++;
          }
          if (point) {
            exp10--;
          }
        } else if (!point) {
          exp10++; // digits beyond 18 only scale (the slow path recomputes exactly)
          significant++;
        } else {
          significant++;
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (!anyDigit) {
      return Double.NaN;
    }
    if (i < to) {
      if ((b[i] | 0x20) != 'e') {
        return Double.NaN;
      }
      i++;
      boolean expNegative = false;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        expNegative = b[i] == '-';
        i++;
      }
      if (i == to) {
        return Double.NaN;
      }
      int e = 0;
      for (; i < to; i++) {
        byte c = b[i];
        if (c < '0' || c > '9') {
          return Double.NaN;
        }
        e = Math.min(e * 10 + (c - '0'), 100_000);
      }
      exp10 += expNegative ? -e : e;
    }
    double v;
    if (significant <= 15 && exp10 >= -22 && exp10 <= 22) {
      v = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
    } else {
      v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.US_ASCII));
      return v;
    }
    return negative ? -v : v;
  }

  /** True when {@code b[from,to)} is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
  static boolean validUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        min = 0x10000;
      } else {
        return false;
      }
      int cp = c & (0x3F >> n);
      for (int k = 1; k <= n; k++) {
        if (i + k >= to) {
          return false;
        }
        int d = b[i + k] & 0xFF;
        if ((d & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (d & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }
}
