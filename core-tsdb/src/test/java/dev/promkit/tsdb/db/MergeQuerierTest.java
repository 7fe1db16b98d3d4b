package dev.promkit.tsdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MergeQuerierTest {
  private static final Labels A = Labels.of("__name__", "m", "s", "a");
  private static final Labels B = Labels.of("__name__", "m", "s", "b");

  /** Three overlapping sources: t in 0..99; source k holds t with t % 3 != k (so every t is in two of them). */
  private static MergeQuerier merged(TreeMap<Long, Double> model) {
    List<Querier> qs = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      MemoryStorage st = new MemoryStorage();
      Appender app = st.appender();
      for (long t = 0; t < 100; t++) {
        if (t % 3 != k) {
          app.append(0, A, t * 10, t);
          model.put(t * 10, (double) t);
        }
      }
      if (k == 2) {
        app.append(0, B, 5, 1);
      }
      app.commit();
      qs.add(st.querier(Long.MIN_VALUE, Long.MAX_VALUE));
    }
    return new MergeQuerier(qs);
  }

  private static ChunkIterator seriesA(MergeQuerier q) {
    SeriesSet set = q.select(false, null, LabelMatcher.eq("__name__", "m"));
    List<Labels> seen = new ArrayList<>();
    ChunkIterator a = null;
    while (set.next()) {
      seen.add(set.at().labels());
      if (set.at().labels().equals(A)) {
        a = set.at().iterator(null);
      }
    }
    assertEquals(List.of(A, B), seen, "one series per label set, sorted");
    return a;
  }

  @Test
  void mergesSourcesByTimestampReturningSharedTimestampsOnce() {
    TreeMap<Long, Double> model = new TreeMap<>();
    try (MergeQuerier q = merged(model)) {
      ChunkIterator it = seriesA(q);
      TreeMap<Long, Double> got = new TreeMap<>();
      int n = 0;
      while (it.next() == ValueType.FLOAT) {
        got.put(it.atT(), it.atV());
        n++;
      }
      assertEquals(model, got);
      assertEquals(model.size(), n, "no timestamp twice");
      assertEquals(ValueType.NONE, it.next(), "stays exhausted");
    }
  }

  @Test
  void seekMovesForwardOnlyAndThenNextContinuesWithoutDuplicates() {
    TreeMap<Long, Double> model = new TreeMap<>();
    try (MergeQuerier q = merged(model)) {
      ChunkIterator it = seriesA(q);
      assertEquals(ValueType.FLOAT, it.seek(455));
      assertEquals(460, it.atT());
      assertEquals(ValueType.FLOAT, it.seek(100), "seeking backwards stays put");
      assertEquals(460, it.atT());
      assertEquals(ValueType.FLOAT, it.next());
      assertEquals(470, it.atT());
      assertEquals(47.0, it.atV());
      assertEquals(ValueType.FLOAT, it.next());
      assertEquals(480, it.atT());
      assertEquals(ValueType.NONE, it.seek(991), "past the end");
    }
  }

  @Test
  void labelNamesAndValuesAreTheSortedUnion() {
    try (MergeQuerier q = merged(new TreeMap<>())) {
      assertEquals(List.of("__name__", "s"), q.labelNames());
      assertEquals(List.of("a", "b"), q.labelValues("s"));
    }
  }

  private static Querier source(String... instances) {
    MemoryStorage st = new MemoryStorage();
    Appender app = st.appender();
    for (String in : instances) {
      app.append(0, Labels.of("__name__", "m", "i", in), 10, in.charAt(0));
    }
    app.commit();
    return st.querier(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Test
  void interleavedSourcesComeOutSortedWithSharedSeriesOnce() {
    try (MergeQuerier q = new MergeQuerier(List.of(source("b", "d"), source(), source("a", "d", "e"), source("c")))) {
      SeriesSet set = q.select(false, null, LabelMatcher.eq("__name__", "m"));
      List<String> seen = new ArrayList<>();
      while (set.next()) {
        seen.add(set.at().labels().get("i"));
      }
      assertEquals(null, set.err());
      assertEquals(List.of("a", "b", "c", "d", "e"), seen);
      assertEquals(List.of("a", "b", "c", "d", "e"), q.labelValues("i"));
      assertEquals(List.of("__name__", "i"), q.labelNames());
    }
  }

  @Test
  void aFailingSourceStopsTheMergeWithItsError() {
    IllegalStateException boom = new IllegalStateException("boom");
    Querier failing = new Querier() {
      @Override
      public SeriesSet select(boolean sorted, dev.promkit.tsdb.storage.SelectHints hints, LabelMatcher... matchers) {
        return SeriesSet.error(boom);
      }

      @Override
      public List<String> labelNames(LabelMatcher... matchers) {
        return List.of();
      }

      @Override
      public List<String> labelValues(String name, LabelMatcher... matchers) {
        return List.of();
      }

      @Override
      public void close() {}
    };
    try (MergeQuerier q = new MergeQuerier(List.of(source("a"), failing))) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "m"));
      while (set.next()) {
        // whatever came before the failure
      }
      assertEquals(boom, set.err());
    }
  }

  @Test
  void bulkReadOfOverlappingSourcesMergesLikeTheIterator() {
    TreeMap<Long, Double> model = new TreeMap<>();
    try (MergeQuerier q = merged(model)) {
      SeriesSet set = q.select(false, null, LabelMatcher.eq("__name__", "m"));
      assertTrue(set.next());
      SampleBuffer buf = new SampleBuffer(1);
      assertTrue(set.at().readFloats(95, 505, buf));
      TreeMap<Long, Double> got = new TreeMap<>();
      for (int i = 0; i < buf.size(); i++) {
        got.put(buf.times()[i], buf.values()[i]);
      }
      assertEquals(model.subMap(95L, true, 505L, true), got);
      assertEquals(got.size(), buf.size(), "no timestamp twice");
    }
  }

  @Test
  void bulkReadOfDisjointSourcesPutsThemInTimeOrderWhateverTheSourceOrder() {
    // source order: the latest range first (as the head before the blocks), then the earliest, then the middle
    long[][] ranges = {{200, 299}, {0, 99}, {100, 199}};
    List<Querier> qs = new ArrayList<>();
    for (long[] r : ranges) {
      MemoryStorage st = new MemoryStorage();
      Appender app = st.appender();
      for (long t = r[0]; t <= r[1]; t++) {
        app.append(0, A, t, t * 0.5);
      }
      app.commit();
      qs.add(st.querier(Long.MIN_VALUE, Long.MAX_VALUE));
    }
    try (MergeQuerier q = new MergeQuerier(qs)) {
      SeriesSet set = q.select(false, null, LabelMatcher.eq("__name__", "m"));
      assertTrue(set.next());
      SampleBuffer buf = new SampleBuffer(1);
      buf.add(-5, 1, 0); // readFloats appends: what is there stays
      assertTrue(set.at().readFloats(50, 250, buf));
      assertEquals(1 + 201, buf.size());
      assertEquals(-5, buf.times()[0]);
      for (int i = 1; i < buf.size(); i++) {
        assertEquals(49 + i, buf.times()[i], "time order at " + i);
        assertEquals((49 + i) * 0.5, buf.values()[i]);
      }
    }
  }
}
