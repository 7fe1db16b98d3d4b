package dev.promkit.tsdb.encoding;

import java.nio.charset.StandardCharsets;

/**
 * A big-endian reader over a byte range with a sticky error: the first failure (too few bytes, an
 * overlong varint) is kept, every later read returns zero, and the caller checks {@link #err()} once
 * after a run of reads instead of after each one.
 *
 * <p>Reusable: {@link #reset(byte[], int, int)} points it at another range without allocating.
 */
public final class DecBuf {
  private byte[] b;
  private int pos;
  private int end;
  private int start;
  private String err;

  /** A reader over nothing; call {@link #reset}. */
  public DecBuf() {
    this(new byte[0], 0, 0);
  }

  /** A reader over {@code b[off, off+len)}. */
  public DecBuf(byte[] b, int off, int len) {
    reset(b, off, len);
  }

  /** Points the reader at {@code b[off, off+len)} and clears the error. */
  public DecBuf reset(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off + len > b.length) {
      throw new IndexOutOfBoundsException("range [" + off + ", " + (off + len) + ") of " + b.length + " bytes");
    }
    this.b = b;
    this.start = off;
    this.pos = off;
    this.end = off + len;
    this.err = null;
    return this;
  }

  /** The first error, or null. */
  public String err() {
    return err;
  }

  /** Bytes left to read (0 after an error). */
  public int remaining() {
    return err == null ? end - pos : 0;
  }

  /** Position relative to the start of the range. */
  public int position() {
    return pos - start;
  }

  private boolean need(int n, String what) {
    if (err != null) {
      return false;
    }
    if (end - pos < n) {
      err = "unexpected end of data reading " + what + " at byte " + (pos - start) + " (need " + n
          + ", have " + (end - pos) + ")";
      return false;
    }
    return true;
  }

  /** One unsigned byte, or 0. */
  public int readByte() {
    return need(1, "byte") ? b[pos++] & 0xFF : 0;
  }

  /** A 16-bit unsigned big-endian integer, or 0. */
  public int readBE16() {
    if (!need(2, "be16")) {
      return 0;
    }
    int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  /** A 32-bit big-endian integer, or 0. */
  public int readBE32() {
    if (!need(4, "be32")) {
      return 0;
    }
    int v = ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  /** A 64-bit big-endian integer, or 0. */
  public long readBE64() {
    if (!need(8, "be64")) {
      return 0;
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[pos++] & 0xFF);
    }
    return v;
  }

  /** A double from its big-endian IEEE 754 bits, or 0. */
  public double readBE64Double() {
    return Double.longBitsToDouble(readBE64());
  }

  /** An unsigned varint (at most 10 bytes), or 0. */
  public long readUvarint() {
    if (err != null) {
      return 0;
    }
    long v = 0;
    int shift = 0;
    int at = pos;
    while (true) {
      if (pos >= end) {
        err = "unexpected end of data reading uvarint at byte " + (at - start);
        return 0;
      }
      int x = b[pos++] & 0xFF;
      if (shift == 63 && x > 1) {
        err = "uvarint overflows 64 bits at byte " + (at - start);
        return 0;
      }
      v |= (long) (x & 0x7F) << shift;
      if (x < 0x80) {
        return v;
      }
      shift += 7;
      if (shift > 63) {
        err = "uvarint longer than 10 bytes at byte " + (at - start);
        return 0;
      }
    }
  }

  /** A zig-zag signed varint, or 0. */
  public long readVarint() {
    long u = readUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** A uvarint that must fit a non-negative int (a count or a length), or 0 with an error. */
  public int readUvarintInt(String what) {
    int at = pos - start;
    long v = readUvarint();
    if (err == null && (v < 0 || v > Integer.MAX_VALUE)) {
      err = what + " " + Long.toUnsignedString(v) + " too large at byte " + at;
      return 0;
    }
    return (int) v;
  }

  /** A uvarint-length-prefixed UTF-8 string, or "" after an error. */
  public String readUvarintStr() {
    int n = readUvarintInt("string length");
    if (!need(n, "string of " + n + " bytes")) {
      return "";
    }
    String s = new String(b, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Skips n bytes. */
  public void skip(int n) {
    if (need(n, n + " bytes")) {
      pos += n;
    }
  }
}
