package dev.promkit.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bit-compatibility with Prometheus' XOR chunk (tsdb/chunkenc/xor.go).
 *
 * <p>How the expected bytes were derived: by hand from the format (docs/format/chunks.md), written
 * below as bit strings field by field, so each field can be checked against the spec:
 * header = sample count as 2 bytes big-endian; first sample = zig-zag varint(t) then the 64 raw value
 * bits; second = uvarint(t1 - t0) then the value XOR block; later samples = delta-of-delta bucket
 * ('0' | '10'+14 | '110'+17 | '1110'+20 | '1111'+64 bits, two's complement) then the value XOR block
 * ('0' same value | '10' + bits in the previous window | '11' + 5 bits leading zeros + 6 bits
 * significant bits, 64 written as 0, + the significant bits). The last byte is zero-padded.
 * {@link #bits} only packs the bit string; it knows nothing of the format.
 */
class XorChunkTest {
  private static final long STALE_NAN = 0x7ff0000000000002L;

  /** Packs a string of '0'/'1' (spaces ignored) into bytes, MSB first, zero-padded. */
  static byte[] bits(String s) {
    String b = s.replace(" ", "");
    byte[] out = new byte[(b.length() + 7) / 8];
    for (int i = 0; i < b.length(); i++) {
      if (b.charAt(i) == '1') {
        out[i / 8] |= (byte) (0x80 >>> (i % 8));
      }
    }
    return out;
  }

  static String hex(long v, int nbits) {
    StringBuilder sb = new StringBuilder();
    for (int i = nbits - 1; i >= 0; i--) {
      sb.append((v >>> i) & 1);
    }
    return sb.toString();
  }

  private static byte[] encode(long[] ts, double[] vs) {
    XorChunk c = new XorChunk();
    ChunkAppender a = c.appender();
    for (int i = 0; i < ts.length; i++) {
      a.append(ts[i], vs[i]);
    }
    return c.bytes();
  }

  @Test
  void wrapOwnedReadsTheCallersArrayWithoutCopyingAndWrapCopies() {
    XorChunk c = new XorChunk();
    ChunkAppender a = c.appender();
    for (int i = 0; i < 5; i++) {
      a.append(1000L * i, i);
    }
    byte[] bytes = c.bytes();
    XorChunk owned = XorChunk.wrapOwned(bytes);
    XorChunk copied = XorChunk.wrap(bytes);
    assertArrayEquals(bytes, owned.bytes());
    assertEquals(5, owned.numSamples());
    bytes[1] = 3; // the header's sample count: the owned chunk sees the change, the copy does not
    assertEquals(3, owned.numSamples());
    assertEquals(5, copied.numSamples());
    assertThrows(IllegalArgumentException.class, () -> XorChunk.wrapOwned(new byte[1]));
  }

  @Test
  void encodesSingleSampleAsVarintTimestampAndRawValue() {
    // count=1: 00000000 00000001; zig-zag(1000)=2000=0b1111_1010000 -> uvarint bytes 0xD0 0x0F;
    // 1.0 = 0x3FF0000000000000; then Prometheus 2.x's spare empty byte (the value is whole bytes
    // written at a byte boundary)
    byte[] want = bits("00000000 00000001" + "11010000 00001111" + hex(0x3FF0000000000000L, 64)
        + "00000000");
    assertArrayEquals(want, encode(new long[] {1000}, new double[] {1.0}));
  }

  @Test
  void endsWithPrometheusSpareByteOnlyAfterAByteAlignedWholeByteField() {
    // Prometheus 2.x (bstream.writeByte) leaves one empty byte after whole bytes written at a byte
    // boundary; promtool's chunks carry it, so ours must too (byte-identical blocks).
    XorChunk c = new XorChunk();
    ChunkAppender a = c.appender();
    a.append(1000, 1.0); // varint + 64 value bits, all aligned: spare byte
    assertEquals(2 + 2 + 8 + 1, c.byteLength());
    assertEquals(0, c.bytes()[12]);
    byte[] one = c.bytes();
    // an appender opened on those bytes keeps the spare byte until something is appended
    XorChunk again = XorChunk.wrap(one);
    again.appender();
    assertArrayEquals(one, again.bytes());
    a.append(2000, 1.0); // uvarint delta written into the spare byte, then '0': no spare
    assertEquals(2 + 2 + 8 + 2 + 1, c.byteLength());
  }

  /**
   * Prometheus 2.x's bstream and xorAppender transcribed operation by operation (byte slice plus
   * free-bit count, writeByte appending the next byte eagerly): the reference for chunk lengths.
   */
  static final class GoBstream {
    byte[] stream = new byte[2]; // the 2-byte sample count header, count 0 as NewXORChunk
    int len = 2;
    int count;

    void append(int b) {
      if (len == stream.length) {
        stream = Arrays.copyOf(stream, len * 2);
      }
      stream[len++] = (byte) b;
    }

    void writeBit(boolean bit) {
      if (count == 0) {
        append(0);
        count = 8;
      }
      if (bit) {
        stream[len - 1] |= (byte) (1 << (count - 1));
      }
      count--;
    }

    void writeByte(int byt) {
      if (count == 0) {
        append(0);
        count = 8;
      }
      stream[len - 1] |= (byte) ((byt & 0xff) >>> (8 - count));
      append(0);
      stream[len - 1] = (byte) (byt << count);
    }

    void writeBits(long u, int nbits) {
      u <<= 64 - nbits;
      for (; nbits >= 8; nbits -= 8, u <<= 8) {
        writeByte((int) (u >>> 56));
      }
      for (; nbits > 0; nbits--, u <<= 1) {
        writeBit(u < 0);
      }
    }

    byte[] bytes(int numSamples) {
      byte[] b = Arrays.copyOf(stream, len);
      b[0] = (byte) (numSamples >>> 8);
      b[1] = (byte) numSamples;
      return b;
    }
  }

  /** xor.go's Append over {@link GoBstream}. */
  static byte[] goEncode(long[] ts, double[] vs) {
    return goStream(ts, vs).bytes(ts.length);
  }

  /** Whether Go's stream ends on an empty spare byte (count 8: the last byte has no bit in use). */
  static boolean goSpare(long[] ts, double[] vs) {
    return goStream(ts, vs).count == 8;
  }

  private static GoBstream goStream(long[] ts, double[] vs) {
    GoBstream b = new GoBstream();
    long t = 0;
    long v = 0;
    long td = 0;
    int leading = 0xff;
    int trailing = 0;
    for (int i = 0; i < ts.length; i++) {
      long vb = Double.doubleToRawLongBits(vs[i]);
      if (i == 0) {
        for (long x = (ts[i] << 1) ^ (ts[i] >> 63); ; x >>>= 7) {
          if (Long.compareUnsigned(x, 0x80) < 0) {
            b.writeByte((int) x);
            break;
          }
          b.writeByte((int) (x & 0x7f) | 0x80);
        }
        b.writeBits(vb, 64);
      } else {
        long d = ts[i] - t;
        if (i == 1) {
          for (long x = d; ; x >>>= 7) {
            if (Long.compareUnsigned(x, 0x80) < 0) {
              b.writeByte((int) x);
              break;
            }
            b.writeByte((int) (x & 0x7f) | 0x80);
          }
        } else {
          long dod = d - td;
          if (dod == 0) {
            b.writeBit(false);
          } else if (XorAppender.fits(dod, 14)) {
            b.writeBits(0b10, 2);
            b.writeBits(dod, 14);
          } else if (XorAppender.fits(dod, 17)) {
            b.writeBits(0b110, 3);
            b.writeBits(dod, 17);
          } else if (XorAppender.fits(dod, 20)) {
            b.writeBits(0b1110, 4);
            b.writeBits(dod, 20);
          } else {
            b.writeBits(0b1111, 4);
            b.writeBits(dod, 64);
          }
        }
        td = d;
        long delta = vb ^ v;
        if (delta == 0) {
          b.writeBit(false);
        } else {
          b.writeBit(true);
          int lead = Math.min(31, Long.numberOfLeadingZeros(delta));
          int trail = Long.numberOfTrailingZeros(delta);
          if (leading != 0xff && lead >= leading && trail >= trailing) {
            b.writeBit(false);
            b.writeBits(delta >>> trailing, 64 - leading - trailing);
          } else {
            leading = lead;
            trailing = trail;
            b.writeBit(true);
            b.writeBits(lead, 5);
            int sig = 64 - lead - trail;
            b.writeBits(sig, 6); // 64 wraps to 0 in 6 bits
            b.writeBits(delta >>> trail, sig);
          }
        }
      }
      t = ts[i];
      v = vb;
    }
    return b;
  }

  @Test
  void bytesEqualPrometheus2BstreamIncludingItsSpareByte() {
    Random r = new Random(11);
    int spare = 0;
    for (int round = 0; round < 2000; round++) {
      int n = 1 + r.nextInt(40);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = r.nextInt(1 << 20);
      for (int i = 0; i < n; i++) {
        t += r.nextInt(3) == 0 ? 15_000 : r.nextInt(1 << (1 + r.nextInt(24)));
        ts[i] = t;
        vs[i] = r.nextInt(3) == 0 ? (i > 0 ? vs[i - 1] : 1)
            : Double.longBitsToDouble(r.nextLong() & (-1L << r.nextInt(64)) >>> r.nextInt(12));
      }
      byte[] want = goEncode(ts, vs);
      byte[] got = encode(ts, vs);
      assertArrayEquals(want, got, "round " + round + " n=" + n);
      XorChunk c = XorChunk.wrap(got);
      assertEquals(want.length, c.byteLength());
      if (goSpare(ts, vs)) {
        spare++;
      }
    }
    assertTrue(spare > 50, "the rounds exercise the spare byte: " + spare);
  }

  @Test
  void encodesNegativeFirstTimestampZigZag() {
    // zig-zag(-1) = 1 -> one byte 0x01
    byte[] want = bits("00000000 00000001" + "00000001" + hex(Double.doubleToRawLongBits(-2.5), 64)
        + "00000000");
    assertArrayEquals(want, encode(new long[] {-1}, new double[] {-2.5}));
  }

  @Test
  void encodesSecondSampleAsUvarintDeltaAndSameValueBit() {
    // uvarint(1000) = 0xE8 0x07; same value -> '0'
    byte[] want = bits("00000000 00000010" + "11010000 00001111" + hex(0x3FF0000000000000L, 64)
        + "11101000 00000111" + "0");
    assertArrayEquals(want, encode(new long[] {1000, 2000}, new double[] {1.0, 1.0}));
  }

  @Test
  void encodesZeroDeltaOfDeltaAndUnchangedValueAsTwoBits() {
    byte[] want = bits("00000000 00000011" + "11010000 00001111" + hex(0x3FF0000000000000L, 64)
        + "11101000 00000111" + "0" + "0" + "0");
    assertArrayEquals(want, encode(new long[] {1000, 2000, 3000}, new double[] {1.0, 1.0, 1.0}));
  }

  @Test
  void encodesSmallDodBucketAndNewXorWindow() {
    // dod = 1005 - 1000 = 5 -> '10' + 14-bit 5;
    // 2.0 ^ 1.0 = 0x4000.. ^ 0x3FF0.. = 0x7FF0000000000000: leading 1, trailing 52, 11 significant
    // -> '1' (changed) '1' (new window) 00001 001011 11111111111
    byte[] want = bits("00000000 00000011" + "11010000 00001111" + hex(0x3FF0000000000000L, 64)
        + "11101000 00000111" + "0"
        + "10" + "00000000000101"
        + "11" + "00001" + "001011" + "11111111111");
    assertArrayEquals(want, encode(new long[] {1000, 2000, 3005}, new double[] {1.0, 1.0, 2.0}));
  }

  @Test
  void opensNewWindowWhenTrailingZerosShrink() {
    // values 1.0, 2.0, 3.0: 2.0^1.0 = 0x7FF0.. (window lead 1, trail 52);
    // 3.0 = 0x4008000000000000, ^2.0 = 0x0008000000000000: lead 12 >= 1, trail 51 < 52 -> new window:
    // '11' 01100 000001 1 ; then 3.0 again -> '0'
    byte[] want = bits("00000000 00000100" + "00000010" + hex(0x3FF0000000000000L, 64)
        + "00001010" + "11" + "00001" + "001011" + "11111111111"
        + "0" + "11" + "01100" + "000001" + "1"
        + "0" + "0");
    assertArrayEquals(want, encode(new long[] {1, 11, 21, 31}, new double[] {1.0, 2.0, 3.0, 3.0}));
  }

  @Test
  void writesReuseControlWhenWindowFits() {
    // 1.0 -> 2.0 sets window lead 1 trail 52 (11 bits); 2.0 -> 3.5 (0x400C000000000000):
    // xor = 0x000C000000000000, lead 12, trail 50 < 52 -> new window lead 12 trail 50 sig 2 '11';
    // 3.5 -> 3.0 (0x4008..): xor 0x0004000000000000 lead 13 >= 12, trail 50 >= 50 -> '10' + 2 bits '01'
    byte[] want = bits("00000000 00000100" + "00000000" + hex(0x3FF0000000000000L, 64)
        + "00000001" + "11" + "00001" + "001011" + "11111111111"
        + "0" + "11" + "01100" + "000010" + "11"
        + "0" + "1" + "0" + "01");
    assertArrayEquals(want, encode(new long[] {0, 1, 2, 3}, new double[] {1.0, 2.0, 3.5, 3.0}));
  }

  @Test
  void encodesNegativeAndLargeDodBuckets() {
    // deltas 10, 5 (dod -5: '10' + 14-bit two's complement), 5+70000 (dod 70000: needs 20 bits
    // '1110'), then +2^40 (dod ~2^40: '1111' + 64 bits). Values constant: '0' each.
    long t0 = 0;
    long t1 = 10;
    long t2 = 15;
    long t3 = 15 + 70005;
    long t4 = t3 + 70005 + (1L << 40);
    byte[] want = bits("00000000 00000101" + "00000000" + hex(0, 64)
        + "00001010" + "0"
        + "10" + hex(-5 & 0x3fff, 14) + "0"
        + "1110" + hex(70000, 20) + "0"
        + "1111" + hex(1L << 40, 64) + "0");
    assertArrayEquals(want, encode(new long[] {t0, t1, t2, t3, t4}, new double[] {0, 0, 0, 0, 0}));
  }

  @Test
  void usesAsymmetricBucketBoundsLikePrometheus() {
    // bitRange(x, 14) accepts 8192 but not -8192: dod 8192 -> '10', dod -8192 -> '110' (17 bits)
    assertEquals(true, XorAppender.fits(8192, 14));
    assertEquals(false, XorAppender.fits(-8192, 14));
    assertEquals(true, XorAppender.fits(-8191, 14));
    byte[] want = bits("00000000 00000100" + "00000000" + hex(0, 64)
        + "10010000 01001110" + "0"
        + "10" + hex(8192, 14) + "0"
        + "110" + hex(-8192 & 0x1ffff, 17) + "0");
    long d = 10000;
    assertArrayEquals(want, encode(new long[] {0, d, 2 * d + 8192, 3 * d + 8192}, new double[] {0, 0, 0, 0}));
  }

  @Test
  void writesSixtyFourSignificantBitsAsZeroCount() {
    // 0.0 -> bits 0x8000000000000001: lead 0, trail 0, 64 significant -> '11' 00000 000000 + 64 bits
    double v = Double.longBitsToDouble(0x8000000000000001L);
    byte[] want = bits("00000000 00000010" + "00000000" + hex(0, 64)
        + "00000001" + "11" + "00000" + "000000" + hex(0x8000000000000001L, 64));
    assertArrayEquals(want, encode(new long[] {0, 1}, new double[] {0.0, v}));
  }

  @Test
  void clampsLeadingZerosToThirtyOne() {
    // 0.0 -> bits 1: lead 63 clamped to 31, trail 0, 33 significant bits
    double v = Double.longBitsToDouble(1L);
    byte[] want = bits("00000000 00000010" + "00000000" + hex(0, 64)
        + "00000001" + "11" + "11111" + "100001" + hex(1, 33));
    assertArrayEquals(want, encode(new long[] {0, 1}, new double[] {0.0, v}));
    ChunkIterator it = XorChunk.wrap(want).iterator(null);
    it.next();
    assertEquals(ValueType.FLOAT, it.next());
    assertEquals(1L, Double.doubleToRawLongBits(it.atV()));
  }

  @Test
  void roundTripsRandomSeriesBitExactIncludingSpecialValues() {
    Random r = new Random(42);
    double[] specials = {Double.NaN, Double.longBitsToDouble(STALE_NAN),
        Double.longBitsToDouble(0x7ff8000000000001L), Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE,
        Double.MIN_NORMAL, -0.0, 0.0, 1e-300, 1e300};
    for (int round = 0; round < 300; round++) {
      int n = 1 + r.nextInt(250);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = r.nextLong() >> r.nextInt(64);
      for (int i = 0; i < n; i++) {
        int kind = r.nextInt(6);
        long step = kind == 0 ? 15_000 : kind == 1 ? 15_000 + r.nextInt(101) - 50
            : kind == 2 ? 1 + r.nextInt(1 << 20) : kind == 3 ? 1 + (r.nextLong() >>> 30) : 1;
        t += step;
        ts[i] = t;
        int vk = r.nextInt(5);
        vs[i] = vk == 0 ? specials[r.nextInt(specials.length)]
            : vk == 1 ? Double.longBitsToDouble(r.nextLong())
            : vk == 2 && i > 0 ? vs[i - 1] : vk == 3 ? r.nextInt(1000) : r.nextGaussian() * 1e6;
      }
      XorChunk c = XorChunk.wrap(encode(ts, vs));
      assertEquals(n, c.numSamples());
      ChunkIterator it = c.iterator(null);
      for (int i = 0; i < n; i++) {
        assertEquals(ValueType.FLOAT, it.next(), "round " + round + " sample " + i);
        assertEquals(ts[i], it.atT(), "round " + round + " sample " + i);
        assertEquals(Double.doubleToRawLongBits(vs[i]), Double.doubleToRawLongBits(it.atV()),
            "round " + round + " sample " + i);
      }
      assertEquals(ValueType.NONE, it.next());
      assertEquals(null, it.err());
    }
  }

  @Test
  void keepsStaleMarkerDistinctFromOrdinaryNaN() {
    double stale = Double.longBitsToDouble(STALE_NAN);
    double nan = Double.longBitsToDouble(0x7ff8000000000001L);
    XorChunk c = XorChunk.wrap(encode(new long[] {1, 2, 3}, new double[] {nan, stale, nan}));
    ChunkIterator it = c.iterator(null);
    it.next();
    assertEquals(0x7ff8000000000001L, Double.doubleToRawLongBits(it.atV()));
    it.next();
    assertEquals(STALE_NAN, Double.doubleToRawLongBits(it.atV()));
    it.next();
    assertEquals(0x7ff8000000000001L, Double.doubleToRawLongBits(it.atV()));
  }

  @Test
  void appenderOnDecodedChunkContinuesWithIdenticalBytes() {
    Random r = new Random(7);
    for (int round = 0; round < 50; round++) {
      int n = 3 + r.nextInt(100);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = 1_700_000_000_000L;
      for (int i = 0; i < n; i++) {
        t += 15_000 + r.nextInt(50);
        ts[i] = t;
        vs[i] = i < 2 ? 0.5 + i : vs[i - 1] + r.nextInt(3) * 0.25; // sets a window early
      }
      int cut = 2 + r.nextInt(n - 2);
      byte[] full = encode(ts, vs);
      XorChunk part = XorChunk.wrap(encode(Arrays.copyOf(ts, cut), Arrays.copyOf(vs, cut)));
      ChunkAppender a = part.appender();
      for (int i = cut; i < n; i++) {
        a.append(ts[i], vs[i]);
      }
      assertArrayEquals(full, part.bytes(), "round " + round + " cut " + cut);
    }
  }

  @Test
  void seekStopsAtFirstSampleAtOrAfterTarget() {
    XorChunk c = XorChunk.wrap(encode(new long[] {10, 20, 30}, new double[] {1, 2, 3}));
    ChunkIterator it = c.iterator(null);
    assertEquals(ValueType.FLOAT, it.seek(15));
    assertEquals(20, it.atT());
    assertEquals(ValueType.FLOAT, it.seek(5)); // stays put
    assertEquals(20, it.atT());
    assertEquals(ValueType.FLOAT, it.seek(30));
    assertEquals(3.0, it.atV());
    assertEquals(ValueType.NONE, it.seek(31));
    assertEquals(ValueType.NONE, it.seek(0)); // exhausted stays exhausted
  }

  @Test
  void reportsTruncatedChunkAsIteratorError() {
    byte[] b = encode(new long[] {10, 20, 30}, new double[] {1, 2.5, 3});
    XorChunk c = XorChunk.wrap(Arrays.copyOf(b, b.length - 2));
    ChunkIterator it = c.iterator(null);
    int n = 0;
    while (it.next() == ValueType.FLOAT) {
      n++;
    }
    assertEquals(true, n < 3);
    assertNotNull(it.err());
  }

  @Test
  void rejectsBytesShorterThanHeader() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XorChunk.wrap(new byte[1]));
    assertEquals(true, e.getMessage().contains("header"));
  }

  @Test
  void reusesIteratorObject() {
    XorChunk c = XorChunk.wrap(encode(new long[] {10}, new double[] {1}));
    ChunkIterator it = c.iterator(null);
    ChunkIterator again = c.iterator(it);
    assertEquals(it, again);
    assertEquals(ValueType.FLOAT, again.next());
  }
}
