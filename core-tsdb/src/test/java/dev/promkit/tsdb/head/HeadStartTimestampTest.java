package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.StartTimestamps;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadStartTimestampTest {
  private static final Labels C = Labels.of("__name__", "c_total");

  /** {t, st} of every sample the head's iterator returns in [mint, maxt], using seek to mint. */
  private static List<long[]> read(Head head, long mint, long maxt) {
    List<long[]> out = new ArrayList<>();
    try (Querier q = head.querier(mint, maxt)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "c_total"));
      while (set.next()) {
        ChunkIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.add(new long[] {it.atT(), it.atST()});
        }
      }
    }
    return out;
  }

  @Test
  void iteratorReturnsEachSamplesStartTimestampAcrossChunks() {
    Head head = new Head(HeadOptions.defaults());
    Appender a = head.appender();
    long[] st = new long[600];
    Random r = new Random(5);
    long cur = 0;
    for (int i = 0; i < 600; i++) {
      long t = 1_000_000 + i * 15_000L;
      if (i == 130) {
        cur = t - 7; // a counter reset partway through the second chunk
      } else if (i >= 300 && i < 320) {
        cur = t - 15_000; // delta-style: each sample starts where the previous ended
      } else if (i == 320) {
        cur = 0; // the producer stops sending one
      } else if (i > 400 && r.nextInt(10) == 0) {
        cur = r.nextLong() >>> 1; // arbitrary values, any width
      }
      st[i] = cur;
      a.append(0, C, cur, t, i);
      if (i % 7 == 0) {
        a.commit();
      }
    }
    a.commit();
    List<long[]> got = read(head, Long.MIN_VALUE, Long.MAX_VALUE);
    assertEquals(600, got.size());
    for (int i = 0; i < 600; i++) {
      assertEquals(st[i], got.get(i)[1], "start timestamp of sample " + i);
    }
    // a query starting mid-chunk seeks into it and still lines start timestamps up
    List<long[]> part = read(head, 1_000_000 + 131 * 15_000L, 1_000_000 + 450 * 15_000L);
    assertEquals(131 * 15_000L + 1_000_000, part.get(0)[0]);
    for (int k = 0; k < part.size(); k++) {
      assertEquals(st[131 + k], part.get(k)[1], "sample " + (131 + k) + " of the range query");
    }
  }

  @Test
  void bulkReadKeepsStartTimestampsOfChunksThatHaveThem() {
    // readFloats decodes chunks without start timestamps in bulk; one with them (the second chunk
    // here) makes it read the series through the iterator, which carries them
    Head head = new Head(HeadOptions.defaults());
    Appender a = head.appender();
    for (int i = 0; i < 300; i++) {
      long t = 1_000_000 + i * 15_000L;
      a.append(0, C, i >= 150 && i < 160 ? t - 5 : 0, t, i);
    }
    a.commit();
    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "c_total"));
      set.next();
      SampleBuffer buf = new SampleBuffer(1);
      assertTrue(set.at().readFloats(Long.MIN_VALUE, Long.MAX_VALUE, buf));
      assertEquals(300, buf.size());
      for (int i = 0; i < 300; i++) {
        long t = 1_000_000 + i * 15_000L;
        assertEquals(t, buf.times()[i], "t of sample " + i);
        assertEquals(i, buf.values()[i], "value of sample " + i);
        assertEquals(i >= 150 && i < 160 ? t - 5 : 0, buf.startTimes()[i], "start timestamp of sample " + i);
      }
    }
  }

  @Test
  void seriesWithoutStartTimestampsGetNoSideStream() {
    Head head = new Head(HeadOptions.defaults());
    Appender a = head.appender();
    for (int i = 0; i < 300; i++) {
      a.append(0, C, 1_000 + i * 15_000L, i);
    }
    a.commit();
    MemSeries s = head.store.get(a.append(0, C, 1_000 + 300 * 15_000L, 300));
    a.commit();
    for (HeadChunk c : s.chunks) {
      assertNull(c.sts, "no start timestamp stream where no sample has one");
    }
    for (long[] x : read(head, Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(0, x[1]);
    }
  }

  @Test
  void firstStartTimestampMidChunkLeavesEarlierSamplesUnknown() {
    Head head = new Head(HeadOptions.defaults());
    Appender a = head.appender();
    for (int i = 0; i < 10; i++) {
      a.append(0, C, i == 5 ? 42 : 0, 1_000 + i * 1_000L, i);
    }
    a.commit();
    List<long[]> got = read(head, Long.MIN_VALUE, Long.MAX_VALUE);
    for (int i = 0; i < 10; i++) {
      assertEquals(i == 5 ? 42 : 0, got.get(i)[1], "sample " + i);
    }
  }

  @Test
  void rolledBackStartTimestampsDoNotLeakIntoTheNextBatch() {
    Head head = new Head(HeadOptions.defaults());
    Appender a = head.appender();
    a.append(0, C, 99, 1_000, 1);
    a.rollback();
    a.append(0, C, 2_000, 2);
    a.append(0, C, 1_500, 3_000, 3);
    a.commit();
    List<long[]> got = read(head, Long.MIN_VALUE, Long.MAX_VALUE);
    assertEquals(2, got.size());
    assertEquals(0, got.get(0)[1]);
    assertEquals(1_500, got.get(1)[1]);
  }

  @Test
  void readersRacingAnAppenderSeeEachSamplesOwnStartTimestamp() throws Exception {
    Head head = new Head(HeadOptions.defaults());
    // st is a function of t that changes every 4th sample, and is 0 (absent) for the first 50
    java.util.function.LongUnaryOperator stOf = t -> t < 1_000 + 50 * 15_000L ? 0 : (t / 60_000) * 60_000 - 1;
    Thread writer = new Thread(() -> {
      Appender a = head.appender();
      for (int i = 0; i < 3000; i++) {
        long t = 1_000 + i * 15_000L;
        a.append(0, C, stOf.applyAsLong(t), t, i);
        if (i % 10 == 9) {
          a.commit();
        }
      }
      a.commit();
    });
    writer.start();
    int checked = 0;
    try {
      while (writer.isAlive() || checked == 0) {
        for (long[] x : read(head, Long.MIN_VALUE, Long.MAX_VALUE)) {
          assertEquals(stOf.applyAsLong(x[0]), x[1], "start timestamp of the sample at t=" + x[0]);
          checked++;
        }
      }
    } finally {
      writer.join();
    }
    assertEquals(3000, read(head, Long.MIN_VALUE, Long.MAX_VALUE).size());
  }

  @Test
  void startTimestampStreamTakesOneBitPerUnchangedEntry() {
    StartTimestamps s = new StartTimestamps(3);
    s.append(1_700_000_000_000L);
    for (int i = 0; i < 116; i++) {
      s.append(1_700_000_000_000L);
    }
    // 3 + 116 one-bit entries and one '1' + 6 + 42-bit entry: 168 bits
    assertEquals(21, s.byteLength());
    long[] out = new long[120];
    s.decode(120, out);
    assertEquals(0, out[2]);
    assertEquals(1_700_000_000_000L, out[3]);
    assertEquals(1_700_000_000_000L, out[119]);
  }
}
