package dev.promkit.tsdb;

import dev.promkit.tsdb.block.DeletedSamplesIterator;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.Series;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.tombstones.Intervals;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deletions in the head, by series labels: queries over the head hide the samples they cover, and
 * head compaction (which reads through them) leaves those samples out of the block. Truncating the
 * head forgets the parts before the new minimum time.
 */
final class HeadTombstones {
  private final Map<Labels, Intervals> byLabels = new ConcurrentHashMap<>();

  void add(Labels labels, long mint, long maxt) {
    byLabels.compute(labels, (k, v) -> (v == null ? Intervals.EMPTY : v).add(mint, maxt));
  }

  boolean isEmpty() {
    return byLabels.isEmpty();
  }

  Intervals get(Labels labels) {
    Intervals iv = byLabels.get(labels);
    return iv == null ? Intervals.EMPTY : iv;
  }

  void truncate(long mint) {
    byLabels.replaceAll((k, v) -> v.dropBefore(mint));
    byLabels.values().removeIf(Intervals::isEmpty);
  }

  /** {@code q} with the deleted samples hidden; series left without samples are skipped. */
  Querier filter(Querier q) {
    if (byLabels.isEmpty()) {
      return q;
    }
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, LabelMatcher... matchers) {
        return filter(q.select(sorted, hints, matchers));
      }

      @Override
      public List<String> labelNames(LabelMatcher... matchers) {
        return q.labelNames(matchers);
      }

      @Override
      public List<String> labelValues(String name, LabelMatcher... matchers) {
        return q.labelValues(name, matchers);
      }

      @Override
      public void close() {
        q.close();
      }
    };
  }

  private SeriesSet filter(SeriesSet in) {
    return new SeriesSet() {
      private Series cur;

      @Override
      public boolean next() {
        while (in.next()) {
          Series s = in.at();
          Intervals iv = get(s.labels());
          if (iv.isEmpty()) {
            cur = s;
            return true;
          }
          Series f = new Series() {
            @Override
            public Labels labels() {
              return s.labels();
            }

            @Override
            public ChunkIterator iterator(ChunkIterator reuse) {
              return new DeletedSamplesIterator(s.iterator(null), iv);
            }
          };
          ChunkIterator probe = f.iterator(null);
          if (probe.next() != ValueType.NONE || probe.err() != null) { // a series whose samples are all deleted is gone
            cur = f;
            return true;
          }
        }
        return false;
      }

      @Override
      public Series at() {
        return cur;
      }

      @Override
      public Throwable err() {
        return in.err();
      }

      @Override
      public List<String> warnings() {
        return in.warnings();
      }
    };
  }
}
