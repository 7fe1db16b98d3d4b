package dev.promkit.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The encoder of one open XOR chunk, kept in the fields of a subclass and writing into a byte array
 * the subclass holds: the head's series extends it, so an open chunk needs no writer objects of its
 * own (a {@link XorChunk} with its appender costs three extra objects, ~100 bytes, per series).
 * Produces exactly the bytes of {@link XorChunk#appender()}, i.e. of Prometheus' xorAppender,
 * including Prometheus 2.x's spare empty byte in {@link #xorByteLength()}.
 *
 * <p>Arrays grow to what the samples need plus half, not by doubling: an open chunk's spare
 * capacity is resident memory of every active series, while each growth leaves the old array as
 * garbage in the old generation (chunks outlive young collections), so growing by less than half
 * makes full collections more frequent. Bytes of samples already written never
 * change, so a reader that was handed the array and a sample count after the append may decode
 * while the writer goes on (the subclass publishes both).
 */
public abstract class XorEncoderState {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final byte NO_WINDOW = -1; // no leading/trailing window chosen yet
  /** Capacity of a new chunk's array: header, first sample and a few more. */
  private static final int START_CAPACITY = 32;

  /** Timestamp of the newest sample appended, {@link Long#MIN_VALUE} before the first. */
  protected long lastT = Long.MIN_VALUE;
  /** Raw bits of the newest sample's value (the stale marker's NaN payload kept). */
  protected long lastVBits;
  private long tDelta;
  private int bits; // bits in use in the open chunk, the 2-byte header included
  private byte leading = NO_WINDOW;
  private byte trailing;
  // Prometheus 2.x's bstream.writeByte leaves a spare empty byte after a whole byte written at a
  // byte boundary; it counts in the chunk's length while nothing follows (see BitWriter).
  private boolean spare;

  /** For subclasses. */
  protected XorEncoderState() {}

  /** Starts a new, empty chunk and returns its array (header included, sample count 0). */
  protected final byte[] xorStart() {
    bits = XorChunk.HEADER_BYTES * 8;
    spare = false;
    leading = NO_WINDOW;
    trailing = 0;
    tDelta = 0;
    return new byte[START_CAPACITY];
  }

  /**
   * Appends (t, v) as sample {@code num} (0-based; the caller counts) of the chunk in {@code buf}
   * and returns the array now holding the chunk: {@code buf}, or a larger copy of it. Sets
   * {@link #lastT} and {@link #lastVBits}.
   *
   * @throws IllegalStateException when the chunk already holds 65535 samples
   */
  protected final byte[] xorAppend(byte[] buf, int num, long t, double v) {
    if (num >= 0xffff) {
      throw new IllegalStateException("xor chunk: full at 65535 samples");
    }
    long vb = Double.doubleToRawLongBits(v); // raw: keeps NaN payloads such as the stale marker
    long td = 0;
    if (num == 0) {
      long zz = (t << 1) ^ (t >> 63); // zig-zag, as Go's binary.PutVarint
      buf = ensure(buf, uvarintLen(zz) * 8 + 64);
      writeUvarint(buf, zz);
      writeBits(buf, vb, 64);
    } else if (num == 1) {
      td = t - lastT;
      buf = ensure(buf, uvarintLen(td) * 8 + valueBits(vb));
      writeUvarint(buf, td);
      writeValue(buf, vb);
    } else {
      td = t - lastT;
      long dod = td - tDelta;
      buf = ensure(buf, dodBits(dod) + valueBits(vb));
      // control prefix and payload in one field: '10'+14, '110'+17, '1110'+20, '1111'+64 bits
      if (dod == 0) {
        writeBits(buf, 0, 1);
      } else if (XorAppender.fits(dod, 14)) {
        writeBits(buf, (0b10L << 14) | (dod & 0x3fffL), 16);
      } else if (XorAppender.fits(dod, 17)) {
        writeBits(buf, (0b110L << 17) | (dod & 0x1ffffL), 20);
      } else if (XorAppender.fits(dod, 20)) {
        writeBits(buf, (0b1110L << 20) | (dod & 0xfffffL), 24);
      } else {
        writeBits(buf, 0b1111L, 4);
        writeBits(buf, dod, 64);
      }
      writeValue(buf, vb);
    }
    lastT = t;
    lastVBits = vb;
    tDelta = td;
    int count = num + 1;
    buf[0] = (byte) (count >>> 8);
    buf[1] = (byte) count;
    return buf;
  }

  /**
   * Continues a chunk written earlier (its samples decoded to recover the state): {@code bits} in
   * use with the header, Prometheus 2.x's spare byte, and the decoder's state after the last
   * sample; a {@code leading} outside 0..63 means no value window chosen yet. The array the caller
   * passes to {@link #xorAppend} must be zero past those bits.
   */
  protected final void xorResume(int bits, boolean spare, long lastT, long lastVBits, long tDelta, int leading,
      int trailing) {
    this.bits = bits;
    this.spare = spare;
    this.lastT = lastT;
    this.lastVBits = lastVBits;
    this.tDelta = tDelta;
    this.leading = leading < 0 || leading > 63 ? NO_WINDOW : (byte) leading;
    this.trailing = (byte) trailing;
  }

  /** Bytes of the open chunk as Prometheus 2.x counts them (its spare empty byte included). */
  protected final int xorByteLength() {
    return ((bits + 7) >>> 3) + (spare ? 1 : 0);
  }

  /** The open chunk's bytes in an array of exactly {@link #xorByteLength()} (buf itself if it fits). */
  protected final byte[] xorTrim(byte[] buf) {
    int len = xorByteLength();
    return buf.length == len ? buf : Arrays.copyOf(buf, len);
  }

  private static int dodBits(long dod) {
    if (dod == 0) {
      return 1;
    }
    if (XorAppender.fits(dod, 14)) {
      return 16;
    }
    if (XorAppender.fits(dod, 17)) {
      return 20;
    }
    return XorAppender.fits(dod, 20) ? 24 : 68;
  }

  // Bits writeValue will write for vb (the window decision made the same way).
  private int valueBits(long vb) {
    long delta = vb ^ lastVBits;
    if (delta == 0) {
      return 1;
    }
    int lead = Math.min(Long.numberOfLeadingZeros(delta), 31);
    int trail = Long.numberOfTrailingZeros(delta);
    if (leading != NO_WINDOW && lead >= leading && trail >= trailing) {
      return 2 + 64 - leading - trailing;
    }
    return 13 + 64 - lead - trail;
  }

  private void writeValue(byte[] buf, long vb) {
    long delta = vb ^ lastVBits;
    if (delta == 0) {
      writeBits(buf, 0, 1);
      return;
    }
    int lead = Long.numberOfLeadingZeros(delta);
    int trail = Long.numberOfTrailingZeros(delta);
    if (lead >= 32) {
      lead = 31; // 5 bits hold at most 31
    }
    if (leading != NO_WINDOW && lead >= leading && trail >= trailing) {
      // '10': the meaningful bits fit in the previous window
      writeBits(buf, 0b10L, 2);
      writeBits(buf, delta >>> trailing, 64 - leading - trailing);
    } else {
      leading = (byte) lead;
      trailing = (byte) trail;
      int sig = 64 - lead - trail;
      // '11' + 5 bits leading + 6 bits significant (64 is written as 0)
      writeBits(buf, (0b11L << 11) | ((long) lead << 6) | (sig & 0x3f), 13);
      writeBits(buf, delta >>> trail, sig);
    }
  }

  private static int uvarintLen(long x) {
    return Math.max(1, (64 - Long.numberOfLeadingZeros(x) + 6) / 7);
  }

  private void writeUvarint(byte[] buf, long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      writeBits(buf, (x & 0x7f) | 0x80, 8);
      x >>>= 7;
    }
    writeBits(buf, x, 8);
  }

  // An array with room for nbits more bits: buf, or a copy grown by at least half.
  private byte[] ensure(byte[] buf, int nbits) {
    int need = (bits + nbits + 7) >>> 3;
    if (need <= buf.length) {
      return buf;
    }
    return Arrays.copyOf(buf, Math.max(need, buf.length + Math.max(16, buf.length >> 1)));
  }

  // Appends the low nbits (1..64) of u, most significant first; the array has room (ensure).
  private void writeBits(byte[] buf, long u, int nbits) {
    final int total = nbits;
    if (nbits > 57) {
      // one 8-byte OR covers at most 57 bits after a 7-bit offset: split long fields
      writeBits(buf, u >>> 32, nbits - 32);
      nbits = 32;
    }
    int bytePos = bits >>> 3;
    int shift = bits & 7;
    long field = (u << (64 - nbits)) >>> shift;
    if (bytePos + 8 <= buf.length) {
      // OR 8 bytes at once: bytes past the used bits are zero, earlier ones keep their values
      long cur = (long) LONG_BE.get(buf, bytePos);
      LONG_BE.set(buf, bytePos, cur | field);
    } else {
      // near the end of a tight array: only the bytes the field reaches
      int end = (bits + nbits + 7) >>> 3;
      for (int i = bytePos; i < end; i++) {
        buf[i] |= (byte) (field >>> (56 - 8 * (i - bytePos)));
      }
    }
    bits += nbits;
    // Go writes whole bytes of a field with writeByte, the rest bit by bit: a multiple of 8 that
    // ends on a byte boundary also started on one, i.e. every writeByte was aligned.
    spare = (total & 7) == 0 && (bits & 7) == 0;
  }
}
