package dev.promkit.tsdb.block;

import dev.promkit.tsdb.chunkenc.Chunk;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.chunks.ChunkMeta;
import dev.promkit.tsdb.chunks.ChunkReader;
import dev.promkit.tsdb.chunks.CorruptionException;
import dev.promkit.tsdb.index.IndexReader;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.tsdb.storage.SampleBuffer;
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

  /**
   * Opens a block directory, checking what can be checked without reading every series: meta.json
   * (present, valid, naming this directory when it is ULID-named, a non-empty time range), the
   * tombstones, the index's header, TOC, symbol and postings offset tables (CRCs), every chunk
   * segment's header, and that the last chunk the index references lies whole inside its segment
   * with a matching CRC (a truncated last segment is found here, not by a query). Files are mapped
   * with their size at open, so no later read goes past their end.
   *
   * @throws CorruptionException naming the damaged file, offset and problem
   * @throws IOException if the directory cannot be read
   */
  public static Block open(Path dir) throws IOException {
    Path metaFile = dir.resolve("meta.json");
    BlockMeta meta;
    try {
      meta = BlockMeta.read(dir);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CorruptionException(metaFile, 0, "missing", e);
    } catch (IOException e) {
      throw new CorruptionException(metaFile, 0, String.valueOf(e.getMessage()).replace(metaFile + ": ", ""), e);
    }
    Path name = dir.getFileName();
    // a ULID-named directory must be this block's (a copy under a temporary name is fine)
    if (name != null && name.toString().length() == 26 && !meta.ulid().equalsIgnoreCase(name.toString())) {
      throw new CorruptionException(metaFile, 0, "meta.json names block " + meta.ulid() + ", not its directory " + name);
    }
    if (meta.minTime() >= meta.maxTime()) {
      throw new CorruptionException(metaFile, 0, "empty time range [" + meta.minTime() + ", " + meta.maxTime() + ")");
    }
    Tombstones stones;
    try {
      stones = TombstonesFile.read(dir.resolve(TombstonesFile.NAME));
    } catch (IOException e) {
      if (e.getCause() instanceof CorruptionException) {
        throw (CorruptionException) e.getCause();
      }
      throw e;
    }
    IndexReader index = IndexReader.open(require(dir.resolve("index")));
    ChunkReader chunks = ChunkReader.open(require(dir.resolve("chunks")));
    probeLastChunk(dir, meta, index, chunks);
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

  private static Path require(Path p) {
    if (!java.nio.file.Files.exists(p)) {
      throw new CorruptionException(p, 0, "missing");
    }
    return p;
  }

  /** Reads the last chunk of the last series: chunks are written in series order, so it ends the last segment. */
  private static void probeLastChunk(Path dir, BlockMeta meta, IndexReader index, ChunkReader chunks) {
    int[] all = index.allPostings();
    if (all.length == 0) {
      return;
    }
    List<ChunkMeta> metas = new ArrayList<>();
    Labels l = index.series(all[all.length - 1], metas);
    if (metas.isEmpty()) {
      return;
    }
    if (chunks.segments() == 0) {
      throw new CorruptionException(dir.resolve("chunks"), 0, "no chunk segment, but the index references chunks");
    }
    long ref = metas.get(metas.size() - 1).ref();
    try {
      chunks.chunk(ref);
    } catch (CorruptionException e) {
      throw chunkError(meta, ref, l, e);
    }
  }

  private static CorruptionException chunkError(BlockMeta meta, long ref, Labels series, CorruptionException e) {
    return new CorruptionException(e.file(), e.offset(), "block " + meta.ulid() + ", chunk ref " + ref + " (segment "
        + ((ref >>> 32) + 1) + ", offset " + (int) ref + ") of series " + series + ": " + e.reason(), e);
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
          Labels l = index.series(id, metas, mint, maxt); // only the chunks overlapping the range
          if (!matchAll(l, matchers)) {
            continue;
          }
          Intervals iv = deleted.get(id);
          int n = 0;
          for (int i = 0, size = metas.size(); i < size; i++) {
            ChunkMeta m = metas.get(i);
            if (m.overlaps(mint, maxt) && !iv.covers(m.minTime(), m.maxTime())) {
              metas.set(n++, m); // compact in place: the list is refilled for the next series
            }
          }
          if (n > 0) {
            // A loop of our own, not subList(0, n).toArray: that JDK method's type-checked copy is shared
            // with every caller in the JVM, and its compiled code was thrown away (a deoptimization)
            // at the server's first real query, after the start-up warm-up had compiled it.
            ChunkMeta[] kept = new ChunkMeta[n];
            for (int i = 0; i < n; i++) {
              kept[i] = metas.get(i);
            }
            out.add(new BlockSeries(l, kept, iv));
          }
        }
        return SeriesSet.of(out);
      } catch (RuntimeException e) {
        return SeriesSet.error(e);
      } catch (InternalError e) { // a fault in the mapping: the file shrank after open
        return SeriesSet.error(new CorruptionException(dir.resolve("index"), 0, "reading the mapped index of block "
            + meta.ulid() + " failed (file truncated while open?): " + e.getMessage(), e));
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
          u = union(m);
        }
        result = result == null ? u : intersect(result, u);
      }
      return result == null ? index.allPostings() : result;
    }

    /** Sorted IDs of the series whose value of the matcher's label it matches. */
    private int[] union(LabelMatcher m) {
      int[] ids = new int[64];
      int n = 0;
      for (String v : index.labelValues(m.name())) {
        if (m.matches(v)) {
          int[] p = index.postings(m.name(), v);
          if (n + p.length > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(2 * ids.length, n + p.length));
          }
          System.arraycopy(p, 0, ids, n, p.length);
          n += p.length;
        }
      }
      // a series has one value per label, so the lists are disjoint: concatenate and sort, no boxing
      Arrays.sort(ids, 0, n);
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (k == 0 || ids[i] != ids[k - 1]) { // drop duplicates all the same should an index repeat an ID
          ids[k++] = ids[i];
        }
      }
      return Arrays.copyOf(ids, k);
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
        BlockSeriesIterator it = reuse instanceof BlockSeriesIterator && ((BlockSeriesIterator) reuse).block() == Block.this
            ? (BlockSeriesIterator) reuse : new BlockSeriesIterator();
        it.reset(labels, metas, mint, maxt);
        return deleted.isEmpty() ? it : new DeletedSamplesIterator(it, deleted);
      }

      /**
       * Bulk path: each XOR chunk overlapping the range is decoded whole straight into {@code out}'s
       * arrays ({@link XorChunk#decodeAll(int, long[], double[], int)}, no scratch copy) and clipped
       * there only when the chunk reaches outside the range. Series with deletions, other encodings and
       * unreadable chunks take the iterator path (which names the failing chunk).
       */
      @Override
      public boolean readFloats(long from, long to, SampleBuffer out) {
        if (!deleted.isEmpty()) {
          return Series.super.readFloats(from, to, out);
        }
        long lo = Math.max(from, mint);
        long hi = Math.min(to, maxt);
        int start = out.size();
        for (ChunkMeta m : metas) {
          if (m.maxTime() < lo) {
            continue;
          }
          if (m.minTime() > hi) {
            break;
          }
          int at;
          int k;
          try {
            Chunk c = chunks.chunk(m.ref());
            if (!(c instanceof XorChunk)) {
              out.setSize(start);
              return Series.super.readFloats(from, to, out);
            }
            XorChunk x = (XorChunk) c;
            k = x.numSamples();
            at = out.reserve(k);
            k = x.decodeAll(k, out.times(), out.values(), at);
          } catch (RuntimeException | InternalError e) { // the iterator path reports it with the chunk named
            out.setSize(start);
            return Series.super.readFloats(from, to, out);
          }
          out.setSizeWithin(at, k, lo, hi);
        }
        return true;
      }
    }
  }

  /**
   * Samples of a series across its chunks, clipped to [mint, maxt]; chunks load lazily. Reusable
   * across series of this block: the chunk iterator (with its decode buffers) is kept and reused.
   */
  private final class BlockSeriesIterator implements ChunkIterator {
    private Labels labels;
    private ChunkMeta[] metas;
    private long mint;
    private long maxt;
    private int next;
    private ChunkIterator cur;
    private ChunkIterator spare; // the last chunk's iterator, handed back to the next chunk
    private boolean clip; // the current chunk reaches outside [mint, maxt]: check each sample
    private Throwable err;

    Block block() {
      return Block.this;
    }

    void reset(Labels labels, ChunkMeta[] metas, long mint, long maxt) {
      this.labels = labels;
      this.metas = metas;
      this.mint = mint;
      this.maxt = maxt;
      this.next = 0;
      if (cur != null) {
        spare = cur;
        cur = null;
      }
      this.err = null;
    }

    /** Loads the next chunk into {@link #cur}; false (with {@link #err} set) when it cannot be read. */
    private boolean load() {
      ChunkMeta m = metas[next++];
      long ref = m.ref();
      try {
        cur = chunks.chunk(ref).iterator(spare);
      } catch (CorruptionException e) { // name block, series and chunk ref, not just file and offset
        err = chunkError(meta, ref, labels, e);
        return false;
      } catch (RuntimeException e) {
        err = e;
        return false;
      } catch (InternalError e) { // a fault in the mapping: the segment shrank after open
        err = new CorruptionException(dir.resolve("chunks"), 0, "block " + meta.ulid() + ", chunk ref " + ref
            + " of series " + labels + ": reading the mapped segment failed (file truncated while open?): "
            + e.getMessage(), e);
        return false;
      }
      spare = null;
      clip = m.minTime() < mint || m.maxTime() > maxt;
      return true;
    }

    /** The current chunk is exhausted: false (with {@link #err} set) if it failed. */
    private boolean drop() {
      if (cur.err() != null) {
        err = cur.err();
        return false;
      }
      spare = cur;
      cur = null;
      return true;
    }

    @Override
    public ValueType next() {
      while (err == null) {
        if (cur == null) {
          if (next >= metas.length || !load()) {
            return ValueType.NONE;
          }
        }
        ValueType v = cur.next();
        if (v == ValueType.NONE) {
          if (!drop()) {
            return ValueType.NONE;
          }
          continue;
        }
        if (!clip) { // the whole chunk lies inside [mint, maxt]
          return v;
        }
        long t = cur.atT();
        if (t < mint) {
          continue;
        }
        if (t > maxt) {
          return end();
        }
        return v;
      }
      return ValueType.NONE;
    }

    private ValueType end() {
      next = metas.length;
      spare = cur;
      cur = null;
      return ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      if (cur != null && cur.atT() >= t) {
        return ValueType.FLOAT;
      }
      long from = Math.max(t, mint);
      while (err == null) {
        if (cur == null) {
          while (next < metas.length && metas[next].maxTime() < from) {
            next++; // skip whole chunks before t
          }
          if (next >= metas.length || !load()) {
            return ValueType.NONE;
          }
        }
        ValueType v = cur.seek(from); // the chunk iterator skips without handing out samples
        if (v == ValueType.NONE) {
          if (!drop()) {
            return ValueType.NONE;
          }
          continue;
        }
        return cur.atT() > maxt ? end() : v;
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
