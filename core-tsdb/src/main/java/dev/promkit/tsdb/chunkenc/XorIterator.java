package dev.promkit.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes an XOR chunk; mirrors Prometheus' xorIterator, including its seek semantics.
 *
 * <p>The bit stream is consumed from a 64-bit buffer: {@code buf} holds the next {@code cnt} bits
 * left-aligned, {@code next} is the first byte not yet loaded into it. Bits of {@code buf} below
 * {@code cnt} are zero or the true stream bits that follow, so topping the buffer up is one
 * unconditional 8-byte load OR-ed in (idempotent on those bits).
 */
final class XorIterator implements ChunkIterator {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] b = new byte[0];
  private long limitBits; // first bit (counted from the array start) not to read
  private int next; // next byte to load into buf
  private long buf; // the cnt bits after the read position, left-aligned
  private int cnt; // valid bits in buf, 0..63
  private int numTotal;
  private int numRead; // samples decoded (may run ahead of the one served, by the batch)
  private long t = Long.MIN_VALUE;
  private long vbits;
  private long tDelta;
  private int leading;
  private int trailing;
  private Throwable err;
  private boolean done; // next() returned NONE: stay exhausted
  // Samples are decoded BATCH at a time into bt/bv; pos is the current one of batchLen.
  private static final int BATCH = 16;
  private long[] bt;
  private double[] bv;
  private int pos;
  private int batchLen;

  /** Iterates {@code numSamples} samples of the chunk bytes {@code b[0, end)}. */
  void reset(byte[] b, int end, int numSamples) {
    this.b = b;
    limitBits = (long) end * 8;
    next = XorChunk.HEADER_BYTES;
    buf = 0;
    cnt = 0;
    numTotal = numSamples;
    numRead = 0;
    t = Long.MIN_VALUE;
    vbits = 0;
    tDelta = 0;
    leading = 0;
    trailing = 0;
    err = null;
    done = false;
    pos = 0;
    batchLen = 0;
  }

  long bitPosition() {
    return (long) next * 8 - cnt - XorChunk.HEADER_BYTES * 8L;
  }

  long valueBits() {
    return vbits;
  }

  long timeDelta() {
    return tDelta;
  }

  int leadingZeros() {
    return leading;
  }

  int trailingZeros() {
    return trailing;
  }

  // 8 bytes big-endian at byte i in one unaligned load; near the array's end, bytes past it read as 0.
  private static long load(byte[] b, int i) {
    if (i <= b.length - 8) {
      return (long) LONG_BE.get(b, i);
    }
    long w = 0;
    for (int k = 0; k < 8; k++) {
      w = (w << 8) | (i + k < b.length ? b[i + k] & 0xff : 0);
    }
    return w;
  }

  @Override
  public ValueType next() {
    // Serve from the decoded batch: a small method the JIT inlines into the caller's loop.
    int p = pos + 1;
    if (p < batchLen) {
      pos = p;
      return ValueType.FLOAT;
    }
    return nextBatch();
  }

  private ValueType nextBatch() {
    if (done || err != null || numRead == numTotal) {
      done = true;
      return ValueType.NONE;
    }
    if (bt == null) {
      bt = new long[BATCH];
      bv = new double[BATCH];
    }
    int n = decode(bt, bv, 0, Math.min(BATCH, numTotal - numRead));
    if (n == 0) {
      done = true; // err is set
      return ValueType.NONE;
    }
    pos = 0;
    batchLen = n;
    return ValueType.FLOAT;
  }

  /**
   * Decodes up to {@code max} further samples into {@code ts[off..]} / {@code vs[off..]} and returns
   * how many; fewer than {@code max} only with {@link #decodeError()} set.
   */
  int decode(long[] ts, double[] vs, int off, int max) {
    int i = 0;
    while (i < max && numRead < 2) {
      if (!decodeHead()) {
        return i;
      }
      ts[off + i] = t;
      vs[off + i] = Double.longBitsToDouble(vbits);
      i++;
    }
    if (i == max) {
      return i;
    }
    // Hot loop: all decoder state in locals (registers) until the batch ends; no per-sample stores
    // to fields, so nothing on the critical path goes through memory.
    final byte[] b = this.b;
    final long limit = limitBits;
    long buf = this.buf;
    int cnt = this.cnt;
    int next = this.next;
    long t = this.t;
    long vb = this.vbits;
    long td = this.tDelta;
    int leading = this.leading;
    int trailing = this.trailing;
    final int first = i;
    for (; i < max; i++) {
      // Refill to 56..63 bits with one load and no branch: covers any dod bucket up to 20 bits.
      buf |= load(b, next) >>> cnt;
      next += (63 - cnt) >>> 3;
      cnt |= 56;
      boolean full; // buffer topped up again after the dod
      if (buf >= 0) {
        // '0': dod == 0 is the sign bit, no field read; 55+ bits left, so no second refill.
        buf <<= 1;
        cnt -= 1;
        full = false;
      } else {
        full = true;
        // One count of leading ones classifies '10' / '110' / '1110' / '1111' at once.
        int ones = Long.numberOfLeadingZeros(~buf);
        if (ones < 4) {
          int pay = 11 + 3 * ones; // 14, 17, 20 payload bits
          long raw = (buf << (ones + 1)) >>> (64 - pay);
          td += raw > (1L << (pay - 1)) ? raw - (1L << pay) : raw; // xor.go's asymmetric sign
          int used = ones + 1 + pay;
          buf <<= used;
          cnt -= used;
        } else {
          // '1111' + 64 bits: rare, through the field-based reader.
          this.buf = buf << 4;
          this.cnt = cnt - 4;
          this.next = next;
          td += take(64);
          buf = this.buf;
          cnt = this.cnt;
          next = this.next;
        }
      }
      t += td;
      if (full) {
        // Second branch-free refill after a bucketed dod (jittery series): the value then mostly fits.
        buf |= load(b, next) >>> cnt;
        next += (63 - cnt) >>> 3;
        cnt |= 56;
      }
      if (buf >= 0) {
        // '0': value repeats (sign bit again), nothing else to read.
        buf <<= 1;
        cnt -= 1;
      } else {
        int sig;
        if ((buf << 1) < 0) {
          // '11': new window, 5 bits leading + 6 bits significant taken with one shift.
          int window = (int) ((buf << 2) >>> 53);
          leading = window >>> 6;
          sig = window & 0x3f;
          if (sig == 0) {
            sig = 64;
          }
          trailing = 64 - leading - sig;
          buf <<= 13;
          cnt -= 13;
        } else {
          // '10': reuse the previous window.
          sig = 64 - leading - trailing;
          buf <<= 2;
          cnt -= 2;
        }
        if (sig > cnt && !full) {
          // Top up after a '0' dod only when needed: counters' narrow fields skip it (predictable).
          buf |= load(b, next) >>> cnt;
          next += (63 - cnt) >>> 3;
          cnt |= 56;
        }
        if (sig <= cnt) {
          vb ^= (buf >>> (64 - sig)) << trailing;
          buf <<= sig;
          cnt -= sig;
        } else {
          // Wider than what is buffered (up to 64 bits): rare, through the field-based reader.
          this.buf = buf;
          this.cnt = cnt;
          this.next = next;
          vb ^= take(sig) << trailing;
          buf = this.buf;
          cnt = this.cnt;
          next = this.next;
        }
      }
      if ((long) next * 8 - cnt > limit) {
        break; // ran past the end: i is the failing sample
      }
      ts[off + i] = t;
      vs[off + i] = Double.longBitsToDouble(vb);
    }
    this.buf = buf;
    this.cnt = cnt;
    this.next = next;
    this.t = t;
    this.vbits = vb;
    this.tDelta = td;
    this.leading = leading;
    this.trailing = trailing;
    numRead += i - first;
    if (i < max) {
      truncated();
    }
    return i;
  }

  // Samples 0 and 1 (varint timestamp, raw or XOR value): once per chunk, plain field reads.
  private boolean decodeHead() {
    if (numRead == 0) {
      long ux = readUvarint();
      t = (ux >>> 1) ^ -(ux & 1); // zig-zag decode
      vbits = take(64);
    } else {
      tDelta = readUvarint();
      t += tDelta;
      readValue();
    }
    if (err != null) {
      return false;
    }
    if (pastEnd()) {
      truncated();
      return false;
    }
    numRead++;
    return true;
  }

  private void truncated() {
    err = new IllegalStateException("xor chunk: data ends inside sample " + numRead + " of " + numTotal);
  }

  private boolean pastEnd() {
    return (long) next * 8 - cnt > limitBits;
  }

  private void refill() {
    buf |= load(b, next) >>> cnt;
    next += (63 - cnt) >>> 3;
    cnt |= 56;
  }

  /** The next {@code n} (1..64) bits, right-aligned. */
  private long take(int n) {
    if (n > 56) {
      long hi = take(n - 32);
      return (hi << 32) | take(32);
    }
    if (cnt < n) {
      refill();
    }
    long v = buf >>> (64 - n);
    buf <<= n;
    cnt -= n;
    return v;
  }

  private void readValue() {
    if (take(1) == 0) {
      return; // '0': same value
    }
    if (take(1) == 1) {
      long window = take(11); // '11': 5 bits leading, 6 bits significant
      leading = (int) (window >>> 6);
      int sig = (int) (window & 0x3f);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
    }
    int sig = 64 - leading - trailing;
    vbits ^= take(sig) << trailing;
  }

  private long readUvarint() {
    long x = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = (int) take(8);
      if (pastEnd()) {
        return 0;
      }
      x |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return x;
      }
    }
    err = new IllegalStateException("xor chunk: varint overflows 64 bits");
    return 0;
  }

  @Override
  public ValueType seek(long target) {
    if (done) {
      return ValueType.NONE;
    }
    while (batchLen == 0 || target > bt[pos]) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return ValueType.FLOAT;
  }

  @Override
  public long atT() {
    return batchLen == 0 ? Long.MIN_VALUE : bt[pos];
  }

  @Override
  public double atV() {
    return batchLen == 0 ? 0 : bv[pos];
  }

  @Override
  public Throwable err() {
    return done ? err : null; // a decode error shows once the samples before it were served
  }

  /** The decode error, even while earlier samples of the batch are still being served. */
  Throwable decodeError() {
    return err;
  }
}
