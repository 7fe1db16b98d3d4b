package dev.promkit.tsdb.db;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.Series;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A querier over several sources (the head and blocks, blocks overlapping one another): series with
 * equal labels are merged into one, their samples ordered by timestamp, a timestamp present in
 * several sources returned once (the first source's sample). Series come out sorted by labels.
 */
public final class MergeQuerier implements Querier {
  private final List<Querier> sources;

  /** Merges these queriers, which this querier closes; earlier sources win on equal timestamps. */
  public MergeQuerier(List<Querier> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, LabelMatcher... matchers) {
    // Merging needs the labels of all sources side by side anyway, so the result is always sorted.
    TreeMap<Labels, List<Series>> byLabels = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    for (Querier q : sources) {
      SeriesSet set = q.select(true, hints, matchers);
      while (set.next()) {
        Series s = set.at();
        byLabels.computeIfAbsent(s.labels(), k -> new ArrayList<>(2)).add(s);
      }
      if (set.err() != null) {
        return SeriesSet.error(set.err());
      }
      warnings.addAll(set.warnings());
    }
    List<Series> out = new ArrayList<>(byLabels.size());
    for (Map.Entry<Labels, List<Series>> e : byLabels.entrySet()) {
      List<Series> ss = e.getValue();
      out.add(ss.size() == 1 ? ss.get(0) : new MergedSeries(e.getKey(), ss));
    }
    SeriesSet base = SeriesSet.of(out);
    if (warnings.isEmpty()) {
      return base;
    }
    List<String> ws = List.copyOf(warnings);
    return new SeriesSet() {
      @Override
      public boolean next() {
        return base.next();
      }

      @Override
      public Series at() {
        return base.at();
      }

      @Override
      public List<String> warnings() {
        return ws;
      }
    };
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    TreeSet<String> all = new TreeSet<>();
    for (Querier q : sources) {
      all.addAll(q.labelNames(matchers));
    }
    return List.copyOf(all);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    TreeSet<String> all = new TreeSet<>();
    for (Querier q : sources) {
      all.addAll(q.labelValues(name, matchers));
    }
    return List.copyOf(all);
  }

  @Override
  public void close() {
    for (Querier q : sources) {
      q.close();
    }
  }

  private static final class MergedSeries implements Series {
    private final Labels labels;
    private final List<Series> parts;

    MergedSeries(Labels labels, List<Series> parts) {
      this.labels = labels;
      this.parts = parts;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public ChunkIterator iterator(ChunkIterator reuse) {
      ChunkIterator[] its = new ChunkIterator[parts.size()];
      for (int i = 0; i < its.length; i++) {
        its[i] = parts.get(i).iterator(null);
      }
      return new MergeIterator(its);
    }
  }

  /**
   * Merges iterators by timestamp; all iterators positioned on the current timestamp advance
   * together, which drops duplicates. Few sources (head + a handful of blocks): a linear scan beats a heap.
   */
  static final class MergeIterator implements ChunkIterator {
    private final ChunkIterator[] its;
    private final ValueType[] state; // null: not started
    private int cur = -1; // index of the iterator holding the current sample, -1 before start
    private boolean done;
    private Throwable err;

    MergeIterator(ChunkIterator[] its) {
      this.its = its;
      this.state = new ValueType[its.length];
    }

    @Override
    public ValueType next() {
      if (done) {
        return ValueType.NONE;
      }
      if (cur < 0) {
        for (int i = 0; i < its.length; i++) {
          state[i] = its[i].next();
        }
      } else {
        long t = its[cur].atT();
        for (int i = 0; i < its.length; i++) {
          if (state[i] != ValueType.NONE && its[i].atT() == t) {
            state[i] = its[i].next();
          }
        }
      }
      return pick();
    }

    @Override
    public ValueType seek(long t) {
      if (done) {
        return ValueType.NONE;
      }
      if (cur >= 0 && its[cur].atT() >= t) {
        return state[cur];
      }
      for (int i = 0; i < its.length; i++) {
        if (state[i] != ValueType.NONE) {
          state[i] = its[i].seek(t);
        }
      }
      return pick();
    }

    private ValueType pick() {
      int best = -1;
      long bestT = Long.MAX_VALUE;
      for (int i = 0; i < its.length; i++) {
        if (state[i] == ValueType.NONE) {
          if (err == null && its[i].err() != null) {
            err = its[i].err();
          }
          continue;
        }
        long t = its[i].atT();
        if (best < 0 || t < bestT) {
          best = i;
          bestT = t;
        }
      }
      if (best < 0 || err != null) {
        done = true;
        return ValueType.NONE;
      }
      cur = best;
      return state[best];
    }

    @Override
    public long atT() {
      return its[cur].atT();
    }

    @Override
    public double atV() {
      return its[cur].atV();
    }

    @Override
    public long atST() {
      return its[cur].atST();
    }

    @Override
    public Throwable err() {
      return err;
    }
  }
}
