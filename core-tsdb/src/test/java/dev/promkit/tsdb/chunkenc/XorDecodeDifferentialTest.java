package dev.promkit.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimised {@link XorIterator} against {@link SimpleDecoder}, a deliberately plain bit-by-bit
 * decoder written from the format description (docs/format/chunks.md): same timestamps, same raw value
 * bits, same error position, same final encoder state, on random, truncated and corrupt chunks.
 */
class XorDecodeDifferentialTest {
  private static final long STALE_NAN = 0x7ff0000000000002L;

  /** One decoded sample stream plus where and how it stopped. */
  static final class Decoded {
    final List<long[]> samples = new ArrayList<>(); // {t, raw value bits}
    boolean failed;
    long bitPos;
    long tDelta;
    int leading;
    int trailing;

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (long[] s : samples) {
        sb.append(s[0]).append('=').append(Long.toHexString(s[1])).append(' ');
      }
      return sb + (failed ? "ERR" : "ok") + " pos=" + bitPos + " td=" + tDelta + " l=" + leading
          + " tr=" + trailing;
    }
  }

  /** Reference decoder: one bit at a time, no buffering, zero bits past the end flagged by eof. */
  static final class SimpleDecoder {
    private final byte[] b;
    private final long limit;
    private long pos;
    private boolean overflow;

    SimpleDecoder(byte[] b, int end) {
      this.b = b;
      this.limit = end * 8L;
      this.pos = XorChunk.HEADER_BYTES * 8L;
    }

    private int bit() {
      long p = pos++;
      int i = (int) (p >>> 3);
      return i < b.length ? (b[i] >>> (7 - (int) (p & 7))) & 1 : 0;
    }

    private long bits(int n) {
      long v = 0;
      for (int k = 0; k < n; k++) {
        v = (v << 1) | bit();
      }
      return v;
    }

    private boolean eof() {
      return pos > limit;
    }

    private long uvarint() {
      long x = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        int by = (int) bits(8);
        if (eof()) {
          return 0;
        }
        x |= (long) (by & 0x7f) << shift;
        if (by < 0x80) {
          return x;
        }
      }
      overflow = true;
      return 0;
    }

    Decoded decode(int numSamples) {
      Decoded d = new Decoded();
      long t = 0;
      long v = 0;
      long td = 0;
      int leading = 0;
      int trailing = 0;
      for (int i = 0; i < numSamples; i++) {
        if (i == 0) {
          long ux = uvarint();
          t = (ux >>> 1) ^ -(ux & 1);
          v = bits(64);
        } else {
          if (i == 1) {
            td = uvarint();
          } else {
            long dod;
            if (bit() == 0) {
              dod = 0;
            } else if (bit() == 0) {
              dod = signExtendLikeGo(bits(14), 14);
            } else if (bit() == 0) {
              dod = signExtendLikeGo(bits(17), 17);
            } else if (bit() == 0) {
              dod = signExtendLikeGo(bits(20), 20);
            } else {
              dod = bits(64);
            }
            td += dod;
          }
          t += td;
          if (bit() == 1) {
            if (bit() == 1) {
              leading = (int) bits(5);
              int sig = (int) bits(6);
              trailing = 64 - leading - (sig == 0 ? 64 : sig);
            }
            v ^= bits(64 - leading - trailing) << trailing;
          }
        }
        if (overflow || eof()) {
          d.failed = true;
          break;
        }
        d.samples.add(new long[] {t, v});
      }
      d.bitPos = pos - XorChunk.HEADER_BYTES * 8L;
      d.tDelta = td;
      d.leading = leading;
      d.trailing = trailing;
      return d;
    }

    // xor.go: "if bits > (1 << (sz - 1)) { bits -= 1 << sz }".
    private static long signExtendLikeGo(long bits, int sz) {
      return bits > (1L << (sz - 1)) ? bits - (1L << sz) : bits;
    }
  }

  private static Decoded fast(byte[] bytes, int end, int numSamples) {
    XorIterator it = new XorIterator();
    it.reset(bytes, end, numSamples);
    Decoded d = new Decoded();
    while (it.next() == ValueType.FLOAT) {
      d.samples.add(new long[] {it.atT(), Double.doubleToRawLongBits(it.atV())});
      assertNull(it.err(), "no error while samples before it are served");
    }
    d.failed = it.err() != null;
    if (!d.failed) {
      d.bitPos = it.bitPosition();
      d.tDelta = it.timeDelta();
      d.leading = it.leadingZeros();
      d.trailing = it.trailingZeros();
    }
    return d;
  }

  // The bulk path: same samples, or an IllegalStateException exactly when the reference fails.
  private static Decoded bulk(byte[] bytes, int n) {
    long[] ts = new long[n];
    double[] vs = new double[n];
    Decoded d = new Decoded();
    try {
      int got = XorChunk.wrap(bytes).decodeAll(n, ts, vs);
      assertEquals(n, got, "decodeAll count");
    } catch (IllegalStateException e) {
      d.failed = true;
      return d;
    }
    for (int i = 0; i < n; i++) {
      d.samples.add(new long[] {ts[i], Double.doubleToRawLongBits(vs[i])});
    }
    return d;
  }

  private static void assertSameSamples(Decoded want, Decoded got, String what) {
    if (want.failed) {
      assertTrue(got.failed, what + ": decodeAll must fail like the reference");
      return;
    }
    assertEquals(want.samples.size(), got.samples.size(), what);
    for (int i = 0; i < want.samples.size(); i++) {
      assertEquals(want.samples.get(i)[0], got.samples.get(i)[0], what + ": t of sample " + i);
      assertEquals(want.samples.get(i)[1], got.samples.get(i)[1], what + ": value bits of sample " + i);
    }
  }

  private static void assertSame(Decoded want, Decoded got, String what) {
    assertEquals(want.samples.size(), got.samples.size(), what + ": sample count\nwant " + want + "\ngot  " + got);
    for (int i = 0; i < want.samples.size(); i++) {
      assertEquals(want.samples.get(i)[0], got.samples.get(i)[0], what + ": t of sample " + i);
      assertEquals(want.samples.get(i)[1], got.samples.get(i)[1], what + ": value bits of sample " + i);
    }
    assertEquals(want.failed, got.failed, what + ": error flag\nwant " + want + "\ngot  " + got);
    if (!want.failed) {
      assertEquals(want.bitPos, got.bitPos, what + ": bits consumed");
      assertEquals(want.tDelta, got.tDelta, what + ": last time delta");
      if (want.samples.size() >= 2) {
        assertEquals(want.leading, got.leading, what + ": leading zeros");
        assertEquals(want.trailing, got.trailing, what + ": trailing zeros");
      }
    }
  }

  private static long randomTimestampStep(Random r, int style) {
    switch (style) {
      case 0: return 15_000;
      case 1: return 15_000 + r.nextInt(101) - 50; // scrape jitter
      case 2: return r.nextInt(3) == 0 ? r.nextInt(1 << 21) : 1000 + r.nextInt(20); // bucket mix
      case 3: return r.nextInt(5) == 0 ? (r.nextLong() >>> 2) : r.nextInt(40_000); // huge dod: '1111'
      default: return r.nextInt(4) == 0 ? 0 : r.nextInt(1 << 18); // repeated timestamps too
    }
  }

  private static double randomValue(Random r, double prev, int style) {
    int pick = r.nextInt(20);
    if (pick == 0) {
      return Double.longBitsToDouble(STALE_NAN);
    }
    if (pick == 1) {
      switch (r.nextInt(8)) {
        case 0: return Double.NaN;
        case 1: return Double.POSITIVE_INFINITY;
        case 2: return Double.NEGATIVE_INFINITY;
        case 3: return Double.MAX_VALUE;
        case 4: return Double.MIN_VALUE;
        case 5: return -0.0;
        case 6: return 1e-300 * r.nextDouble();
        default: return Double.longBitsToDouble(0x7ff8dead00000001L); // NaN with a payload
      }
    }
    switch (style) {
      case 0: return r.nextInt(3) == 0 ? prev : prev + r.nextInt(40); // counter with runs
      case 1: return prev; // constant run
      case 2: return r.nextGaussian() * 1e6; // full-precision floats
      case 3: return Double.longBitsToDouble(r.nextLong()); // any bits, 64 significant often
      default: return Math.rint(r.nextGaussian() * 10) * 1.5;
    }
  }

  // delta-of-delta values on and next to every bucket edge (xor.go's asymmetric bitRange)
  private static final long[] DOD_EDGES = {0, 1, -1, 8191, 8192, 8193, -8191, -8192, -8193, 65535, 65536,
      65537, -65535, -65536, -65537, 524287, 524288, 524289, -524287, -524288, -524289, 1L << 40};

  private static byte[] randomChunk(Random r, int n) {
    int tStyle = r.nextInt(6);
    long td = 15_000;
    int vStyle = r.nextInt(5);
    XorChunk c = new XorChunk();
    ChunkAppender a = c.appender();
    long t = r.nextInt(4) == 0 ? -r.nextInt(1 << 30) : 1_700_000_000_000L + r.nextInt(1000);
    double v = r.nextInt(3) == 0 ? 0 : r.nextGaussian() * 100;
    for (int i = 0; i < n; i++) {
      a.append(t, v);
      if (tStyle == 5) {
        td += DOD_EDGES[r.nextInt(DOD_EDGES.length)];
        t += td;
      } else {
        t += randomTimestampStep(r, tStyle);
      }
      v = randomValue(r, v, vStyle);
    }
    return c.bytes();
  }

  @Test
  void decodesRandomChunksBitForBitLikeTheSimpleDecoder() {
    Random r = new Random(20261127);
    for (int round = 0; round < 3000; round++) {
      int n = 1 + r.nextInt(240);
      byte[] bytes = randomChunk(r, n);
      Decoded want = new SimpleDecoder(bytes, bytes.length).decode(n);
      assertTrue(!want.failed && want.samples.size() == n, "reference decodes round " + round);
      assertSame(want, fast(bytes, bytes.length, n), "round " + round + " n=" + n);
      // the head reads from a writer buffer larger than the chunk: spare capacity must not matter
      byte[] padded = Arrays.copyOf(bytes, bytes.length + r.nextInt(40));
      assertSame(want, fast(padded, padded.length, n), "padded round " + round);
      assertSameSamples(want, bulk(bytes, n), "decodeAll round " + round);
    }
  }

  @Test
  void decodesConstantRunsOfEveryLengthLikeTheSimpleDecoder() {
    // '00' runs (dod 0, value repeats) are decoded up to 28 at a time: runs of 1..300 samples,
    // broken by a value change, a timestamp jitter, a stale marker or NaN, ending anywhere (inside
    // the iterator's 32-sample batch, at the chunk's end, in its last byte), read whole and cut.
    Random r = new Random(2811);
    for (int round = 0; round < 2000; round++) {
      int n = 1 + r.nextInt(300);
      XorChunk c = new XorChunk();
      ChunkAppender a = c.appender();
      long t = 1_700_000_000_000L;
      long step = r.nextBoolean() ? 15_000 : 1 + r.nextInt(100);
      double v = r.nextInt(3) == 0 ? 1 : r.nextGaussian();
      int breakEvery = 1 + r.nextInt(r.nextBoolean() ? 8 : 90);
      for (int i = 0; i < n; i++) {
        a.append(t, v);
        t += step;
        if (r.nextInt(breakEvery) == 0) {
          switch (r.nextInt(4)) {
            case 0: v += 1; break;
            case 1: t += r.nextInt(101) - 50; break;
            case 2: v = Double.longBitsToDouble(STALE_NAN); break;
            default: v = r.nextBoolean() ? Double.NaN : 0.0; break;
          }
        }
      }
      byte[] bytes = c.bytes();
      Decoded want = new SimpleDecoder(bytes, bytes.length).decode(n);
      assertTrue(!want.failed && want.samples.size() == n, "reference decodes round " + round);
      assertSame(want, fast(bytes, bytes.length, n), "round " + round + " n=" + n);
      assertSameSamples(want, bulk(bytes, n), "decodeAll round " + round);
      int end = XorChunk.HEADER_BYTES + r.nextInt(bytes.length - XorChunk.HEADER_BYTES + 1);
      byte[] cut = Arrays.copyOf(bytes, end);
      Decoded wantCut = new SimpleDecoder(cut, end).decode(n);
      assertSame(wantCut, fast(cut, end, n), "cut round " + round);
      assertSameSamples(wantCut, bulk(cut, n), "decodeAll cut round " + round);
    }
  }

  @Test
  void reportsTruncationAtTheSameSampleAsTheSimpleDecoder() {
    Random r = new Random(7);
    for (int round = 0; round < 1500; round++) {
      int n = 1 + r.nextInt(240);
      byte[] bytes = randomChunk(r, n);
      int end = XorChunk.HEADER_BYTES + r.nextInt(bytes.length - XorChunk.HEADER_BYTES + 1);
      byte[] cut = Arrays.copyOf(bytes, end);
      Decoded want = new SimpleDecoder(cut, end).decode(n);
      assertSame(want, fast(cut, end, n), "cut round " + round);
      assertSameSamples(want, bulk(cut, n), "decodeAll cut round " + round);
    }
  }

  @Test
  void decodesCorruptBytesLikeTheSimpleDecoder() {
    Random r = new Random(99);
    for (int round = 0; round < 1500; round++) {
      byte[] junk = new byte[XorChunk.HEADER_BYTES + r.nextInt(300)];
      r.nextBytes(junk);
      if (r.nextBoolean()) {
        Arrays.fill(junk, XorChunk.HEADER_BYTES, Math.min(junk.length, 3 + r.nextInt(20)), (byte) 0xff);
      }
      int n = 1 + r.nextInt(240);
      Decoded want = new SimpleDecoder(junk, junk.length).decode(n);
      assertSame(want, fast(junk, junk.length, n), "junk round " + round);
      assertSameSamples(want, bulk(junk, n), "decodeAll junk round " + round);
    }
  }

  @Test
  void decodesCounterShapedChunksOfEveryLengthLikeTheSimpleDecoder() {
    // The fast paths: three narrow '0' dod + '10' samples per load, pairs, single samples, new windows
    // opened on the fast path ('0' dod + '11'), '00' runs; counters with increments of a few bits
    // (narrow windows) to many (wide ones), stale markers and jitter mixed in; every length 1..130,
    // from exact and padded arrays (the head's), whole and cut, iterated and in bulk at an offset.
    Random r = new Random(4242);
    for (int round = 0; round < 1300; round++) {
      int n = 1 + round % 130;
      XorChunk c = new XorChunk();
      ChunkAppender a = c.appender();
      long t = 1_700_000_000_000L + r.nextInt(1000);
      double v = r.nextInt(4) == 0 ? 0 : r.nextInt(1 << (1 + r.nextInt(30)));
      int incBits = 1 + r.nextInt(24);
      int oddEvery = 2 + r.nextInt(60);
      for (int i = 0; i < n; i++) {
        a.append(t, v);
        t += 15_000;
        v += r.nextInt(1 << incBits);
        if (r.nextInt(oddEvery) == 0) {
          switch (r.nextInt(4)) {
            case 0: v = Double.longBitsToDouble(STALE_NAN); break;
            case 1: t += r.nextInt(101) - 50; break;
            case 2: incBits = 1 + r.nextInt(24); break;
            default: v = r.nextInt(1 << 20); break;
          }
        } else if (Double.isNaN(v)) {
          v = r.nextInt(1000); // a counter back after its stale marker
        }
      }
      byte[] bytes = c.bytes();
      Decoded want = new SimpleDecoder(bytes, bytes.length).decode(n);
      assertTrue(!want.failed && want.samples.size() == n, "reference decodes round " + round);
      assertSame(want, fast(bytes, bytes.length, n), "round " + round + " n=" + n);
      byte[] padded = Arrays.copyOf(bytes, bytes.length + 1 + r.nextInt(20));
      assertSame(want, fast(padded, padded.length, n), "padded round " + round);
      assertSameSamples(want, bulkAt(bytes, n, r.nextInt(50)), "decodeAll at an offset, round " + round);
      int end = XorChunk.HEADER_BYTES + r.nextInt(bytes.length - XorChunk.HEADER_BYTES + 1);
      byte[] cut = Arrays.copyOf(bytes, end);
      Decoded wantCut = new SimpleDecoder(cut, end).decode(n);
      assertSame(wantCut, fast(cut, end, n), "cut round " + round);
      assertSameSamples(wantCut, bulkAt(cut, n, r.nextInt(50)), "decodeAll cut round " + round);
    }
  }

  // decodeAll at an offset into arrays filled with a sentinel: the samples land at [off, off + n),
  // nothing outside that range is written.
  private static Decoded bulkAt(byte[] bytes, int n, int off) {
    long[] ts = new long[off + n + 3];
    double[] vs = new double[off + n + 3];
    Arrays.fill(ts, 0x5EEDL);
    Arrays.fill(vs, Double.longBitsToDouble(0x5EEDL));
    Decoded d = new Decoded();
    try {
      int got = XorChunk.wrap(bytes).decodeAll(n, ts, vs, off);
      assertEquals(n, got, "decodeAll count");
    } catch (IllegalStateException e) {
      d.failed = true;
    }
    for (int i = 0; i < ts.length; i++) {
      if (i < off || i >= off + n) {
        assertEquals(0x5EEDL, ts[i], "ts[" + i + "] outside the decoded range");
        assertEquals(0x5EEDL, Double.doubleToRawLongBits(vs[i]), "vs[" + i + "] outside the decoded range");
      }
    }
    if (!d.failed) {
      for (int i = 0; i < n; i++) {
        d.samples.add(new long[] {ts[off + i], Double.doubleToRawLongBits(vs[off + i])});
      }
    }
    return d;
  }

  @Test
  void decodeAllRejectsAnOffsetPastTheArrays() {
    byte[] bytes = randomChunk(new Random(2), 10);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> XorChunk.wrap(bytes).decodeAll(10, new long[15], new double[15], 6));
    assertTrue(e.getMessage().contains("offset 6"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> XorChunk.wrap(bytes).decodeAll(10, new long[15], new double[15], -1));
  }

  @Test
  void decodeAllRejectsArraysShorterThanTheChunk() {
    byte[] bytes = randomChunk(new Random(1), 10);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> XorChunk.wrap(bytes).decodeAll(new long[10], new double[9]));
    assertTrue(e.getMessage().contains("vs[9]"), e.getMessage());
  }

  @Test
  void seeksLikeNextByNext() {
    Random r = new Random(3);
    for (int round = 0; round < 300; round++) {
      int n = 1 + r.nextInt(240);
      byte[] bytes = randomChunk(r, n);
      Decoded want = new SimpleDecoder(bytes, bytes.length).decode(n);
      XorIterator it = new XorIterator();
      it.reset(bytes, bytes.length, n);
      int i = 0; // index of the sample the reference says seek must land on
      long target = Long.MIN_VALUE;
      while (true) {
        target = Math.max(target, want.samples.get(Math.min(i + r.nextInt(5), n - 1))[0] - r.nextInt(2));
        // Prometheus' seek: first sample at or after the current one with t >= target
        int j = i;
        while (j < n && want.samples.get(j)[0] < target) {
          j++;
        }
        ValueType got = it.seek(target);
        if (j == n) {
          assertEquals(ValueType.NONE, got, "round " + round + " seek past the end");
          assertNull(it.err());
          break;
        }
        assertEquals(ValueType.FLOAT, got, "round " + round + " seek to " + target);
        assertEquals(want.samples.get(j)[0], it.atT(), "round " + round + " seek t");
        assertEquals(want.samples.get(j)[1], Double.doubleToRawLongBits(it.atV()), "round " + round + " seek v");
        i = j;
        if (r.nextInt(4) == 0) {
          if (it.next() == ValueType.NONE) {
            assertEquals(n - 1, i);
            break;
          }
          i++;
        }
      }
    }
  }
}
