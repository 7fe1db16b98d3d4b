package dev.promkit.tsdb.db;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.Series;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
    if (sources.size() == 1) {
      return sources.get(0).select(true, hints, matchers);
    }
    SeriesSet[] sets = new SeriesSet[sources.size()];
    for (int i = 0; i < sets.length; i++) {
      sets[i] = sources.get(i).select(true, hints, matchers);
    }
    return new MergedSet(sets);
  }

  /**
   * A lazy k-way merge of sorted sets: nothing is collected or sorted up front, and a source that
   * is exhausted (often the head, when the query reads only blocks) costs nothing per series.
   */
  private static final class MergedSet implements SeriesSet {
    private final SeriesSet[] sets;
    private final Series[] heads; // each set's current series, null once exhausted
    private final List<Series> same = new ArrayList<>(2);
    private boolean started;
    private Series cur;
    private Throwable err;

    MergedSet(SeriesSet[] sets) {
      this.sets = sets;
      this.heads = new Series[sets.length];
    }

    @Override
    public boolean next() {
      if (err != null) {
        return false;
      }
      if (!started) {
        started = true;
        for (int i = 0; i < sets.length; i++) {
          if (!advance(i)) {
            return false;
          }
        }
      }
      Labels min = null;
      int live = 0;
      int only = -1;
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] != null) {
          live++;
          only = i;
          Labels l = heads[i].labels();
          if (min == null || l.compareTo(min) < 0) {
            min = l;
          }
        }
      }
      if (live == 0) {
        cur = null;
        return false;
      }
      if (live == 1) { // one source left: no comparisons, no merging
        cur = heads[only];
        return advance(only);
      }
      same.clear();
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] != null && heads[i].labels().equals(min)) {
          same.add(heads[i]); // source order: earlier sources win on equal timestamps
          if (!advance(i)) {
            return false;
          }
        }
      }
      cur = same.size() == 1 ? same.get(0) : new MergedSeries(min, List.copyOf(same));
      return true;
    }

    /** Moves source i on; false only when it failed (then {@link #err} is set). */
    private boolean advance(int i) {
      if (sets[i].next()) {
        heads[i] = sets[i].at();
        return true;
      }
      heads[i] = null;
      if (sets[i].err() != null) {
        err = sets[i].err();
        cur = null;
        return false;
      }
      return true;
    }

    @Override
    public Series at() {
      return cur;
    }

    @Override
    public Throwable err() {
      return err;
    }

    @Override
    public List<String> warnings() {
      List<String> ws = new ArrayList<>();
      for (SeriesSet s : sets) {
        ws.addAll(s.warnings());
      }
      return ws;
    }
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    List<List<String>> lists = new ArrayList<>(sources.size());
    for (Querier q : sources) {
      lists.add(q.labelNames(matchers));
    }
    return union(lists);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    List<List<String>> lists = new ArrayList<>(sources.size());
    for (Querier q : sources) {
      lists.add(q.labelValues(name, matchers));
    }
    return union(lists);
  }

  /** The sorted union of sorted lists; when only one is non-empty, a copy of it without sorting. */
  private static List<String> union(List<List<String>> lists) {
    List<String> only = null;
    int nonEmpty = 0;
    for (List<String> l : lists) {
      if (!l.isEmpty()) {
        nonEmpty++;
        only = l;
      }
    }
    if (nonEmpty == 0) {
      return List.of();
    }
    if (nonEmpty == 1) {
      return List.copyOf(only); // List.copyOf returns an unmodifiable list as is
    }
    List<String> acc = List.of();
    for (List<String> l : lists) {
      acc = merge(acc, l);
    }
    return Collections.unmodifiableList(acc);
  }

  /** Merges two sorted distinct lists into one, without sorting or hashing. */
  private static List<String> merge(List<String> a, List<String> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    List<String> out = new ArrayList<>(a.size() + b.size());
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      int c = a.get(i).compareTo(b.get(j));
      if (c <= 0) {
        out.add(a.get(i++));
        if (c == 0) {
          j++;
        }
      } else {
        out.add(b.get(j++));
      }
    }
    out.addAll(a.subList(i, a.size()));
    out.addAll(b.subList(j, b.size()));
    return out;
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

    /**
     * Bulk path: the parts are read one after the other; when their time ranges do not overlap (a
     * series spread over consecutive blocks, the usual case) that is the merge, parts put in time
     * order. Overlapping parts take the merging iterator.
     */
    @Override
    public boolean readFloats(long mint, long maxt, SampleBuffer out) {
      int start = out.size();
      int k = parts.size();
      int[] from = new int[k + 1];
      boolean ordered = true;
      for (int i = 0; i < k; i++) {
        from[i] = out.size();
        if (!parts.get(i).readFloats(mint, maxt, out) || out.startTimes() != null) {
          return fallback(mint, maxt, out, start);
        }
      }
      from[k] = out.size();
      long[] t = out.times();
      // each non-empty part must lie wholly before or after every other one
      for (int i = 0; i < k; i++) {
        if (from[i] == from[i + 1]) {
          continue;
        }
        for (int j = i + 1; j < k; j++) {
          if (from[j] == from[j + 1]) {
            continue;
          }
          if (t[from[j]] <= t[from[i + 1] - 1] && t[from[i]] <= t[from[j + 1] - 1]) {
            return fallback(mint, maxt, out, start);
          }
          if (t[from[j]] < t[from[i]]) {
            ordered = false;
          }
        }
      }
      if (!ordered) {
        reorder(out, start, from);
      }
      return true;
    }

    private boolean fallback(long mint, long maxt, SampleBuffer out, int start) {
      out.setSize(start);
      return Series.super.readFloats(mint, maxt, out);
    }

    /** Puts the disjoint parts {@code [from[i], from[i+1])} of out in time order. */
    private static void reorder(SampleBuffer out, int start, int[] from) {
      int k = from.length - 1;
      Integer[] order = new Integer[k];
      for (int i = 0; i < k; i++) {
        order[i] = i;
      }
      long[] t = out.times();
      double[] v = out.values();
      java.util.Arrays.sort(order, (x, y) -> Long.compare(from[x] == from[x + 1] ? Long.MAX_VALUE : t[from[x]],
          from[y] == from[y + 1] ? Long.MAX_VALUE : t[from[y]]));
      int n = out.size() - start;
      long[] tt = new long[n];
      double[] vv = new double[n];
      int p = 0;
      for (int i : order) {
        int len = from[i + 1] - from[i];
        System.arraycopy(t, from[i], tt, p, len);
        System.arraycopy(v, from[i], vv, p, len);
        p += len;
      }
      System.arraycopy(tt, 0, t, start, n);
      System.arraycopy(vv, 0, v, start, n);
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
