package dev.promkit.server.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A JSON writer for query results straight into UTF-8 bytes: a buffer that, when given a stream,
 * flushes to it every {@value #FLUSH_AT} bytes (so a 16 MB matrix never sits in memory whole), and
 * otherwise grows. Strings are escaped as the API's Gson path plus Go's HTML escaping does, so both
 * paths give the same bytes. Nothing is allocated per value.
 */
final class JsonBytes {
  static final int FLUSH_AT = 1 << 16;
  private static final int SLACK = 64; // room for one number or timestamp without a bounds check
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final FloatFormat floats = new FloatFormat();
  private byte[] b;
  private int n;

  /** A writer that keeps everything (see {@link #toByteArray}) when out is null. */
  JsonBytes(OutputStream out) {
    this.out = out;
    this.b = new byte[FLUSH_AT + SLACK + 1024];
  }

  private void room(int k) throws IOException {
    if (n + k <= b.length) {
      return;
    }
    if (out != null && n > 0) {
      out.write(b, 0, n);
      n = 0;
      if (k <= b.length) {
        return;
      }
    }
    b = Arrays.copyOf(b, Math.max(b.length * 2, n + k));
  }

  /** Hands full buffers to the stream; call between values. */
  private void maybeFlush() throws IOException {
    if (out != null && n >= FLUSH_AT) {
      out.write(b, 0, n);
      n = 0;
    }
  }

  JsonBytes raw(char c) throws IOException {
    room(1);
    b[n++] = (byte) c;
    return this;
  }

  /** ASCII text without escaping (keys and fixed parts). */
  JsonBytes raw(String ascii) throws IOException {
    int len = ascii.length();
    room(len);
    for (int i = 0; i < len; i++) {
      b[n++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  /** [t,"v"]: Prometheus' point, the timestamp in seconds with a millisecond fraction. */
  JsonBytes point(long t, double v) throws IOException {
    room(SLACK);
    b[n++] = '[';
    n = timestamp(b, n, t);
    b[n++] = ',';
    b[n++] = '"';
    n = floats.append(b, n, v);
    b[n++] = '"';
    b[n++] = ']';
    maybeFlush();
    return this;
  }

  /** Prometheus' MarshalTimestamp: seconds, then "." and three digits when the ms are not 0. */
  static int timestamp(byte[] b, int p, long ms) {
    if (ms < 0) {
      b[p++] = '-';
      ms = -ms;
    }
    p = FloatFormat.appendLong(b, p, ms / 1000);
    int frac = (int) (ms % 1000);
    if (frac != 0) {
      b[p++] = '.';
      b[p++] = (byte) ('0' + frac / 100);
      b[p++] = (byte) ('0' + frac / 10 % 10);
      b[p++] = (byte) ('0' + frac % 10);
    }
    return p;
  }

  /** A quoted string, escaped as Gson (non-HTML-safe) and then Go's &lt; &gt; &amp; escapes. */
  JsonBytes string(String s) throws IOException {
    int len = s.length();
    room(len * 6 + 2); // worst case: every char as a six-byte escape
    b[n++] = '"';
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        b[n++] = (byte) c;
      } else if (c < 0x80) {
        escapeAscii(c);
      } else if (c == '\u2028' || c == '\u2029') {
        unicodeEscape(c);
      } else if (c < 0x800) {
        b[n++] = (byte) (0xc0 | (c >> 6));
        b[n++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[n++] = (byte) (0xf0 | (cp >> 18));
        b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[n++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        b[n++] = '?'; // a lone surrogate: String.getBytes(UTF_8) writes '?' too
      } else {
        b[n++] = (byte) (0xe0 | (c >> 12));
        b[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[n++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    b[n++] = '"';
    return this;
  }

  private void escapeAscii(char c) {
    switch (c) {
      case '"': b[n++] = '\\'; b[n++] = '"'; break;
      case '\\': b[n++] = '\\'; b[n++] = '\\'; break;
      case '\t': b[n++] = '\\'; b[n++] = 't'; break;
      case '\b': b[n++] = '\\'; b[n++] = 'b'; break;
      case '\n': b[n++] = '\\'; b[n++] = 'n'; break;
      case '\r': b[n++] = '\\'; b[n++] = 'r'; break;
      case '\f': b[n++] = '\\'; b[n++] = 'f'; break;
      default: unicodeEscape(c); break; // other control characters, < > &
    }
  }

  private void unicodeEscape(char c) {
    b[n++] = '\\';
    b[n++] = 'u';
    b[n++] = HEX[(c >> 12) & 0xf];
    b[n++] = HEX[(c >> 8) & 0xf];
    b[n++] = HEX[(c >> 4) & 0xf];
    b[n++] = HEX[c & 0xf];
  }

  /** Writes what is buffered to the stream. */
  void flush() throws IOException {
    if (out != null && n > 0) {
      out.write(b, 0, n);
      n = 0;
    }
  }

  /** Everything written (only without a stream). */
  byte[] toByteArray() {
    return Arrays.copyOf(b, n);
  }
}
