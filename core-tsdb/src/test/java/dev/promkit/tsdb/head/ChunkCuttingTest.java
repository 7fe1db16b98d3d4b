package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCuttingTest {
  private static final long RANGE = 2 * 3_600_000L;
  private static final Labels L = Labels.of("__name__", "x");

  private static MemSeries append(Head head, long[] ts, double[] vs) {
    Appender app = head.appender();
    long ref = 0;
    for (int i = 0; i < ts.length; i++) {
      ref = app.append(ref, L, ts[i], vs[i]);
      if (i % 100 == 99) {
        app.commit();
      }
    }
    app.commit();
    return head.store.get(ref);
  }

  private static List<Integer> sizes(MemSeries s) {
    List<Integer> out = new ArrayList<>();
    for (HeadChunk c : s.chunks) {
      out.add(c.visibleCount());
    }
    return out;
  }

  @Test
  void cutsEvery120SamplesAtFifteenSecondInterval() {
    int n = 481; // 0 .. 2h, then the first sample of the next range
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = i * 15_000L;
      vs[i] = i;
    }
    MemSeries s = append(new Head(HeadOptions.defaults()), ts, vs);
    assertEquals(List.of(120, 120, 120, 120, 1), sizes(s));
    assertEquals(RANGE, s.chunks[4].minTime, "a new chunk starts at the block boundary");
  }

  @Test
  void neverCrossesBlockRangeBoundary() {
    Random r = new Random(5);
    long t = RANGE - 50_000;
    long[] ts = new long[2000];
    double[] vs = new double[2000];
    for (int i = 0; i < ts.length; i++) {
      t += 1 + r.nextInt(30_000);
      ts[i] = t;
      vs[i] = r.nextDouble();
    }
    MemSeries s = append(new Head(HeadOptions.defaults()), ts, vs);
    for (HeadChunk c : s.chunks) {
      assertEquals(c.minTime / RANGE, c.maxTime / RANGE, "chunk [" + c.minTime + "," + c.maxTime + "]");
    }
  }

  @Test
  void capsChunkAt1024BytesForIncompressibleValues() {
    Random r = new Random(9);
    int n = 1000;
    long[] ts = new long[n];
    double[] vs = new double[n];
    long t = 0;
    for (int i = 0; i < n; i++) {
      t += 1 + r.nextInt(1 << 21); // irregular: '1111' + 64-bit delta-of-delta most of the time
      ts[i] = t;
      vs[i] = Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL);
    }
    MemSeries s = append(new Head(HeadOptions.defaults().withChunkRange(1L << 50)), ts, vs);
    assertTrue(s.chunks.length > 5);
    for (int i = 0; i < s.chunks.length; i++) {
      HeadChunk c = s.chunks[i];
      assertTrue(s.chunkByteLength(c) <= XorChunk.MAX_BYTES, "chunk " + i + ": " + s.chunkByteLength(c));
      if (i < s.chunks.length - 1) {
        assertTrue(c.visibleCount() < 120, "cut by size, not count: " + c.visibleCount());
        assertTrue(s.chunkByteLength(c) > XorChunk.MAX_BYTES - XorChunk.MAX_SAMPLE_BYTES - 20);
        assertEquals(s.chunkByteLength(c), c.bytes.length, "a complete chunk's array holds exactly its bytes");
      }
    }
  }

  @Test
  void cutsAtTwiceTheTargetWhenTheRateJumps() {
    // 30 samples at 15 s predict an end at 30 min; then one sample per ms fills 240 first
    List<Long> ts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ts.add(i * 15_000L);
    }
    long t = 29 * 15_000L;
    for (int i = 0; i < 400; i++) {
      ts.add(++t);
    }
    long[] a = ts.stream().mapToLong(Long::longValue).toArray();
    MemSeries s = append(new Head(HeadOptions.defaults()), a, new double[a.length]);
    assertEquals(240, (int) sizes(s).get(0));
  }

  @Test
  void computesChunkEndTimeAsPrometheus() {
    // a quarter full after 435 s of a 2 h range: 4 equal chunks -> first ends at 30 min
    assertEquals(1_800_000, MemSeries.computeChunkEndTime(0, 435_000, RANGE, 4));
    // already slower than the range: keep the range end
    assertEquals(RANGE, MemSeries.computeChunkEndTime(0, 2_000_000, RANGE, 4));
    assertEquals(2 * RANGE, MemSeries.rangeForTimestamp(RANGE, RANGE));
    assertEquals(RANGE, MemSeries.rangeForTimestamp(RANGE - 1, RANGE));
  }

  @Test
  void honoursConfiguredRangeAndTarget() {
    long range = 60_000;
    long[] ts = new long[100];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * 1000L;
    }
    MemSeries s = append(new Head(new HeadOptions(range, 20)), ts, new double[100]);
    for (HeadChunk c : s.chunks) {
      assertEquals(c.minTime / range, c.maxTime / range);
      assertTrue(c.visibleCount() <= 40);
    }
  }
}
