package dev.promkit.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes an XOR chunk; mirrors Prometheus' xorIterator, including its seek semantics.
 *
 * <p>The stream is read by absolute bit position: one big-endian 8-byte load at {@code pos >>> 3},
 * shifted left by {@code pos & 7}, gives at least 57 valid bits of the stream, left-aligned. A
 * sample usually needs one such load; the position only ever advances by amounts known from the
 * previous sample on the common paths, so the CPU issues the next load before this sample is done.
 * The hot loop avoids variable shifts where it can (on JDK 17, C2 emits them as several uops through
 * cl): the alignment and the steps past known-width samples are multiplications by powers of two,
 * and a value lands in its window by one shift by the window's leading zeros and a mask.
 */
final class XorIterator implements ChunkIterator {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  // Samples are decoded BATCH at a time into bt/bv; the iterator serves them from there. 128 holds a
  // whole 120-sample chunk: one decode call per chunk (each call costs its state load/store and
  // setup; 128 instead of 32 made iteration ~6 % faster). 2 KiB per iterator; iterators are reused.
  private static final int BATCH = 128;
  private static final long[] POW2 = {1, 2, 4, 8, 16, 32, 64, 128}; // x * POW2[k] == x << k, k < 8
  // Per window width sig (1..64): M3 shifts past one '0' + '10' + sig-bit sample by multiplication;
  // FAST_TAG is the one-sample fast path's tag ('010'; -1, matching nothing, when 3 + sig > 57);
  // TRI_MASK / TRI_TAG test three such samples at once (three 3-bit tags; 0 / 1, matching nothing,
  // when 3 * (3 + sig) > 57).
  private static final long[] M3 = new long[65];
  private static final long[] FAST_TAG = new long[65];
  private static final long[] TRI_MASK = new long[65];
  private static final long[] TRI_TAG = new long[65];

  static {
    for (int sig = 1; sig <= 64; sig++) {
      M3[sig] = sig + 3 < 64 ? 1L << (sig + 3) : 0;
      FAST_TAG[sig] = sig <= 54 ? 2 : -1;
      long m = 0xE000000000000000L;
      long t = 0x4000000000000000L;
      TRI_MASK[sig] = sig <= 16 ? m | (m >>> (sig + 3)) | (m >>> (2 * sig + 6)) : 0;
      TRI_TAG[sig] = sig <= 16 ? t | (t >>> (sig + 3)) | (t >>> (2 * sig + 6)) : 1;
    }
  }

  private static final byte[] EMPTY = {};

  private byte[] b = EMPTY;
  private int limit; // first bit (counted from the array start) not to read
  private int pos; // next bit to read, counted from the array start
  private int numTotal;
  private int numRead; // samples decoded (may run ahead of the one served, by the batch)
  private long t = Long.MIN_VALUE;
  private long vbits;
  private long tDelta;
  private int leading;
  private int trailing;
  private Throwable err;
  private boolean done; // next() returned NONE: stay exhausted
  // Allocated with the iterator (iterators are reused), so the accessors need no null or state test;
  // absent in a bulk-only decoder.
  private final long[] bt;
  private final double[] bv;
  private int cur; // index in bt/bv of the sample served
  private int batchLen;

  /** An iterator. */
  XorIterator() {
    this(true);
  }

  /** An iterator, or with {@code iterate} false a decoder for {@link #decode} only (no batch arrays). */
  XorIterator(boolean iterate) {
    bt = iterate ? new long[BATCH] : null;
    bv = iterate ? new double[BATCH] : null;
  }

  /** Iterates {@code numSamples} samples of the chunk bytes {@code b[0, end)}. */
  void reset(byte[] b, int end, int numSamples) {
    this.b = b;
    limit = end * 8;
    pos = XorChunk.HEADER_BYTES * 8;
    numTotal = numSamples;
    numRead = 0;
    t = Long.MIN_VALUE;
    vbits = 0;
    tDelta = 0;
    leading = 0;
    trailing = 0;
    err = null;
    done = false;
    cur = 0;
    batchLen = 0;
    if (bt != null) {
      bt[0] = Long.MIN_VALUE; // what atT() and atV() give before the first next()
      bv[0] = 0;
    }
  }

  long bitPosition() {
    return pos - XorChunk.HEADER_BYTES * 8L;
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

  // 8 bytes big-endian at byte i in one unaligned load; near the array's end, bytes past it read as 0:
  // the array's last 8 bytes shifted up (one load and a shift, not a byte loop: every chunk's last
  // samples are read here).
  private static long load(byte[] b, int i) {
    int last = b.length - 8;
    if (i <= last) {
      return (long) LONG_BE.get(b, i);
    }
    if (last >= 0) {
      int d = i - last; // 1..: bytes of the last word before i
      return d >= 8 ? 0 : (long) LONG_BE.get(b, last) << (d << 3);
    }
    long w = 0;
    for (int k = 0; k < 8; k++) {
      w = (w << 8) | (i + k < b.length ? b[i + k] & 0xff : 0);
    }
    return w;
  }

  // At least 57 valid bits from bit p on, left-aligned.
  private static long peek(byte[] b, int p) {
    return load(b, p >>> 3) << (p & 7);
  }

  // The n (1..64) bits from bit p on, right-aligned.
  private static long bits(byte[] b, int p, int n) {
    if (n <= 57) {
      return peek(b, p) >>> (64 - n);
    }
    return ((peek(b, p) >>> 32) << (n - 32)) | (peek(b, p + 32) >>> (96 - n));
  }

  @Override
  public ValueType next() {
    // Serve from the decoded batch: a small method the JIT inlines into the caller's loop.
    int p = cur + 1;
    if (p < batchLen) {
      cur = p;
      return ValueType.FLOAT;
    }
    return nextBatch();
  }

  private ValueType nextBatch() {
    if (done || err != null || numRead == numTotal) {
      done = true;
      return ValueType.NONE;
    }
    int n = decode(bt, bv, 0, Math.min(BATCH, numTotal - numRead));
    if (n == 0) {
      done = true; // err is set
      return ValueType.NONE;
    }
    cur = 0;
    batchLen = n;
    return ValueType.FLOAT;
  }

  /**
   * Decodes up to {@code count} further samples into {@code ts[off..]} / {@code vs[off..]} and returns
   * how many; fewer than {@code count} only with {@link #decodeError()} set.
   */
  int decode(long[] ts, double[] vs, int off, int count) {
    int i = off;
    final int max = off + count;
    while (i < max && numRead < 2) {
      if (!decodeHead()) {
        return i - off;
      }
      ts[i] = t;
      vs[i] = Double.longBitsToDouble(vbits);
      i++;
    }
    if (i == max) {
      return count;
    }
    // Hot loop: all decoder state in locals until the batch ends.
    final byte[] b = this.b;
    // Below this position an 8-byte load stays inside b and 57 more bits stay inside the chunk, so
    // the fast paths (at most 57 bits: one sample, a pair, a triple or a '00' run) need neither the
    // tail handling of load() nor a check of the chunk's end per sample.
    final int fastLimit = Math.min((b.length - 8) * 8, this.limit - 57);
    int pos = this.pos;
    long t = this.t;
    long vb = this.vbits;
    long td = this.tDelta;
    int leading = this.leading;
    int trailing = this.trailing;
    int sig = 64 - leading - trailing;
    // Per-window constants of the fast paths, recomputed only when a '11' block opens a window. Left
    // shifts by a per-window or per-position amount are multiplications by a power of two: C2 on
    // JDK 17 emits a variable shift as several uops plus moves through cl, a multiply as one uop.
    long vmask = windowMask(leading, trailing);
    long m3 = M3[sig]; // x * m3 == x << (3 + sig): past one '0' + '10' + sig-bit sample
    boolean ok = trailing >= 0; // a corrupt window (leading + sig > 64) takes the general path only
    long triMask = ok ? TRI_MASK[sig] : 0;
    long triTag = ok ? TRI_TAG[sig] : 1;
    long fastTag = ok ? FAST_TAG[sig] : -1;
    final int first = i;
    for (; i < max; i++) {
      long w;
      if (pos <= fastLimit) {
        w = (long) LONG_BE.get(b, pos >>> 3) * POW2[pos & 7]; // == << (pos & 7): 57+ bits from pos
        if (w >= 0) { // '0' dod: the fast paths (a dod bucket goes straight to the general path)
          if ((w & triMask) == triTag && i + 2 < max) {
            // Three '0' dod + '10' value samples in the loaded bits (window <= 16 bits, e.g. a counter's
            // usual increments): one compare of the three tags, three independent extractions. A
            // settled series has triple after triple: they run in an inner loop of their own, counted
            // up to what fits both the arrays and the fast region of the chunk, instead of one trip
            // through all the tests of the outer loop per triple.
            final int step3 = 3 * sig + 9;
            final int n = Math.min((max - i) / 3, (fastLimit - pos) / step3 + 1);
            final int i0 = i;
            final int pos0 = pos;
            int g = 0;
            for (; g < n; g++) {
              int p = pos0 + g * step3;
              long x = (long) LONG_BE.get(b, p >>> 3) * POW2[p & 7];
              if ((x & triMask) != triTag) {
                break; // never on the first: w matched
              }
              long x2 = x * m3;
              long x4 = x2 * m3;
              long v1 = vb ^ (((x << 3) >>> leading) & vmask);
              long v2 = v1 ^ (((x2 << 3) >>> leading) & vmask);
              vb = v2 ^ (((x4 << 3) >>> leading) & vmask);
              long t1 = t + td;
              long t2 = t1 + td;
              t = t2 + td;
              int j = i0 + 3 * g;
              ts[j] = t1;
              ts[j + 1] = t2;
              ts[j + 2] = t;
              vs[j] = Double.longBitsToDouble(v1);
              vs[j + 1] = Double.longBitsToDouble(v2);
              vs[j + 2] = Double.longBitsToDouble(vb);
            }
            i = i0 + 3 * g - 1; // the for loop's i++ counts the next one
            pos = pos0 + g * step3;
            continue;
          }
          if ((w >>> 61) == fastTag) {
            // '0' dod, '10' value: one compare, known width; the value lands at its window by one
            // right shift by leading (its sig bits are the top of w << 3) and the window's mask.
            vb ^= ((w << 3) >>> leading) & vmask;
            pos += sig + 3;
            t += td;
            ts[i] = t;
            vs[i] = Double.longBitsToDouble(vb);
            // The next narrow sample often sits in the same loaded bits: no load, no bound check.
            w *= m3;
            if ((w >>> 61) == 2 && sig <= 25 && i + 1 < max) {
              vb ^= ((w << 3) >>> leading) & vmask;
              pos += sig + 3;
              t += td;
              i++;
              ts[i] = t;
              vs[i] = Double.longBitsToDouble(vb);
            }
            continue;
          }
          if ((w >>> 61) == 3) {
            // '0' dod + '11' value: a new window (5 bits leading, 6 bits sig) and its value, all in
            // the loaded bits when sig <= 43 (3 + 11 + 43 = 57): realistic counters open one every few
            // samples as their increments vary. The window's constants come from tables by sig.
            int nl = (int) (w >>> 56) & 0x1f;
            int ns = (int) (w >>> 50) & 0x3f;
            if (ns != 0 && ns <= 43 && nl + ns <= 64) {
              leading = nl;
              sig = ns;
              trailing = 64 - nl - ns;
              vmask = windowMask(leading, trailing);
              m3 = M3[ns];
              triMask = TRI_MASK[ns];
              triTag = TRI_TAG[ns];
              fastTag = FAST_TAG[ns];
              vb ^= ((w << 14) >>> leading) & vmask;
              pos += 14 + ns;
              t += td;
              ts[i] = t;
              vs[i] = Double.longBitsToDouble(vb);
              continue;
            }
          }
          if ((w >>> 62) == 0) {
            // '0' dod + '0' value pairs: a constant series (e.g. up), a run of up to 28 samples per
            // load, counted from the leading zeros (w's low bits past the 57 valid ones are never
            // reached: at most 56 bits are consumed).
            int run = Math.min(Long.numberOfLeadingZeros(w) >>> 1, Math.min(28, max - i));
            pos += 2 * run;
            int e = i + run;
            double v = Double.longBitsToDouble(vb);
            for (;;) {
              t += td;
              ts[i] = t;
              vs[i] = v;
              if (++i == e) {
                break;
              }
            }
            i--; // the for loop's i++ counts the last one
            continue;
          }
        }
      } else {
        w = peek(b, pos);
      }
      // General sample: w holds at least 57 bits from pos.
      int p;
      int avail; // valid bits left in w: a value that fits is taken from it, without another load
      if (w >= 0) {
        p = pos + 1; // '0': dod 0
        w <<= 1;
        avail = 56;
      } else {
        // One count of leading ones classifies '10' / '110' / '1110' / '1111' at once; a branch per
        // bucket with constant widths lets the CPU predict the width (jittery series keep one
        // bucket) instead of waiting for the loaded bits to compute it.
        int ones = Long.numberOfLeadingZeros(~w);
        if (ones == 1) {
          long raw = (w << 2) >>> 50; // 14 bits; xor.go's asymmetric sign below
          td += raw > (1L << 13) ? raw - (1L << 14) : raw;
          p = pos + 16;
          w <<= 16; // at least 41 bits left: enough for the value's control bits
          avail = 41;
        } else if (ones == 2) {
          long raw = (w << 3) >>> 47;
          td += raw > (1L << 16) ? raw - (1L << 17) : raw;
          p = pos + 20;
          w <<= 20;
          avail = 37;
        } else if (ones == 3) {
          long raw = (w << 4) >>> 44;
          td += raw > (1L << 19) ? raw - (1L << 20) : raw;
          p = pos + 24;
          w <<= 24;
          avail = 33;
        } else {
          td += bits(b, pos + 4, 64); // '1111' + 64 bits: rare
          p = pos + 68;
          w = peek(b, p);
          avail = 57;
        }
      }
      t += td;
      if (w >= 0) {
        p += 1; // '0': value repeats
      } else {
        if ((w << 1) < 0) {
          // '11': new window, 5 bits leading + 6 bits significant (0 means 64).
          leading = (int) (w >>> 57) & 0x1f;
          sig = (int) (w >>> 51) & 0x3f;
          if (sig == 0) {
            sig = 64;
          }
          trailing = 64 - leading - sig;
          vmask = windowMask(leading, trailing);
          m3 = M3[sig];
          boolean valid = trailing >= 0;
          triMask = valid ? TRI_MASK[sig] : 0;
          triTag = valid ? TRI_TAG[sig] : 1;
          fastTag = valid ? FAST_TAG[sig] : -1;
          if (valid && 13 + sig <= avail) {
            vb ^= ((w << 13) >>> leading) & vmask;
          } else {
            vb ^= bits(b, p + 13, sig) << trailing;
          }
          p += 13 + sig;
        } else if (trailing >= 0 && 2 + sig <= avail) { // '10': reuse the window
          vb ^= ((w << 2) >>> leading) & vmask;
          p += 2 + sig;
        } else {
          vb ^= bits(b, p + 2, sig) << trailing;
          p += 2 + sig;
        }
      }
      if (p > this.limit) {
        break; // ran past the end: i is the failing sample
      }
      pos = p;
      ts[i] = t;
      vs[i] = Double.longBitsToDouble(vb);
    }
    this.pos = pos;
    this.t = t;
    this.vbits = vb;
    this.tDelta = td;
    this.leading = leading;
    this.trailing = trailing;
    numRead += i - first;
    if (i < max) {
      truncated();
    }
    return i - off;
  }

  // The value bits of a window: leading zeros, then sig ones, then trailing zeros.
  private static long windowMask(int leading, int trailing) {
    return (-1L >>> leading) & (-1L << trailing);
  }

  // Samples 0 and 1 (varint timestamp, raw or XOR value): once per chunk, plain field reads.
  private boolean decodeHead() {
    if (numRead == 0) {
      long ux = readUvarint();
      t = (ux >>> 1) ^ -(ux & 1); // zig-zag decode
      vbits = load(b, pos >>> 3); // byte-aligned 64 raw bits: one load
      pos += 64;
    } else {
      tDelta = readUvarint();
      t += tDelta;
      readValue();
    }
    if (err != null) {
      return false;
    }
    if (pos > limit) {
      truncated();
      return false;
    }
    numRead++;
    return true;
  }

  private void truncated() {
    err = new IllegalStateException("xor chunk: data ends inside sample " + numRead + " of " + numTotal);
  }

  /** The next {@code n} (1..64) bits, right-aligned. */
  private long take(int n) {
    long v = bits(b, pos, n);
    pos += n;
    return v;
  }

  // Sample 1's value: the control bits and a new window from one peek, the value bits from a second.
  private void readValue() {
    long w = peek(b, pos);
    if (w >= 0) {
      pos += 1; // '0': same value
      return;
    }
    if ((w << 1) < 0) {
      leading = (int) (w >>> 57) & 0x1f; // '11': 5 bits leading, 6 bits significant
      int sig = (int) (w >>> 51) & 0x3f;
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
      pos += 13;
    } else {
      pos += 2;
    }
    int sig = 64 - leading - trailing;
    vbits ^= take(sig) << trailing;
  }

  // The varints of samples 0 and 1 start on a byte boundary (after the header, after 64 raw value
  // bits): read them byte by byte, without bit arithmetic.
  private long readUvarint() {
    final byte[] b = this.b;
    final int end = limit >>> 3; // limit is whole bytes: a byte at index >= end is past the chunk
    int i = pos >>> 3;
    long x = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (i >= end) {
        pos = (i + 1) * 8; // past limit: the caller reports the truncation
        return 0;
      }
      int by = i < b.length ? b[i] & 0xff : 0;
      i++;
      x |= (long) (by & 0x7f) << shift;
      if (by < 0x80) {
        pos = i * 8;
        return x;
      }
    }
    pos = i * 8;
    err = new IllegalStateException("xor chunk: varint overflows 64 bits");
    return 0;
  }

  @Override
  public ValueType seek(long target) {
    if (done) {
      return ValueType.NONE;
    }
    while (batchLen == 0 || target > bt[cur]) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return ValueType.FLOAT;
  }

  @Override
  public long atT() {
    return bt[cur];
  }

  @Override
  public double atV() {
    return bv[cur];
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
