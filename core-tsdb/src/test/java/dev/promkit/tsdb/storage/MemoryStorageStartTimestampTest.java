package dev.promkit.tsdb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import org.junit.jupiter.api.Test;

class MemoryStorageStartTimestampTest {
  @Test
  void iteratorReturnsTheStartTimestampAppendedWithEachSample() {
    MemoryStorage s = new MemoryStorage();
    Appender a = s.appender();
    Labels l = Labels.of("__name__", "c_total");
    a.append(0, l, 500, 1_000, 1.0);
    a.append(0, l, 2_000, 1.5);
    a.commit();
    SeriesSet set = s.querier(0, 10_000).select(true, null, LabelMatcher.eq("__name__", "c_total"));
    set.next();
    ChunkIterator it = set.at().iterator(null);
    assertEquals(ValueType.FLOAT, it.next());
    assertEquals(500, it.atST());
    assertEquals(ValueType.FLOAT, it.next());
    assertEquals(0, it.atST(), "a sample appended without start timestamp has 0 (unknown)");
  }
}
