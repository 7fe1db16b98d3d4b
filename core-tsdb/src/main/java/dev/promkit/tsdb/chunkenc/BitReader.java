package dev.promkit.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a bit stream written by {@link BitWriter}, 64 bits at a time into a register-sized buffer
 * (as Prometheus' {@code bstreamReader}). Reading past the end sets {@link #eof()} and returns 0
 * instead of throwing, so a decoder checks once per sample rather than per field.
 */
public final class BitReader {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] b;
  private int pos; // next byte to load
  private int end; // first byte not to read
  private long buffer; // loaded bits, valid ones right-aligned
  private int valid; // number of valid bits in buffer
  private boolean eof;

  /** A reader over nothing; call {@link #reset}. */
  public BitReader() {
    this.b = new byte[0];
  }

  /** Reads {@code bytes[offset, end)}. */
  public void reset(byte[] bytes, int offset, int end) {
    this.b = bytes;
    this.pos = offset;
    this.end = end;
    this.buffer = 0;
    this.valid = 0;
    this.eof = false;
  }

  /** Bits consumed since {@link #reset}'s offset. */
  public long bitPosition(int offset) {
    return (long) (pos - offset) * 8 - valid;
  }

  /** True once a read ran past the end. */
  public boolean eof() {
    return eof;
  }

  /** The next bit. */
  public boolean readBit() {
    if (valid == 0 && !load()) {
      return false;
    }
    valid--;
    return ((buffer >>> valid) & 1) != 0;
  }

  /** The next {@code n} bits (1..64), right-aligned. */
  public long readBits(int n) {
    if (n <= valid) {
      valid -= n;
      return (buffer >>> valid) & (-1L >>> (64 - n)); // -1L >>> (64-n): n low ones, n in 1..64
    }
    return readBitsSlow(n);
  }

  /** The next 8 bits. */
  public int readByte() {
    return (int) readBits(8);
  }

  private long readBitsSlow(int n) {
    long v = 0;
    if (valid > 0) {
      int have = valid;
      v = buffer & (-1L >>> (64 - have));
      n -= have;
      valid = 0;
      if (!load()) {
        return 0;
      }
      if (n > valid) {
        eof = true;
        return 0;
      }
      valid -= n;
      return (v << n) | ((buffer >>> valid) & (-1L >>> (64 - n)));
    }
    if (!load() || n > valid) {
      eof = true;
      return 0;
    }
    valid -= n;
    return (buffer >>> valid) & (-1L >>> (64 - n));
  }

  private boolean load() {
    int left = end - pos;
    if (left >= 8) {
      buffer = (long) LONG_BE.get(b, pos); // one bounds-checked 8-byte load instead of 8 byte loads
      pos += 8;
      valid = 64;
      return true;
    }
    if (left <= 0) {
      eof = true;
      return false;
    }
    long v = 0;
    for (int i = 0; i < left; i++) {
      v = (v << 8) | (b[pos + i] & 0xff);
    }
    buffer = v;
    pos = end;
    valid = left * 8;
    return true;
  }
}
