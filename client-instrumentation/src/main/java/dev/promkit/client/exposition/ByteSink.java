package dev.promkit.client.exposition;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A buffered UTF-8 writer onto an {@link OutputStream} that formats names, escaped strings, longs
 * and doubles straight into its byte array: no String or char[] per sample. One per write call;
 * not thread-safe.
 */
final class ByteSink {
  private static final byte[] DIGITS = "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  // Scratch for double formatting: StringBuilder.append(double) writes the shortest digits without
  // allocating on JDK 17 (thread-local converter); we re-shape them into Go's format below.
  private final StringBuilder doubleChars = new StringBuilder(32);
  private final byte[] digits = new byte[32];
  /** The last label name checked for legacy validity, and the answer (a one-entry cache for the writer). */
  String lastLabelName;
  boolean lastLabelNameLegacy;

  ByteSink(OutputStream out, int bufferSize) {
    this.out = out;
    this.buf = new byte[Math.max(bufferSize, 64)];
  }

  void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      flush();
    }
  }

  void writeByte(int b) throws IOException {
    if (pos == buf.length) {
      flush();
    }
    buf[pos++] = (byte) b;
  }

  /** Writes a constant ASCII literal held as bytes. */
  void writeBytes(byte[] b) throws IOException {
    if (b.length > buf.length - pos) {
      flush();
      if (b.length > buf.length) {
        out.write(b);
        return;
      }
    }
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** Writes a string as UTF-8 without escaping. */
  void writeUtf8(String s) throws IOException {
    writeString(s, ESCAPE_NONE);
  }

  static final int ESCAPE_NONE = 0;
  /** Escapes backslash and newline (text 0.0.4 HELP). */
  static final int ESCAPE_HELP = 1;
  /** Escapes backslash, newline and double quote (label values, OpenMetrics HELP, quoted names). */
  static final int ESCAPE_QUOTED = 2;

  /** Writes a string as UTF-8, escaping per mode. */
  void writeString(String s, int mode) throws IOException {
    int n = s.length();
    // Fast path: at most 3 bytes per char (UTF-8 of a BMP char, an escape is 2, a surrogate pair
    // 4 for 2 chars), so one capacity check up front lets the loop skip per-byte checks.
    if (3 * n > buf.length - pos) {
      flush();
      if (3 * n > buf.length) {
        writeStringChecked(s, mode);
        return;
      }
    }
    byte[] b = buf;
    int p = pos;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (mode != ESCAPE_NONE && (c == '\\' || c == '\n' || (c == '"' && mode == ESCAPE_QUOTED))) {
          b[p++] = '\\';
          b[p++] = (byte) (c == '\n' ? 'n' : c);
        } else {
          b[p++] = (byte) c;
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        int cp = Character.isSurrogate(c) ? 0xFFFD : c; // a lone surrogate is not encodable
        b[p++] = (byte) (0xE0 | (cp >> 12));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      }
    }
    pos = p;
  }

  /** The same, checking capacity per character, for strings longer than a third of the buffer. */
  private void writeStringChecked(String s, int mode) throws IOException {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        ensure(4);
        writeString(s.substring(i, i + 2), mode);
        i++;
      } else {
        ensure(3);
        writeString(String.valueOf(c), mode);
      }
    }
  }

  /** Writes a long in decimal. */
  void writeLong(long v) throws IOException {
    ensure(20);
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        writeUtf8("-9223372036854775808");
        return;
      }
      buf[pos++] = '-';
      v = -v;
    }
    int start = pos;
    do {
      buf[pos++] = DIGITS[(int) (v % 10)];
      v /= 10;
    } while (v != 0);
    // Digits were produced least significant first: reverse them in place.
    for (int i = start, j = pos - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  /**
   * Writes a sample value: integral values below 1e15 as plain integers (exact, short, no
   * exponent), everything else in Go's shortest {@code 'g'} form, which every Prometheus parser reads.
   */
  void writeValue(double v) throws IOException {
    if (v == (long) v && Math.abs(v) < 1e15) {
      if (v == 0 && 1 / v < 0) {
        writeByte('-'); // keep the sign of -0.0 so that parsing it back gives the same bits
      }
      writeLong((long) v);
    } else {
      writeGoFloat(v, false);
    }
  }

  /**
   * Writes a float as Prometheus 3.x and OpenMetrics want label values such as {@code le} and
   * {@code quantile}: Go's shortest {@code 'g'} form with {@code .0} appended when it has neither a
   * point nor an exponent ({@code 1.0}, {@code 0.25}, {@code 1e+06}, {@code +Inf}).
   */
  void writeCanonicalFloat(double v) throws IOException {
    if (v == (long) v && Math.abs(v) < 1e6 && !(v == 0 && 1 / v < 0)) {
      writeLong((long) v); // fast path for the usual bucket bounds: 1.0, 10.0, 250.0
      writeByte('.');
      writeByte('0');
    } else {
      writeGoFloat(v, true);
    }
  }

  /** Writes milliseconds as seconds with up to three decimals (OpenMetrics timestamps). */
  void writeMillisAsSeconds(long ms) throws IOException {
    long sec = Math.floorDiv(ms, 1000);
    int frac = (int) Math.floorMod(ms, 1000);
    if (sec < 0 && frac != 0) {
      // -1.5 s is ms = -1500: floorDiv gives -2 and frac 500; print as -1.500 instead.
      writeByte('-');
      writeLong(-(sec + 1));
      frac = 1000 - frac;
    } else {
      writeLong(sec);
    }
    if (frac != 0) {
      ensure(4);
      buf[pos++] = '.';
      buf[pos++] = DIGITS[frac / 100];
      int d2 = frac / 10 % 10;
      int d3 = frac % 10;
      if (d2 != 0 || d3 != 0) {
        buf[pos++] = DIGITS[d2];
        if (d3 != 0) {
          buf[pos++] = DIGITS[d3];
        }
      }
    }
  }

  // Go's strconv.FormatFloat(v, 'g', -1, 64): shortest digits; exponent form when the decimal
  // exponent is < -4 or >= 6 (shortest precision uses 6 for that decision), with at least two
  // exponent digits and an explicit sign ("1e+06", "2.5e-05").
  private void writeGoFloat(double v, boolean canonical) throws IOException {
    if (Double.isNaN(v)) {
      writeUtf8("NaN");
      return;
    }
    if (Double.isInfinite(v)) {
      writeUtf8(v > 0 ? "+Inf" : "-Inf");
      return;
    }
    StringBuilder sb = doubleChars;
    sb.setLength(0);
    sb.append(v); // Java form: "-123.45", "0.001", "1.0E-5", "1.2345E10"
    int i = 0;
    int n = sb.length();
    boolean negative = sb.charAt(0) == '-';
    if (negative) {
      i++;
    }
    int nd = 0; // significant digits collected into 'digits'
    int dp = 0; // decimal point position relative to digits[0]: value = 0.d1d2.. * 10^dp
    boolean seenPoint = false;
    boolean leading = true;
    int exp10 = 0;
    for (; i < n; i++) {
      char c = sb.charAt(i);
      if (c == '.') {
        seenPoint = true;
      } else if (c == 'E') {
        exp10 = Integer.parseInt(sb, i + 1, n, 10);
        break;
      } else {
        if (leading && c == '0') {
          if (seenPoint) {
            dp--; // a zero after the point before any significant digit: 0.001 -> dp -2
          }
          continue;
        }
        leading = false;
        digits[nd++] = (byte) c;
        if (!seenPoint) {
          dp++;
        }
      }
    }
    while (nd > 1 && digits[nd - 1] == '0') {
      nd--; // Java prints "1.0": drop trailing zeros of the fraction
    }
    if (nd == 0) { // zero
      writeUtf8(negative ? "-0" : "0");
      if (canonical) {
        writeUtf8(".0");
      }
      return;
    }
    dp += exp10;
    int exp = dp - 1;
    ensure(nd + 30);
    if (negative) {
      buf[pos++] = '-';
    }
    if (exp < -4 || exp >= 6) {
      buf[pos++] = digits[0];
      if (nd > 1) {
        buf[pos++] = '.';
        System.arraycopy(digits, 1, buf, pos, nd - 1);
        pos += nd - 1;
      }
      buf[pos++] = 'e';
      buf[pos++] = (byte) (exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        buf[pos++] = '0';
      }
      writeLong(a);
    } else if (dp <= 0) {
      buf[pos++] = '0';
      buf[pos++] = '.';
      for (int z = dp; z < 0; z++) {
        buf[pos++] = '0';
      }
      System.arraycopy(digits, 0, buf, pos, nd);
      pos += nd;
    } else if (nd <= dp) {
      System.arraycopy(digits, 0, buf, pos, nd);
      pos += nd;
      for (int z = nd; z < dp; z++) {
        buf[pos++] = '0';
      }
      if (canonical) {
        buf[pos++] = '.';
        buf[pos++] = '0';
      }
    } else {
      System.arraycopy(digits, 0, buf, pos, dp);
      pos += dp;
      buf[pos++] = '.';
      System.arraycopy(digits, dp, buf, pos, nd - dp);
      pos += nd - dp;
    }
  }
}
