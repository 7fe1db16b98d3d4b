package dev.promkit.exporter.node;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * One procfs or sysfs file read whole into a reused byte buffer, with a cursor over its lines and
 * blank-separated fields that parses numbers straight from the bytes. Obtain with {@link #read},
 * release with {@link #close}: buffers are pooled per thread, so a steady scrape allocates no
 * buffers, and files may be opened nested (a udev file while walking /proc/diskstats).
 *
 * <pre>{@code
 * try (ProcText t = ProcText.read(path)) {
 *   while (t.nextLine()) {
 *     if (t.nextField() && t.fieldIs("btime") && t.nextField()) { long v = t.fieldLong(); }
 *   }
 * }
 * }</pre>
 */
final class ProcText implements AutoCloseable {
  private static final int MAX_POOLED = 4;
  private static final ThreadLocal<ArrayDeque<ProcText>> POOL = ThreadLocal.withInitial(ArrayDeque::new);
  // FileInputStream reads up to 8 KiB through a stack buffer; larger reads malloc each time.
  private static final int CHUNK = 8192;

  private final ArrayDeque<ProcText> pool;
  private byte[] buf = new byte[4 * CHUNK];
  private int len;
  private int lineStart;
  private int lineEnd = -1;
  private int fieldStart;
  private int fieldEnd;

  private ProcText(ArrayDeque<ProcText> pool) {
    this.pool = pool;
  }

  /**
   * Reads the whole file. The large first read matters for sysctl files under /proc/sys, which
   * answer a read at a non-zero offset with EOF.
   */
  static ProcText read(Path path) throws IOException {
    ArrayDeque<ProcText> pool = POOL.get();
    ProcText t = pool.isEmpty() ? new ProcText(pool) : pool.pop();
    try (FileInputStream in = new FileInputStream(path.toString())) {
      t.fill(in);
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  private void fill(FileInputStream in) throws IOException {
    len = 0;
    lineStart = 0;
    lineEnd = -1;
    fieldStart = 0;
    fieldEnd = 0;
    while (true) {
      if (buf.length - len < CHUNK) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, len, CHUNK);
      if (n < 0) {
        return;
      }
      len += n;
    }
  }

  /** Returns the buffer to this thread's pool; the instance must not be used afterwards. */
  @Override
  public void close() {
    if (pool.size() < MAX_POOLED) {
      pool.push(this);
    }
  }

  /** The whole content without leading and trailing white space. */
  String trimmed() {
    int s = 0;
    int e = len;
    while (s < e && buf[s] <= ' ') {
      s++;
    }
    while (e > s && buf[e - 1] <= ' ') {
      e--;
    }
    return new String(buf, s, e - s, StandardCharsets.UTF_8);
  }

  /** Moves to the next line (the first one on the first call); false past the last line. */
  boolean nextLine() {
    int start = lineEnd + 1;
    if (start >= len) {
      lineEnd = len;
      return false;
    }
    int end = start;
    while (end < len && buf[end] != '\n') {
      end++;
    }
    lineStart = start;
    lineEnd = end;
    fieldStart = start;
    fieldEnd = start;
    return true;
  }

  /** The current line as a string. */
  String line() {
    return new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
  }

  /** True when the current line starts with these ASCII characters. */
  boolean lineStartsWith(String prefix) {
    return regionIs(lineStart, Math.min(lineEnd, lineStart + prefix.length()), prefix);
  }

  /** Moves to the next field of the current line, fields being separated by spaces or tabs. */
  boolean nextField() {
    int p = fieldEnd;
    while (p < lineEnd && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\r')) {
      p++;
    }
    if (p >= lineEnd) {
      fieldStart = fieldEnd = lineEnd;
      return false;
    }
    int e = p;
    while (e < lineEnd && buf[e] != ' ' && buf[e] != '\t' && buf[e] != '\r') {
      e++;
    }
    fieldStart = p;
    fieldEnd = e;
    return true;
  }

  /** Skips {@code n} fields; false when the line ends first. */
  boolean skipFields(int n) {
    for (int i = 0; i < n; i++) {
      if (!nextField()) {
        return false;
      }
    }
    return true;
  }

  /** The rest of the line after the current field, trimmed. */
  String rest() {
    int s = fieldEnd;
    int e = lineEnd;
    while (s < e && buf[s] <= ' ') {
      s++;
    }
    while (e > s && buf[e - 1] <= ' ') {
      e--;
    }
    return new String(buf, s, e - s, StandardCharsets.UTF_8);
  }

  /** The current field as a string. */
  String field() {
    return new String(buf, fieldStart, fieldEnd - fieldStart, StandardCharsets.UTF_8);
  }

  /** The current field without its last character (a "Name:" key without the colon). */
  String fieldChopped() {
    return new String(buf, fieldStart, Math.max(0, fieldEnd - fieldStart - 1), StandardCharsets.UTF_8);
  }

  boolean fieldIs(String s) {
    return fieldEnd - fieldStart == s.length() && regionIs(fieldStart, fieldEnd, s);
  }

  boolean fieldEndsWith(char c) {
    return fieldEnd > fieldStart && buf[fieldEnd - 1] == c;
  }

  private boolean regionIs(int from, int to, String s) {
    if (to - from != s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (buf[from + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The current field as a decimal integer.
   *
   * @throws NumberFormatException when it is not one (or overflows a long)
   */
  long fieldLong() {
    return parseLong(fieldStart, fieldEnd);
  }

  /** The current field as a hexadecimal integer (with or without 0x), unsigned 64-bit. */
  long fieldHex() {
    int p = fieldStart;
    if (fieldEnd - p > 2 && buf[p] == '0' && (buf[p + 1] == 'x' || buf[p + 1] == 'X')) {
      p += 2;
    }
    if (p == fieldEnd || fieldEnd - p > 16) {
      throw new NumberFormatException("not a hexadecimal number: '" + field() + "'");
    }
    long v = 0;
    for (; p < fieldEnd; p++) {
      int d = Character.digit(buf[p], 16);
      if (d < 0) {
        throw new NumberFormatException("not a hexadecimal number: '" + field() + "'");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** The current field as a double; integers (the common case in /proc) are parsed without a string. */
  double fieldDouble() {
    long v = parseLongOrMin(fieldStart, fieldEnd);
    // A 64-bit counter above Long.MAX_VALUE, a fraction or an exponent: the slow, exact path.
    return v != Long.MIN_VALUE ? v : Double.parseDouble(field());
  }

  private long parseLong(int from, int to) {
    long v = parseLongOrMin(from, to);
    if (v == Long.MIN_VALUE) {
      return Long.parseLong(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
    }
    return v;
  }

  // Long.MIN_VALUE (a sentinel instead of an exception) when not a plain decimal of at most 18 digits.
  private long parseLongOrMin(int from, int to) {
    boolean neg = from < to && buf[from] == '-';
    int p = neg ? from + 1 : from;
    if (p == to || to - p > 18) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (; p < to; p++) {
      int d = buf[p] - '0';
      if (d < 0 || d > 9) {
        return Long.MIN_VALUE;
      }
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }
}
