package dev.promkit.tsdb.block;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunks.ChunkMeta;
import dev.promkit.tsdb.chunks.ChunkReader;
import dev.promkit.tsdb.index.IndexReader;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.Series;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.tombstones.Intervals;
import dev.promkit.tsdb.tombstones.Tombstones;
import dev.promkit.tsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A persisted block opened for reading: meta.json, the memory-mapped index and chunk segments.
 * Damaged files surface as {@link dev.promkit.tsdb.chunks.CorruptionException} naming file and
 * offset: on open for headers, TOC, symbols and tables; from {@link SeriesSet#err()} or
 * {@link ChunkIterator#err()} for series, postings and chunks read during a query.
 */
public final class Block implements Queryable, AutoCloseable {
  private final Path dir;
  private final BlockMeta meta;
  private final IndexReader index;
  private final ChunkReader chunks;
  // Replaced whole by delete (copy on write): a querier keeps the version it started with.
  private volatile Tombstones stones;

  private Block(Path dir, BlockMeta meta, IndexReader index, ChunkReader chunks, Tombstones stones) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.stones = stones;
  }

  /** Opens a block directory, with the deletions recorded in its {@code tombstones} file. */
  public static Block open(Path dir) throws IOException {
    BlockMeta meta = BlockMeta.read(dir);
    Tombstones stones = TombstonesFile.read(dir.resolve(TombstonesFile.NAME));
    IndexReader index = IndexReader.open(dir.resolve("index"));
    ChunkReader chunks = ChunkReader.open(dir.resolve("chunks"));
    return new Block(dir, meta, index, chunks, stones);
  }

  /** The block's deletions by index series ref (do not modify; {@link #delete} replaces them). */
  public Tombstones tombstones() {
    return stones;
  }

  /**
   * Marks the samples in [mint, maxt] of every series matching all matchers as deleted, as Prometheus
   * does: per series the interval is clipped to the series' time range and recorded only when one of
   * its chunks overlaps it. The {@code tombstones} file is replaced atomically before queries see
   * the deletion.
   *
   * @return the number of series that got a tombstone
   * @throws IOException if the tombstones file cannot be written (nothing changes then)
   */
  public synchronized int delete(long mint, long maxt, LabelMatcher... matchers) throws IOException {
    if (mint > maxt) {
      return 0;
    }
    Tombstones next = new Tombstones();
    next.addAll(stones);
    int n = 0;
    List<ChunkMeta> metas = new ArrayList<>();
    for (int id : new BlockQuerier(mint, maxt).candidates(matchers)) {
      Labels l = index.series(id, metas);
      if (!matchAll(l, matchers) || metas.isEmpty()) {
        continue;
      }
      for (ChunkMeta m : metas) {
        if (m.minTime() <= maxt && m.maxTime() >= mint) {
          next.add(id, Math.max(mint, metas.get(0).minTime()), Math.min(maxt, metas.get(metas.size() - 1).maxTime()));
          n++;
          break;
        }
      }
    }
    if (n > 0) {
      TombstonesFile.replace(dir, next);
      stones = next;
    }
    return n;
  }

  /** The block's meta.json. */
  public BlockMeta meta() {
    return meta;
  }

  /** The block's directory. */
  public Path dir() {
    return dir;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new BlockQuerier(mint, maxt);
  }

  @Override
  public void close() {
    index.close();
    chunks.close();
  }

  private final class BlockQuerier implements Querier {
    private final long mint;
    private final long maxt;

    BlockQuerier(long mint, long maxt) {
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, LabelMatcher... matchers) {
      try {
        List<Series> out = new ArrayList<>();
        List<ChunkMeta> metas = new ArrayList<>();
        Tombstones deleted = stones;
        for (int id : candidates(matchers)) { // IDs ascend in label order: output is sorted
          Labels l = index.series(id, metas);
          if (!matchAll(l, matchers)) {
            continue;
          }
          Intervals iv = deleted.get(id);
          List<ChunkMeta> in = new ArrayList<>();
          for (ChunkMeta m : metas) {
            if (m.overlaps(mint, maxt) && !iv.covers(m.minTime(), m.maxTime())) {
              in.add(m);
            }
          }
          if (!in.isEmpty()) {
            out.add(new BlockSeries(l, in.toArray(new ChunkMeta[0]), iv));
          }
        }
        return SeriesSet.of(out);
      } catch (RuntimeException e) {
        return SeriesSet.error(e);
      }
    }

    /** Series IDs that may match: the intersection over matchers that reject the empty value. */
    private int[] candidates(LabelMatcher... matchers) {
      int[] result = null;
      for (LabelMatcher m : matchers) {
        if (m.matchesEmpty()) {
          continue; // may match series without the label: checked per series
        }
        int[] u;
        if (m.type() == LabelMatcher.Type.EQ) {
          u = index.postings(m.name(), m.value());
        } else {
          TreeSet<Integer> set = new TreeSet<>();
          for (String v : index.labelValues(m.name())) {
            if (m.matches(v)) {
              for (int id : index.postings(m.name(), v)) {
                set.add(id);
              }
            }
          }
          u = set.stream().mapToInt(Integer::intValue).toArray();
        }
        result = result == null ? u : intersect(result, u);
      }
      return result == null ? index.allPostings() : result;
    }

    @Override
    public List<String> labelNames(LabelMatcher... matchers) {
      if (matchers.length == 0) {
        return index.labelNames();
      }
      TreeSet<String> names = new TreeSet<>();
      SeriesSet s = select(false, null, matchers);
      while (s.next()) {
        s.at().labels().forEach((n, v) -> names.add(n));
      }
      rethrow(s);
      return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, LabelMatcher... matchers) {
      if (matchers.length == 0) {
        return index.labelValues(name);
      }
      TreeSet<String> values = new TreeSet<>();
      SeriesSet s = select(false, null, matchers);
      while (s.next()) {
        String v = s.at().labels().get(name);
        if (v != null && !v.isEmpty()) {
          values.add(v);
        }
      }
      rethrow(s);
      return new ArrayList<>(values);
    }

    @Override
    public void close() {}

    private final class BlockSeries implements Series {
      private final Labels labels;
      private final ChunkMeta[] metas;
      private final Intervals deleted;

      BlockSeries(Labels labels, ChunkMeta[] metas, Intervals deleted) {
        this.labels = labels;
        this.metas = metas;
        this.deleted = deleted;
      }

      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public ChunkIterator iterator(ChunkIterator reuse) {
        ChunkIterator it = new BlockSeriesIterator(metas, mint, maxt);
        return deleted.isEmpty() ? it : new DeletedSamplesIterator(it, deleted);
      }
    }
  }

  /** Samples of a series across its chunks, clipped to [mint, maxt]; chunks load lazily. */
  private final class BlockSeriesIterator implements ChunkIterator {
    private final ChunkMeta[] metas;
    private final long mint;
    private final long maxt;
    private int next;
    private ChunkIterator cur;
    private Throwable err;

    BlockSeriesIterator(ChunkMeta[] metas, long mint, long maxt) {
      this.metas = metas;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public ValueType next() {
      while (err == null) {
        if (cur == null) {
          if (next >= metas.length) {
            return ValueType.NONE;
          }
          try {
            cur = chunks.chunk(metas[next++].ref()).iterator(cur);
          } catch (RuntimeException e) {
            err = e;
            return ValueType.NONE;
          }
        }
        ValueType v = cur.next();
        if (v == ValueType.NONE) {
          if (cur.err() != null) {
            err = cur.err();
            return ValueType.NONE;
          }
          cur = null;
          continue;
        }
        long t = cur.atT();
        if (t < mint) {
          continue;
        }
        if (t > maxt) {
          next = metas.length;
          cur = null;
          return ValueType.NONE;
        }
        return v;
      }
      return ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      if (cur != null && cur.atT() >= t) {
        return ValueType.FLOAT;
      }
      while (cur == null && next < metas.length && metas[next].maxTime() < t) {
        next++; // skip whole chunks before t
      }
      ValueType v;
      while ((v = next()) != ValueType.NONE) {
        if (cur.atT() >= t) {
          return v;
        }
      }
      return ValueType.NONE;
    }

    @Override
    public long atT() {
      return cur.atT();
    }

    @Override
    public double atV() {
      return cur.atV();
    }

    @Override
    public Throwable err() {
      return err;
    }
  }

  private static boolean matchAll(Labels l, LabelMatcher[] matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(l)) {
        return false;
      }
    }
    return true;
  }

  private static int[] intersect(int[] a, int[] b) {
    int[] out = new int[Math.min(a.length, b.length)];
    int n = 0;
    for (int i = 0, j = 0; i < a.length && j < b.length; ) {
      if (a[i] < b[j]) {
        i++;
      } else if (a[i] > b[j]) {
        j++;
      } else {
        out[n++] = a[i];
        i++;
        j++;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static void rethrow(SeriesSet s) {
    if (s.err() instanceof RuntimeException) {
      throw (RuntimeException) s.err();
    } else if (s.err() != null) {
      throw new IllegalStateException(s.err());
    }
  }

  @Override
  public String toString() {
    return "Block[" + dir + ", " + meta.ulid() + "]";
  }
}
