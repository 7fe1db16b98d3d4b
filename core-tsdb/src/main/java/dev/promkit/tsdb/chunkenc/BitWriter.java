package dev.promkit.tsdb.chunkenc;

import java.util.Arrays;

/**
 * An append-only stream of bits, most significant bit of each byte first (Prometheus' {@code bstream}).
 * Bytes already written are only ever OR-ed into (the last, partial byte) or left alone, so a reader
 * that knows how many bits are valid may read {@link #buffer()} while the writer goes on.
 *
 * <p>One writer thread. Readers on other threads must read {@link #buffer()} after an acquire of
 * whatever count the writer published after writing; the buffer is re-published on growth.
 */
public final class BitWriter {
  private byte[] buf;
  private int len; // bytes in use
  private int free; // bits still free in buf[len - 1]
  // Readers' view of buf: written on every reallocation so a racing reader never sees a fresh
  // array reference without its contents (a volatile write publishes the copied bytes too).
  private volatile byte[] published;

  /** An empty stream with room for {@code capacity} bytes before it grows. */
  public BitWriter(int capacity) {
    this.buf = new byte[Math.max(capacity, 1)];
    this.published = buf;
  }

  /** Continues in {@code bytes} (taken over): {@code len} bytes in use, the last {@code free} bits unused. */
  void resume(byte[] bytes, int len, int free) {
    this.buf = bytes;
    this.len = len;
    this.free = free;
    this.published = bytes;
  }

  /** Appends one bit. */
  public void writeBit(boolean bit) {
    if (free == 0) {
      addByte();
    }
    free--;
    if (bit) {
      buf[len - 1] |= (byte) (1 << free);
    }
  }

  /** Appends the low {@code nbits} bits of {@code u} (1..64), most significant first. */
  public void writeBits(long u, int nbits) {
    while (nbits > 0) {
      if (free == 0) {
        addByte();
      }
      int take = Math.min(free, nbits);
      // the next `take` bits of u, right-aligned
      int part = (int) ((u >>> (nbits - take)) & ((1 << take) - 1));
      buf[len - 1] |= (byte) (part << (free - take));
      free -= take;
      nbits -= take;
    }
  }

  /** Appends 8 bits. */
  public void writeByte(int b) {
    writeBits(b & 0xff, 8);
  }

  /** Appends whole zero bytes at a byte boundary (for headers); the stream must be byte-aligned. */
  public void writeZeroBytes(int n) {
    if (free != 0) {
      throw new IllegalStateException("writeZeroBytes: stream is not byte-aligned");
    }
    ensure(len + n);
    len += n;
  }

  /** Overwrites a big-endian 16-bit value at a byte offset already written (e.g. a sample count header). */
  public void putShort(int offset, int v) {
    buf[offset] = (byte) (v >>> 8);
    buf[offset + 1] = (byte) v;
  }

  /** Reads back a big-endian 16-bit value at a byte offset (writer thread only). */
  public int getShort(int offset) {
    return ((buf[offset] & 0xff) << 8) | (buf[offset + 1] & 0xff);
  }

  /** Bytes in use (the last one may be partial). */
  public int byteLength() {
    return len;
  }

  /** Bits in use. */
  public long bitLength() {
    return (long) len * 8 - free;
  }

  /**
   * The current backing array for readers: at least {@link #byteLength()} bytes as of the caller's
   * last synchronisation with the writer; bytes past the valid bits may be changing.
   */
  public byte[] buffer() {
    return published;
  }

  /** A copy of exactly the bytes in use. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** Shrinks the backing array to the bytes in use (once a chunk is complete). */
  public void trim() {
    if (buf.length > len) {
      buf = Arrays.copyOf(buf, len);
      published = buf;
    }
  }

  private void addByte() {
    ensure(len + 1);
    len++;
    free = 8;
  }

  private void ensure(int n) {
    if (n > buf.length) {
      // grow by half: chunks end near 1 KiB, so doubling would waste up to half of it per series
      buf = Arrays.copyOf(buf, Math.max(n, buf.length + (buf.length >> 1) + 8));
      published = buf;
    }
  }
}
