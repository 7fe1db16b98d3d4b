package dev.promkit.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An append-only stream of bits, most significant bit of each byte first (Prometheus' {@code bstream}).
 * Bytes already written are only ever OR-ed into with zero bits past the valid ones, so a reader
 * that knows how many bits are valid may read {@link #buffer()} while the writer goes on.
 *
 * <p>One writer thread. Readers on other threads must read {@link #buffer()} after an acquire of
 * whatever count the writer published after writing; the buffer is re-published on growth.
 */
public final class BitWriter {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf;
  private long bits; // bits in use
  // Prometheus 2.x's bstream.writeByte appends a spare empty byte whenever it writes a whole byte at a
  // byte boundary, and that byte stays in the chunk if nothing follows (3.0 dropped it, PR #14854).
  // True when the last write was such a byte-aligned whole-byte field, so the chunk carries it too.
  private boolean spareByte;
  // Readers' view of buf: written on every reallocation so a racing reader never sees a fresh
  // array reference without its contents (a volatile write publishes the copied bytes too).
  private volatile byte[] published;

  /** An empty stream with room for {@code capacity} bytes before it grows. */
  public BitWriter(int capacity) {
    this.buf = new byte[Math.max(capacity, 8)];
    this.published = buf;
  }

  /** Appends one bit. */
  public void writeBit(boolean bit) {
    writeBits(bit ? 1 : 0, 1);
  }

  /** Appends the low {@code nbits} bits of {@code u} (1..64), most significant first. */
  public void writeBits(long u, int nbits) {
    final int total = nbits;
    if (nbits > 57) {
      // one 8-byte OR covers at most 57 bits after a 7-bit offset: split long fields
      writeBits(u >>> 32, nbits - 32);
      nbits = 32;
    }
    int bytePos = (int) (bits >>> 3);
    int shift = (int) (bits & 7);
    if (bytePos + 8 > buf.length) {
      grow(bytePos + 8);
    }
    // Place the field right after the used bits and OR 8 bytes at once: the bytes past the used
    // bits are zero, and bytes of earlier samples are rewritten with their own values.
    long field = (u << (64 - nbits)) >>> shift;
    long cur = (long) LONG_BE.get(buf, bytePos);
    LONG_BE.set(buf, bytePos, cur | field);
    bits += nbits;
    // Go writes whole bytes of a field with writeByte, the rest bit by bit: a multiple of 8 that
    // ends on a byte boundary also started on one, i.e. every writeByte was aligned.
    spareByte = (total & 7) == 0 && (bits & 7) == 0;
  }

  /** Appends 8 bits. */
  public void writeByte(int b) {
    writeBits(b & 0xff, 8);
  }

  /**
   * Bytes in use (the last one may be partial), plus the spare empty byte Prometheus 2.x keeps after
   * a field of whole bytes written at a byte boundary: the length of Go's {@code bstream.bytes()}.
   */
  public int byteLength() {
    return (int) ((bits + 7) >>> 3) + (spareByte ? 1 : 0);
  }

  /** Bits in use. */
  public long bitLength() {
    return bits;
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
    return Arrays.copyOf(buf, byteLength());
  }

  /** Shrinks the backing array to the bytes in use; call only once nothing more will be written. */
  public void trim() {
    int len = byteLength();
    if (buf.length > len) {
      buf = Arrays.copyOf(buf, len);
      published = buf;
    }
  }

  private void grow(int n) {
    // grow by half: chunks end near 1 KiB, so doubling would waste up to half of it per series
    buf = Arrays.copyOf(buf, Math.max(n, buf.length + (buf.length >> 1)));
    published = buf;
  }
}
