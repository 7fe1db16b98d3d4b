package dev.promkit.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a bit stream written by {@link BitWriter}. Every read loads the 64 bits starting at the
 * current byte in one unaligned big-endian load and shifts the field out: no per-bit loop and no
 * refill branch (fields up to 57 bits; longer ones take two loads). Reading past the end sets
 * {@link #eof()} instead of throwing, so a decoder checks once per sample rather than per field.
 */
public final class BitReader {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] b = new byte[0];
  private long pos; // next bit to read, counted from the array start
  private long limit; // first bit not to read
  private int fastEnd; // loads at byte indexes below this need no tail handling

  /** A reader over nothing; call {@link #reset}. */
  public BitReader() {}

  /** Reads {@code bytes[offset, end)}. */
  public void reset(byte[] bytes, int offset, int end) {
    this.b = bytes;
    this.pos = (long) offset * 8;
    this.limit = (long) end * 8;
    this.fastEnd = bytes.length - 7;
  }

  /** True once a read ran past the end. */
  public boolean eof() {
    return pos > limit;
  }

  /** Bits consumed since {@link #reset}'s offset. */
  public long bitPosition(int offset) {
    return pos - (long) offset * 8;
  }

  // The 64 bits from pos on, left-aligned; zero past the array's end.
  private long peek() {
    int i = (int) (pos >>> 3);
    long w = i < fastEnd ? (long) LONG_BE.get(b, i) : tail(i);
    return w << (pos & 7);
  }

  private long tail(int i) {
    long w = 0;
    for (int k = 0; k < 8; k++) {
      w = (w << 8) | (i + k < b.length && i + k >= 0 ? b[i + k] & 0xff : 0);
    }
    return w;
  }

  /** The next bit. */
  public boolean readBit() {
    long w = peek();
    pos++;
    return w < 0;
  }

  /** The next {@code n} bits (1..64), right-aligned. */
  public long readBits(int n) {
    if (n > 57) {
      long hi = peek() >>> 32;
      pos += 32;
      return (hi << (n - 32)) | readBits(n - 32);
    }
    long v = peek() >>> (64 - n);
    pos += n;
    return v;
  }

  /** The next 8 bits. */
  public int readByte() {
    return (int) readBits(8);
  }

  /**
   * Reads a unary prefix of up to {@code max} (1..8) one-bits ended by a zero-bit, and returns the
   * number of ones: '0' -&gt; 0, '10' -&gt; 1, ..., max ones (no terminating zero) -&gt; max.
   */
  public int readOnes(int max) {
    int ones = Math.min(Long.numberOfLeadingZeros(~peek()), max); // leading ones of the window
    pos += ones < max ? ones + 1 : max;
    return ones;
  }
}
