package dev.promkit.tsdb.encoding;

import java.util.Arrays;

/**
 * A growable big-endian byte buffer for building records and file sections. Reuse one instance
 * with {@link #reset()}: in steady state nothing is allocated.
 *
 * <p>Integers are big-endian; varints are Go's {@code encoding/binary} format (LEB128, zig-zag for
 * the signed kind), as Prometheus writes them.
 */
public final class EncBuf {
  private byte[] b;
  private int len;

  /** An empty buffer with a small initial capacity. */
  public EncBuf() {
    this(256);
  }

  /** An empty buffer with the given initial capacity. */
  public EncBuf(int capacity) {
    b = new byte[Math.max(16, capacity)];
  }

  /** Forgets the contents, keeping the storage. */
  public EncBuf reset() {
    len = 0;
    return this;
  }

  /** Number of bytes written. */
  public int len() {
    return len;
  }

  /** The backing array; bytes {@code [0, len())} are valid. Changes on growth. */
  public byte[] array() {
    return b;
  }

  /** A copy of the contents. */
  public byte[] toByteArray() {
    return Arrays.copyOf(b, len);
  }

  private void ensure(int extra) {
    if (len + extra > b.length) {
      // Doubling keeps appends amortised O(1) and lets a reused buffer settle at its peak size.
      b = Arrays.copyOf(b, Math.max(b.length << 1, len + extra));
    }
  }

  /** Appends one byte. */
  public EncBuf putByte(int v) {
    ensure(1);
    b[len++] = (byte) v;
    return this;
  }

  /** Appends bytes. */
  public EncBuf putBytes(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, b, len, n);
    len += n;
    return this;
  }

  /** Appends a 16-bit big-endian integer. */
  public EncBuf putBE16(int v) {
    ensure(2);
    b[len++] = (byte) (v >>> 8);
    b[len++] = (byte) v;
    return this;
  }

  /** Appends a 32-bit big-endian integer. */
  public EncBuf putBE32(int v) {
    ensure(4);
    b[len++] = (byte) (v >>> 24);
    b[len++] = (byte) (v >>> 16);
    b[len++] = (byte) (v >>> 8);
    b[len++] = (byte) v;
    return this;
  }

  /** Appends a 64-bit big-endian integer. */
  public EncBuf putBE64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      b[len++] = (byte) (v >>> shift);
    }
    return this;
  }

  /** Appends the IEEE 754 bits of a double, big-endian (NaN payloads such as the stale marker kept). */
  public EncBuf putBE64Double(double v) {
    return putBE64(Double.doubleToRawLongBits(v));
  }

  /** Appends an unsigned varint (the long's bits read as unsigned). */
  public EncBuf putUvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      b[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[len++] = (byte) v;
    return this;
  }

  /** Appends a signed, zig-zag encoded varint. */
  public EncBuf putVarint(long v) {
    // Zig-zag: small magnitudes of either sign become small unsigned numbers.
    return putUvarint((v << 1) ^ (v >> 63));
  }

  /** Appends bytes prefixed by their length as a uvarint. */
  public EncBuf putUvarintBytes(byte[] src, int off, int n) {
    putUvarint(n);
    return putBytes(src, off, n);
  }

  /** Appends a string as uvarint length + UTF-8 bytes, without allocating. */
  public EncBuf putUvarintStr(String s) {
    int n = Utf8.encodedLength(s);
    putUvarint(n);
    ensure(n);
    len = Utf8.encode(s, b, len);
    return this;
  }

  /** Overwrites a 32-bit big-endian integer at a position already written. */
  public void setBE32(int pos, int v) {
    if (pos < 0 || pos + 4 > len) {
      throw new IndexOutOfBoundsException("setBE32 at " + pos + " in buffer of " + len);
    }
    b[pos] = (byte) (v >>> 24);
    b[pos + 1] = (byte) (v >>> 16);
    b[pos + 2] = (byte) (v >>> 8);
    b[pos + 3] = (byte) v;
  }
}
