package dev.promkit.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The start (created) timestamps of a chunk's samples, one entry per sample, kept beside the chunk
 * only when some sample has one (Prometheus' XOR chunk has no room for them). An entry is a bit
 * stream field: {@code '0'} for "same as the previous sample" (0, unknown, before the first), or
 * {@code '1'} + 6 bits {@code n} (64 written as 0) + {@code n} bits of the zig-zag encoded difference
 * to the previous sample's start timestamp. A cumulative counter keeps its start timestamp for many
 * samples: one bit each.
 *
 * <p>One writer thread. Readers on other threads decode the first {@code n} entries, where {@code n}
 * is a count the writer published (release) after appending them, as for {@link XorChunk}.
 */
public final class StartTimestamps {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final BitWriter w;
  private long last; // writer: the newest entry

  /** A stream whose first {@code samplesBefore} entries are 0 (samples appended without one). */
  public StartTimestamps(int samplesBefore) {
    w = new BitWriter(Math.max(8, (samplesBefore + 7) >>> 3) + 8);
    for (int i = 0; i < samplesBefore; i++) {
      w.writeBit(false);
    }
  }

  /** Appends the next sample's start timestamp (0 when unknown). */
  public void append(long st) {
    long d = st - last;
    if (d == 0) {
      w.writeBit(false);
      return;
    }
    long zz = (d << 1) ^ (d >> 63); // zig-zag: small differences either way take few bits
    int n = 64 - Long.numberOfLeadingZeros(zz);
    w.writeBits((1L << 6) | (n & 0x3f), 7); // '1' + width, 64 as 0
    w.writeBits(zz, n);
    last = st;
  }

  /** Bytes in use. */
  public int byteLength() {
    return w.byteLength();
  }

  /** Releases spare capacity once no more entries will be appended. */
  public void compact() {
    w.trim();
  }

  /**
   * Decodes the first {@code n} entries into {@code out[0..n)}; safe while the writer appends further
   * when {@code n} was published after those appends.
   *
   * @throws IllegalArgumentException if {@code out} is shorter than {@code n}
   * @throws IllegalStateException if the stream holds fewer than {@code n} entries
   */
  public void decode(int n, long[] out) {
    if (out.length < n) {
      throw new IllegalArgumentException("start timestamps: decode needs " + n + " slots, got " + out.length);
    }
    byte[] b = w.buffer();
    long limit = (long) b.length * 8;
    long pos = 0;
    long st = 0;
    for (int i = 0; i < n; i++) {
      long x = peek(b, pos);
      if (x >= 0) {
        pos++; // '0': unchanged, the common entry
      } else {
        int width = (int) (x >>> 57) & 0x3f;
        if (width == 0) {
          width = 64;
        }
        pos += 7;
        long zz = width <= 57 ? peek(b, pos) >>> (64 - width)
            : ((peek(b, pos) >>> 32) << (width - 32)) | (peek(b, pos + 32) >>> (96 - width));
        pos += width;
        st += (zz >>> 1) ^ -(zz & 1);
      }
      if (pos > limit) {
        throw new IllegalStateException("start timestamps: stream ends inside entry " + i + " of " + n);
      }
      out[i] = st;
    }
  }

  // At least 57 bits from bit p on, left-aligned; zero past the array's end.
  private static long peek(byte[] b, long p) {
    int i = (int) (p >>> 3);
    long x;
    if (i <= b.length - 8) {
      x = (long) LONG_BE.get(b, i);
    } else {
      x = 0;
      for (int k = 0; k < 8; k++) {
        x = (x << 8) | (i + k < b.length ? b[i + k] & 0xff : 0);
      }
    }
    return x << (p & 7);
  }
}
