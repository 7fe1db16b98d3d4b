package dev.promkit.tsdb.storage;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A simple, unoptimised in-memory storage: a reference model for tests and a fixture that lets
 * core-promql run without a disk. Samples are kept per series in timestamp order, with their start
 * timestamp (0 when unknown); a later append at the same timestamp replaces the value (no
 * out-of-order checks).
 */
public final class MemoryStorage implements Queryable, Appendable {
  /** A stored value and its start timestamp. */
  private record Point(double v, long st) {}

  private final ConcurrentSkipListMap<Labels, TreeMap<Long, Point>> series = new ConcurrentSkipListMap<>();

  @Override
  public Appender appender() {
    return new Appender() {
      private final List<Object[]> pending = new ArrayList<>();

      @Override
      public long append(long ref, Labels labels, long t, double v) {
        return append(ref, labels, 0, t, v);
      }

      @Override
      public long append(long ref, Labels labels, long st, long t, double v) {
        pending.add(new Object[] {labels, t, new Point(v, st)});
        return 0;
      }

      @Override
      public void commit() {
        synchronized (series) {
          for (Object[] p : pending) {
            series.computeIfAbsent((Labels) p[0], k -> new TreeMap<>()).put((Long) p[1], (Point) p[2]);
          }
        }
        pending.clear();
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, LabelMatcher... matchers) {
        List<Series> out = new ArrayList<>();
        synchronized (series) {
          for (Map.Entry<Labels, TreeMap<Long, Point>> e : series.entrySet()) {
            if (!matchesAll(e.getKey(), matchers)) {
              continue;
            }
            Map<Long, Point> sub = e.getValue().subMap(mint, true, maxt, true);
            if (sub.isEmpty()) {
              continue;
            }
            long[] ts = new long[sub.size()];
            double[] vs = new double[sub.size()];
            long[] sts = new long[sub.size()];
            int i = 0;
            for (Map.Entry<Long, Point> s : sub.entrySet()) {
              ts[i] = s.getKey();
              sts[i] = s.getValue().st();
              vs[i++] = s.getValue().v();
            }
            Labels l = e.getKey();
            out.add(new Series() {
              @Override
              public Labels labels() {
                return l;
              }

              @Override
              public ChunkIterator iterator(ChunkIterator reuse) {
                return new ArrayIterator(ts, vs, sts);
              }
            });
          }
        }
        return SeriesSet.of(out);
      }

      @Override
      public List<String> labelNames(LabelMatcher... matchers) {
        TreeSet<String> names = new TreeSet<>();
        synchronized (series) {
          for (Labels l : series.keySet()) {
            if (matchesAll(l, matchers)) {
              for (int i = 0; i < l.size(); i++) {
                names.add(l.name(i));
              }
            }
          }
        }
        return new ArrayList<>(names);
      }

      @Override
      public List<String> labelValues(String name, LabelMatcher... matchers) {
        TreeSet<String> values = new TreeSet<>();
        synchronized (series) {
          for (Labels l : series.keySet()) {
            if (matchesAll(l, matchers) && l.has(name)) {
              values.add(l.get(name));
            }
          }
        }
        return new ArrayList<>(values);
      }

      @Override
      public void close() {}
    };
  }

  private static boolean matchesAll(Labels l, LabelMatcher[] matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(l)) {
        return false;
      }
    }
    return true;
  }

  /** Iterates parallel timestamp and value arrays. */
  static final class ArrayIterator implements ChunkIterator {
    private final long[] ts;
    private final double[] vs;
    private final long[] sts;
    private int i = -1;

    ArrayIterator(long[] ts, double[] vs, long[] sts) {
      this.ts = ts;
      this.vs = vs;
      this.sts = sts;
    }

    @Override
    public ValueType next() {
      if (i + 1 >= ts.length) {
        i = ts.length;
        return ValueType.NONE;
      }
      i++;
      return ValueType.FLOAT;
    }

    @Override
    public ValueType seek(long t) {
      if (i < 0) {
        i = 0;
      }
      if (i >= ts.length) {
        return ValueType.NONE;
      }
      if (ts[i] >= t) {
        return ValueType.FLOAT;
      }
      int p = Arrays.binarySearch(ts, i, ts.length, t);
      i = p >= 0 ? p : -p - 1;
      return i < ts.length ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public long atT() {
      return ts[i];
    }

    @Override
    public double atV() {
      return vs[i];
    }

    @Override
    public long atST() {
      return sts[i];
    }
  }
}
