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
  private int numRead;
  private long t = Long.MIN_VALUE;
  private long vbits;
  private long tDelta;
  private int leading;
  private int trailing;
  private Throwable err;
  private boolean done; // next() returned NONE: stay exhausted

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

  // 8 bytes big-endian at byte i: one unaligned load; the last 7 bytes (and beyond) zero-padded.
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
    if (err != null || numRead == numTotal) {
      done = true;
      return ValueType.NONE;
    }
    if (numRead < 2) {
      return nextHead();
    }
    // Hot path: state in locals (registers), written back once per sample.
    final byte[] b = this.b;
    long buf = this.buf;
    int cnt = this.cnt;
    int next = this.next;
    // Refill to 56..63 bits with one load and no branch: covers any dod bucket up to 20 bits.
    buf |= load(b, next) >>> cnt;
    next += (63 - cnt) >>> 3;
    cnt |= 56;
    long dod;
    if (buf >= 0) {
      // '0': dod == 0 is the sign bit, no field read.
      buf <<= 1;
      cnt -= 1;
      dod = 0;
    } else {
      // One count of leading ones classifies '10' / '110' / '1110' / '1111' at once.
      int ones = Long.numberOfLeadingZeros(~buf);
      if (ones < 4) {
        int pay = 11 + 3 * ones; // 14, 17, 20 payload bits
        long raw = (buf << (ones + 1)) >>> (64 - pay);
        dod = raw > (1L << (pay - 1)) ? raw - (1L << pay) : raw; // Prometheus' asymmetric sign
        int used = ones + 1 + pay;
        buf <<= used;
        cnt -= used;
      } else {
        // '1111' + 64 bits: rare, through the field-based reader.
        this.buf = buf << 4;
        this.cnt = cnt - 4;
        this.next = next;
        dod = take(64);
        buf = this.buf;
        cnt = this.cnt;
        next = this.next;
      }
    }
    // Second branch-free refill: control (2) + window (11) bits, and most value fields, fit.
    buf |= load(b, next) >>> cnt;
    next += (63 - cnt) >>> 3;
    cnt |= 56;
    if (buf >= 0) {
      // '0': value repeats (sign bit again), nothing else to read.
      buf <<= 1;
      cnt -= 1;
    } else {
      int trail;
      int sig;
      if ((buf << 1) < 0) {
        // '11': new window, 5 bits leading + 6 bits significant taken in one shift.
        int window = (int) ((buf << 2) >>> 53);
        int lead = window >>> 6;
        sig = window & 0x3f;
        if (sig == 0) {
          sig = 64;
        }
        trail = 64 - lead - sig;
        leading = lead;
        trailing = trail;
        buf <<= 13;
        cnt -= 13;
      } else {
        // '10': reuse the previous window.
        trail = trailing;
        sig = 64 - leading - trail;
        buf <<= 2;
        cnt -= 2;
      }
      if (sig <= cnt) {
        vbits ^= (buf >>> (64 - sig)) << trail;
        buf <<= sig;
        cnt -= sig;
      } else {
        // Wider than what is buffered (up to 64 bits): rare, through the field-based reader.
        this.buf = buf;
        this.cnt = cnt;
        this.next = next;
        vbits ^= take(sig) << trail;
        buf = this.buf;
        cnt = this.cnt;
        next = this.next;
      }
    }
    this.buf = buf;
    this.cnt = cnt;
    this.next = next;
    long td = tDelta + dod;
    tDelta = td;
    t += td;
    if ((long) next * 8 - cnt > limitBits) {
      return truncated();
    }
    numRead++;
    return ValueType.FLOAT;
  }

  // Samples 0 and 1 (varint timestamp, raw or XOR value): once per chunk, plain field reads.
  private ValueType nextHead() {
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
      done = true;
      return ValueType.NONE;
    }
    if (pastEnd()) {
      return truncated();
    }
    numRead++;
    return ValueType.FLOAT;
  }

  private ValueType truncated() {
    done = true;
    err = new IllegalStateException("xor chunk: data ends inside sample " + numRead + " of " + numTotal);
    return ValueType.NONE;
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
    while (numRead == 0 || target > t) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return ValueType.FLOAT;
  }

  @Override
  public long atT() {
    return t;
  }

  @Override
  public double atV() {
    return Double.longBitsToDouble(vbits);
  }

  @Override
  public Throwable err() {
    return err;
  }
}
