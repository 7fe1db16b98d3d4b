package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadAppenderTest {
  private static final long H = 3_600_000L;
  private static final Labels UP = Labels.of("__name__", "up", "job", "api");
  private static final LabelMatcher ALL = LabelMatcher.re("__name__", ".+");

  private static double metric(Head head, String name) {
    for (MetricSnapshot s : head.metrics().collect()) {
      if (s.metadata().name().equals(name)) {
        if (s instanceof CounterSnapshot) {
          return ((CounterSnapshot) s).dataPoints().get(0).value();
        }
        return ((GaugeSnapshot) s).dataPoints().get(0).value();
      }
    }
    throw new AssertionError("no metric " + name);
  }

  private static List<String> samples(Head head, Labels l) {
    Map<Labels, List<String>> d = HeadTestSupport.dump(head, Long.MIN_VALUE, Long.MAX_VALUE, ALL);
    return d.getOrDefault(l, List.of());
  }

  @Test
  void rejectsOlderSampleAsOutOfOrderAndKeepsTheRest() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 2000, 1);
    app.commit();
    StorageException e = assertThrows(StorageException.class, () -> app.append(0, UP, 1000, 5));
    assertEquals(StorageException.Kind.OUT_OF_ORDER, e.kind());
    assertTrue(e.getMessage().startsWith("out of order sample"), e.getMessage());
    app.append(0, UP, 3000, 3); // still usable
    app.commit();
    assertEquals(List.of(HeadTestSupport.sample(2000, 1), HeadTestSupport.sample(3000, 3)), samples(head, UP));
    assertEquals(1.0, metric(head, "prometheus_tsdb_out_of_order_samples"));
    assertEquals(2.0, metric(head, "prometheus_tsdb_head_samples_appended"));
  }

  @Test
  void rejectsOutOfOrderWithinOneBatch() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 2000, 1);
    assertEquals(StorageException.Kind.OUT_OF_ORDER,
        assertThrows(StorageException.class, () -> app.append(0, UP, 1500, 1)).kind());
    app.commit();
    assertEquals(List.of(HeadTestSupport.sample(2000, 1)), samples(head, UP));
  }

  @Test
  void checksEachSeriesAgainstItsNewestPendingSampleAmongOthers() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    Labels a = Labels.of("__name__", "a");
    Labels b = Labels.of("__name__", "b");
    Labels c = Labels.of("__name__", "c");
    app.append(0, a, 1000, 1);
    app.append(0, b, 1000, 1);
    app.append(0, a, 2000, 2); // a repeats: the batch's pending samples get indexed here
    app.append(0, b, 1500, 3);
    app.append(0, c, 1000, 4); // appended after the index was built
    assertEquals(StorageException.Kind.OUT_OF_ORDER,
        assertThrows(StorageException.class, () -> app.append(0, a, 1500, 5)).kind()); // newest is 2000
    assertEquals(StorageException.Kind.DUPLICATE_SAMPLE,
        assertThrows(StorageException.class, () -> app.append(0, b, 1500, 6)).kind());
    assertEquals(StorageException.Kind.OUT_OF_ORDER,
        assertThrows(StorageException.class, () -> app.append(0, c, 900, 7)).kind());
    app.commit();
    assertEquals(List.of(HeadTestSupport.sample(1000, 1), HeadTestSupport.sample(2000, 2)), samples(head, a));
    assertEquals(List.of(HeadTestSupport.sample(1000, 1), HeadTestSupport.sample(1500, 3)), samples(head, b));
    // the next batch starts without index and still sees the committed state
    assertEquals(StorageException.Kind.OUT_OF_ORDER,
        assertThrows(StorageException.class, () -> app.append(0, a, 1999, 8)).kind());
    app.append(0, a, 3000, 9);
    app.commit();
    assertEquals(3, samples(head, a).size());
  }

  @Test
  void rejectsSamplesOlderThanHalfABlockRangeAsOutOfBounds() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 10 * H, 1);
    app.commit();
    Labels other = Labels.of("__name__", "other");
    StorageException e = assertThrows(StorageException.class, () -> app.append(0, other, 9 * H - 1, 1));
    assertEquals(StorageException.Kind.OUT_OF_BOUNDS, e.kind());
    assertTrue(e.getMessage().startsWith("out of bounds"), e.getMessage());
    assertEquals(0, head.numSeries() - 1, "no series created for an out-of-bounds sample");
    app.append(0, other, 9 * H, 1); // exactly the window's start is fine
    app.commit();
    assertEquals(1.0, metric(head, "prometheus_tsdb_out_of_bound_samples"));
  }

  @Test
  void placesFirstBatchWindowAtItsFirstSampleLikeInitAppender() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 10 * H, 1);
    assertEquals(StorageException.Kind.OUT_OF_BOUNDS, assertThrows(StorageException.class,
        () -> app.append(0, Labels.of("__name__", "b"), 9 * H - 1, 1)).kind());
  }

  @Test
  void rejectsDifferentValueAtSameTimestampButAcceptsIdenticalOne() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    long ref = app.append(0, UP, 1000, 1.5);
    app.commit();
    StorageException e = assertThrows(StorageException.class, () -> app.append(ref, UP, 1000, 2.5));
    assertEquals(StorageException.Kind.DUPLICATE_SAMPLE, e.kind());
    assertTrue(e.getMessage().startsWith("duplicate sample for timestamp"), e.getMessage());
    assertEquals(ref, app.append(ref, UP, 1000, 1.5));
    app.commit();
    assertEquals(List.of(HeadTestSupport.sample(1000, 1.5)), samples(head, UP));
    assertEquals(1.0, metric(head, "prometheus_tsdb_head_samples_appended"));
  }

  @Test
  void treatsStaleMarkerAndOrdinaryNaNAsDifferentValues() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 1000, Double.longBitsToDouble(0x7ff8000000000001L));
    app.commit();
    assertEquals(StorageException.Kind.DUPLICATE_SAMPLE, assertThrows(StorageException.class,
        () -> app.append(0, UP, 1000, Double.longBitsToDouble(0x7ff0000000000002L))).kind());
  }

  @Test
  void rollbackDropsBatchButKeepsAppenderUsable() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 1000, 1);
    app.commit();
    app.append(0, UP, 2000, 2);
    app.append(0, Labels.of("__name__", "new"), 2000, 2);
    app.rollback();
    assertEquals(List.of(HeadTestSupport.sample(1000, 1)), samples(head, UP));
    assertEquals(1, HeadTestSupport.dump(head, 0, Long.MAX_VALUE, ALL).size());
    app.append(0, UP, 2000, 3); // the rolled-back timestamp is free again
    app.commit();
    assertEquals(List.of(HeadTestSupport.sample(1000, 1), HeadTestSupport.sample(2000, 3)), samples(head, UP));
  }

  @Test
  void returnsRefUsableWithoutLabels() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    long ref = app.append(0, UP, 1000, 1);
    assertNotEquals(0, ref);
    assertEquals(ref, app.append(ref, null, 2000, 2));
    app.commit();
    assertEquals(2, samples(head, UP).size());
  }

  @Test
  void rejectsEmptyLabelSet() {
    Head head = new Head(HeadOptions.defaults());
    StorageException e = assertThrows(StorageException.class,
        () -> head.appender().append(0, Labels.empty(), 1000, 1));
    assertEquals(StorageException.Kind.OTHER, e.kind());
    assertTrue(e.getMessage().contains("empty labelset"));
  }

  @Test
  void readersSeeNothingBeforeCommit() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 1000, 1);
    assertEquals(Map.of(), HeadTestSupport.dump(head, 0, Long.MAX_VALUE, ALL));
    app.commit();
    assertEquals(1, HeadTestSupport.dump(head, 0, Long.MAX_VALUE, ALL).size());
  }

  @Test
  void logsSeriesAndSamplesBeforeApplyingThem() {
    List<String> seen = new ArrayList<>();
    Head[] holder = new Head[1];
    Head head = new Head(HeadOptions.defaults(), new HeadLog() {
      @Override
      public void logSeries(long[] refs, Labels[] labels, int count) {
        for (int i = 0; i < count; i++) {
          seen.add("series " + refs[i] + " " + labels[i]);
        }
      }

      @Override
      public void logSamples(long[] refs, long[] ts, double[] vs, int count) {
        for (int i = 0; i < count; i++) {
          seen.add("sample " + refs[i] + " " + ts[i] + " " + vs[i]);
        }
        // nothing applied yet
        seen.add("visible " + HeadTestSupport.dump(holder[0], 0, Long.MAX_VALUE, ALL).size());
      }
    });
    holder[0] = head;
    Appender app = head.appender();
    long ref = app.append(0, UP, 1000, 1);
    app.commit();
    assertEquals(List.of("series " + ref + " " + UP, "sample " + ref + " 1000 1.0", "visible 0"), seen);
  }

  @Test
  void dropsBatchWhenLogFails() {
    boolean[] fail = {true};
    Head head = new Head(HeadOptions.defaults(), new HeadLog() {
      @Override
      public void logSeries(long[] refs, Labels[] labels, int count) {}

      @Override
      public void logSamples(long[] refs, long[] ts, double[] vs, int count) {
        if (fail[0]) {
          throw new IllegalStateException("disk full");
        }
      }
    });
    Appender app = head.appender();
    app.append(0, UP, 1000, 1);
    StorageException e = assertThrows(StorageException.class, app::commit);
    assertTrue(e.getMessage().contains("disk full"));
    assertEquals(Map.of(), HeadTestSupport.dump(head, 0, Long.MAX_VALUE, ALL));
    fail[0] = false;
    app.append(0, UP, 1000, 1);
    app.commit();
    assertEquals(1, samples(head, UP).size());
  }

  @Test
  void replayCreatesSeriesWithGivenRefAndAppendsWithoutLog() {
    List<String> logged = new ArrayList<>();
    Head head = new Head(HeadOptions.defaults(), new HeadLog() {
      @Override
      public void logSeries(long[] refs, Labels[] labels, int count) {
        logged.add("series");
      }

      @Override
      public void logSamples(long[] refs, long[] ts, double[] vs, int count) {
        logged.add("samples");
      }
    });
    assertEquals(42, head.replaySeries(42, UP));
    assertEquals(42, head.replaySeries(7, UP), "known labels keep their ref");
    assertTrue(head.replaySample(42, 1000, 1));
    assertTrue(head.replaySample(42, 1000, 1));
    assertEquals(false, head.replaySample(42, 500, 1));
    assertEquals(false, head.replaySample(99, 500, 1));
    assertEquals(List.of(), logged);
    long ref = head.appender().append(0, Labels.of("__name__", "next"), 2000, 1);
    assertTrue(ref > 42, "new refs continue after replayed ones: " + ref);
    assertEquals(List.of(HeadTestSupport.sample(1000, 1)), samples(head, UP));
  }

  @Test
  void exposesPrometheusHeadMetricNames() {
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    app.append(0, UP, 1000, 1);
    app.append(0, Labels.of("__name__", "b"), 5000, 1);
    app.commit();
    assertEquals(2.0, metric(head, "prometheus_tsdb_head_series"));
    assertEquals(2.0, metric(head, "prometheus_tsdb_head_series_created"));
    assertEquals(2.0, metric(head, "prometheus_tsdb_head_chunks"));
    assertEquals(1000.0, metric(head, "prometheus_tsdb_head_min_time"));
    assertEquals(5000.0, metric(head, "prometheus_tsdb_head_max_time"));
    assertEquals(0.0, metric(head, "prometheus_tsdb_head_truncations"));
    for (MetricSnapshot s : head.metrics().collect()) {
      if (s.metadata().name().equals("prometheus_tsdb_head_samples_appended")) {
        assertEquals("float", ((CounterSnapshot) s).dataPoints().get(0).labels().get("type"));
      }
    }
  }

  @Test
  void refusesUseAfterClose() {
    Head head = new Head(HeadOptions.defaults());
    head.close();
    assertThrows(IllegalStateException.class, head::appender);
    assertThrows(IllegalStateException.class, () -> head.querier(0, 1));
    try (Querier q = new Head(HeadOptions.defaults()).querier(0, 1)) {
      assertEquals(List.of(), q.labelNames());
    }
  }
}
