package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.StorageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadTruncateTest {
  private static final long H = 3_600_000L;
  private static final Labels OLD = Labels.of("__name__", "m", "age", "old");
  private static final Labels LIVE = Labels.of("__name__", "m", "age", "live");

  private static Head filled() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    for (long t = 0; t <= 3 * H; t += 15_000) {
      if (t < H) {
        app.append(0, OLD, t, t);
      }
      app.append(0, LIVE, t, t);
      app.commit();
    }
    return head;
  }

  @Test
  void dropsWholeChunksBeforeMintAndEmptySeries() {
    Head head = filled();
    long chunksBefore = head.store.get(head.store.get(LIVE).ref).chunks.length;
    head.truncate(2 * H);
    MemSeries live = head.store.get(LIVE);
    assertTrue(live.chunks.length < chunksBefore);
    for (HeadChunk c : live.chunks) {
      assertTrue(c.maxTime >= 2 * H, "chunk ending " + c.maxTime + " kept");
    }
    assertEquals(null, head.store.get(OLD), "series with nothing left is removed");
    assertEquals(1, head.numSeries());
    Map<Labels, List<String>> d = HeadTestSupport.dump(head, Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.eq("__name__", "m"));
    assertEquals(List.of(LIVE), List.copyOf(d.keySet()));
    List<String> samples = d.get(LIVE);
    assertTrue(samples.get(0).startsWith(live.chunks[0].minTime + "="));
    assertEquals(HeadTestSupport.sample(3 * H, 3 * H), samples.get(samples.size() - 1));
    assertEquals(live.chunks[0].minTime, head.minTime());
  }

  @Test
  void garbageCollectsPostingsOfRemovedSeries() {
    Head head = filled();
    head.truncate(2 * H);
    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(List.of("live"), q.labelValues("age"));
    }
    assertEquals(1.0, value(head, "prometheus_tsdb_head_series_removed"));
    assertEquals(1.0, value(head, "prometheus_tsdb_head_truncations"));
  }

  @Test
  void rejectsAppendsOlderThanTruncationPoint() {
    Head head = filled();
    head.truncate(3 * H);
    Appender app = head.appender();
    StorageException e = assertThrows(StorageException.class,
        () -> app.append(0, Labels.of("__name__", "n"), 3 * H - 1, 1));
    assertEquals(StorageException.Kind.OUT_OF_BOUNDS, e.kind());
  }

  @Test
  void keepsSeriesWithUncommittedSamples() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, OLD, 10 * H, 1); // created, pending, no chunk yet
    head.truncate(5 * H);
    app.commit();
    assertEquals(1, HeadTestSupport.dump(head, 0, Long.MAX_VALUE, LabelMatcher.eq("__name__", "m")).size());
  }

  @Test
  void seriesRemovedByTruncationCanBeRecreated() {
    Head head = filled();
    long oldRef = head.store.get(OLD).ref;
    head.truncate(3 * H);
    Appender app = head.appender();
    long ref = app.append(oldRef, OLD, 3 * H + 1000, 5);
    app.commit();
    assertTrue(ref != oldRef, "a new series, with a new ref");
    assertEquals(List.of(HeadTestSupport.sample(3 * H + 1000, 5)),
        HeadTestSupport.dump(head, 0, Long.MAX_VALUE, LabelMatcher.eq("age", "old")).get(OLD));
  }

  private static double value(Head head, String name) {
    for (var s : head.metrics().collect()) {
      if (s.metadata().name().equals(name)) {
        return ((dev.promkit.client.snapshot.CounterSnapshot) s).dataPoints().get(0).value();
      }
    }
    throw new AssertionError(name);
  }
}
