package dev.promkit.server.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A JSON writer for query results straight into UTF-8 bytes: a buffer that, when given a stream,
 * flushes to it every {@value #FLUSH_AT} bytes (so a 16 MB matrix never sits in memory whole), and
 * otherwise grows. Strings are escaped as the API's Gson path plus Go's HTML escaping does, so both
 * paths give the same bytes. Nothing is allocated per value.
 *
 * <p>A third mode ({@link #JsonBytes(Opener, long)}) holds the document in buffers up to a limit
 * and opens the response only then: with its length when it fits (one fixed-length write instead
 * of a chunk per few kilobytes), streamed when it grows past the limit.
 */
final class JsonBytes {
  static final int FLUSH_AT = 1 << 16;
  private static final int SLACK = 64; // room for one number or timestamp without a bounds check
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Starts the response once the body's length is known ({@code -1}: streamed, length unknown). */
  interface Opener {
    /** Returns where the body goes, or null when none is wanted. */
    OutputStream open(long length) throws IOException;
  }

  private OutputStream out;
  private Opener opener; // non-null while the document is held, not yet sent
  private final long holdLimit;
  private final java.util.ArrayList<byte[]> held = new java.util.ArrayList<>(); // full buffers, in order
  private int[] heldLength = new int[8];
  private long heldBytes;
  private final FloatFormat floats = new FloatFormat();
  private byte[] b;
  private int n;

  /** A writer that keeps everything (see {@link #toByteArray}) when out is null. */
  JsonBytes(OutputStream out) {
    this.out = out;
    this.holdLimit = 0;
    this.b = new byte[FLUSH_AT + SLACK + 1024];
  }

  /**
   * A writer that holds up to {@code holdLimit} bytes before it opens the response; {@link #finish}
   * opens it with the exact length when the whole document was held.
   */
  JsonBytes(Opener opener, long holdLimit) {
    this(opener, holdLimit, newBuffer());
  }

  /**
   * As {@link #JsonBytes(Opener, long)}, writing first into buffer (of {@link #newBuffer}'s size),
   * which the caller may reuse once this writer is done.
   */
  JsonBytes(Opener opener, long holdLimit, byte[] buffer) {
    this.opener = opener;
    this.holdLimit = holdLimit;
    this.b = buffer;
  }

  /** A buffer of the size every writer starts with. */
  static byte[] newBuffer() {
    return new byte[FLUSH_AT + SLACK + 1024];
  }

  private void room(int k) throws IOException {
    if (n + k <= b.length) {
      return;
    }
    if (opener != null && n > 0) {
      hold();
      if (k <= b.length) {
        return;
      }
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

  /** Sets the full buffer aside, or, past the limit, opens a streamed response and sends what was held. */
  private void hold() throws IOException {
    if (heldBytes + n > holdLimit) {
      out = opener.open(-1);
      opener = null;
      if (out == null) {
        out = OutputStream.nullOutputStream(); // no body wanted: drop what follows
      }
      sendHeld();
      return; // the caller writes b to out
    }
    if (held.size() == heldLength.length) {
      heldLength = Arrays.copyOf(heldLength, held.size() * 2);
    }
    heldLength[held.size()] = n;
    held.add(b);
    heldBytes += n;
    b = new byte[b.length];
    n = 0;
  }

  private void sendHeld() throws IOException {
    for (int i = 0; i < held.size(); i++) {
      out.write(held.get(i), 0, heldLength[i]);
    }
    held.clear();
    heldBytes = 0;
  }

  /**
   * Ends the document: a held one opens the response with its length and goes out; a streamed
   * one is flushed. The caller closes the stream ({@link #stream}).
   */
  void finish() throws IOException {
    if (opener != null) {
      long length = heldBytes + n;
      out = opener.open(length > holdLimit ? -1 : length);
      opener = null;
      if (out == null) {
        return;
      }
      sendHeld();
    }
    flush();
  }

  /** Where the body went (null before {@link #finish} or when none was wanted). */
  OutputStream stream() {
    return out;
  }

  /** Hands full buffers to the stream; call between values. */
  private void maybeFlush() throws IOException {
    if (out != null && n >= FLUSH_AT && opener == null) {
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
    long sec = ms / 1000;
    int frac = (int) (ms % 1000);
    if (ms < 0) {
      b[p++] = '-';
      sec = -sec; // (negating the seconds, not ms: -Long.MIN_VALUE would overflow)
      frac = -frac;
    }
    p = FloatFormat.appendLong(b, p, sec);
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
