package dev.promkit.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class XorEncoderStateTest {
  private static final long STALE_NAN = 0x7ff0000000000002L;

  // The smallest subclass: one open chunk in a field.
  private static final class Enc extends XorEncoderState {
    byte[] buf = xorStart();
    int n;

    void append(long t, double v) {
      buf = xorAppend(buf, n++, t, v);
    }

    byte[] bytes() {
      return xorTrim(buf).clone();
    }
  }

  private static void assertSameAsXorChunk(long[] ts, double[] vs, String what) {
    XorChunk ref = new XorChunk();
    ChunkAppender a = ref.appender();
    Enc e = new Enc();
    for (int i = 0; i < ts.length; i++) {
      a.append(ts[i], vs[i]);
      e.append(ts[i], vs[i]);
      assertEquals(ref.byteLength(), e.xorByteLength(), what + ": length after sample " + i);
      assertArrayEquals(ref.bytes(), e.bytes(), what + ": bytes after sample " + i);
      assertEquals(ts[i], e.lastT, what);
      assertEquals(Double.doubleToRawLongBits(vs[i]), e.lastVBits, what);
    }
    // the open array decodes as the chunk, spare room and all
    ChunkIterator it = XorChunk.iterator(e.buf, ts.length, null);
    for (int i = 0; i < ts.length; i++) {
      assertEquals(ValueType.FLOAT, it.next(), what + ": sample " + i);
      assertEquals(ts[i], it.atT(), what);
      assertEquals(Double.doubleToRawLongBits(vs[i]), Double.doubleToRawLongBits(it.atV()), what);
    }
    assertEquals(ValueType.NONE, it.next(), what);
  }

  @Test
  void encodesTheSameBytesAsXorChunkForCountersGaugesAndIrregularTimestamps() {
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = 1 + r.nextInt(200);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = r.nextBoolean() ? 1_700_000_000_000L : -5_000L + r.nextInt(10_000);
      double v = r.nextInt(1000);
      for (int i = 0; i < n; i++) {
        switch (round % 5) {
          case 0: t += 15_000; v += r.nextInt(20); break; // regular counter
          case 1: t += 5_000 + r.nextInt(7); v = r.nextGaussian() * 100; break; // jittery gauge
          case 2: t += 1 + r.nextInt(1 << 21); v = Double.longBitsToDouble(r.nextLong()); break; // wild
          case 3: t += 1 + (r.nextBoolean() ? r.nextInt(3) : r.nextInt(1 << 30)); v = r.nextBoolean() ? v : v + 0.5; break;
          default: t += 1_000; v = i % 7 == 0 ? Double.longBitsToDouble(STALE_NAN) : i; break;
        }
        ts[i] = t;
        vs[i] = v;
      }
      assertSameAsXorChunk(ts, vs, "round " + round);
    }
  }

  @Test
  void keepsPrometheusSpareByteAfterAWholeByteAtAByteBoundary() {
    // one sample: header, 1-byte varint timestamp, 64-bit value: ends byte-aligned on whole bytes
    Enc e = new Enc();
    e.append(1, 1.0);
    XorChunk ref = new XorChunk();
    ref.appender().append(1, 1.0);
    assertEquals(ref.byteLength(), e.xorByteLength());
    assertArrayEquals(ref.bytes(), e.bytes());
  }

  @Test
  void growsTheArrayByHalfNotByDoubling() {
    Enc e = new Enc();
    Random r = new Random(3);
    for (int i = 0; i < 120; i++) {
      e.append(1_000L * i, r.nextGaussian());
      int len = e.xorByteLength();
      assertTrue(e.buf.length >= len - 1, "array holds the chunk (Prometheus' spare byte may be virtual)");
      assertTrue(e.buf.length <= Math.max(32, len + Math.max(16, len / 2) + 20),
          "spare room bounded: " + e.buf.length + " for " + len + " bytes");
    }
  }

  @Test
  void rejectsASampleBeyond65535() {
    Enc e = new Enc();
    assertThrows(IllegalStateException.class, () -> e.xorAppend(e.buf, 0xffff, 1, 1.0));
  }
}
