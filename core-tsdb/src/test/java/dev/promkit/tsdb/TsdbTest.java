package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import org.junit.jupiter.api.Test;

class TsdbTest {
  @Test
  void appendsAndQueriesInMemory() {
    try (Tsdb db = Tsdb.inMemory()) {
      Appender app = db.appender();
      app.append(0, Labels.of("__name__", "up", "job", "b"), 1000, 1);
      app.append(0, Labels.of("__name__", "up", "job", "a"), 1000, 0);
      app.commit();
      try (Querier q = db.querier(0, 2000)) {
        SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "up"));
        assertTrue(set.next());
        assertEquals("a", set.at().labels().get("job"), "sorted by labels");
        ChunkIterator it = set.at().iterator(null);
        assertEquals(ValueType.FLOAT, it.next());
        assertEquals(0.0, it.atV());
        assertTrue(set.next());
        assertEquals(false, set.next());
      }
    }
  }

  @Test
  void registersAndUnregistersMetrics() {
    Registry registry = new Registry();
    Tsdb db = Tsdb.open(TsdbOptions.defaults().withRegistry(registry));
    boolean found = false;
    for (MetricSnapshot s : registry.scrape()) {
      found |= s.metadata().name().equals("prometheus_tsdb_head_samples_appended");
    }
    assertTrue(found);
    db.close();
    assertEquals(0, registry.scrape().size());
    assertThrows(IllegalStateException.class, db::appender);
  }

  @Test
  void rejectsNonPositiveBlockRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TsdbOptions.defaults().withBlockRange(0));
    assertTrue(e.getMessage().contains("chunkRange"));
  }
}
