package dev.promkit.tsdb.head;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class HeadTestSupport {
  private HeadTestSupport() {}

  /** labels -> "t=bits" strings, in series order, for exact comparisons. */
  static Map<Labels, List<String>> dump(Queryable q, long mint, long maxt, LabelMatcher... ms) {
    Map<Labels, List<String>> out = new LinkedHashMap<>();
    try (Querier querier = q.querier(mint, maxt)) {
      SeriesSet set = querier.select(true, null, ms);
      ChunkIterator reuse = null;
      while (set.next()) {
        reuse = set.at().iterator(reuse);
        List<String> samples = new ArrayList<>();
        while (reuse.next() == ValueType.FLOAT) {
          samples.add(sample(reuse.atT(), reuse.atV()));
        }
        if (reuse.err() != null) {
          throw new AssertionError(reuse.err());
        }
        out.put(set.at().labels(), samples);
      }
      if (set.err() != null) {
        throw new AssertionError(set.err());
      }
    }
    return out;
  }

  static String sample(long t, double v) {
    return t + "=" + Long.toHexString(Double.doubleToRawLongBits(v));
  }
}
