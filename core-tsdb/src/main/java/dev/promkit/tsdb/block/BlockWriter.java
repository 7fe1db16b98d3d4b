package dev.promkit.tsdb.block;

import dev.promkit.tsdb.chunkenc.Chunk;
import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.chunks.ChunkMeta;
import dev.promkit.tsdb.chunks.ChunkWriter;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.fileutil.StepHook;
import dev.promkit.tsdb.index.IndexWriter;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.tombstones.Tombstones;
import dev.promkit.tsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes a block directory in Prometheus' on-disk format: {@code meta.json}, {@code chunks/000001...},
 * {@code index}, {@code tombstones}. Everything goes to {@code <ulid>.tmp-for-creation} first, is
 * fsynced, then renamed to {@code <ulid>}: a crash leaves either no block or a whole one.
 */
public final class BlockWriter {
  /** Samples per chunk when re-encoding, as Prometheus' head. */
  static final int SAMPLES_PER_CHUNK = 120;

  private BlockWriter() {}

  /**
   * An encoded chunk with its time range.
   *
   * @param chunk the chunk (XOR)
   * @param minTime first sample's timestamp (ms)
   * @param maxTime last sample's timestamp (ms)
   */
  public record TimedChunk(Chunk chunk, long minTime, long maxTime) {}

  /**
   * A series to write: labels and its chunks in time order.
   *
   * @param labels the series' labels
   * @param chunks non-empty, ascending, non-overlapping
   */
  public record SeriesChunks(Labels labels, List<TimedChunk> chunks) {}

  /**
   * Writes a level-1 block covering [mint, maxt) under {@code parent}.
   *
   * @param series the series in any order; label sets must be distinct
   * @return the new block's directory
   */
  public static Path write(Path parent, long mint, long maxt, List<SeriesChunks> series) throws IOException {
    return write(parent, mint, maxt, series, 1, null, List.of());
  }

  /**
   * Writes the samples of {@code source} in [mint, maxt) as the compaction of {@code parents}: level
   * max(parents' levels) + 1, sources the union of theirs, parents listed in meta.json. Samples are
   * re-encoded into XOR chunks of at most 120 samples. Returns null when the range holds no samples.
   */
  public static Path writeCompacted(Path parent, long mint, long maxt, Queryable source, List<BlockMeta> parents)
      throws IOException {
    int level = 0;
    TreeSet<String> sources = new TreeSet<>();
    List<BlockMeta.Parent> ps = new ArrayList<>();
    for (BlockMeta m : parents) {
      level = Math.max(level, m.level());
      sources.addAll(m.sources());
      ps.add(new BlockMeta.Parent(m.ulid(), m.minTime(), m.maxTime()));
    }
    List<SeriesChunks> series = collect(mint, maxt, source);
    return series.isEmpty() ? null : write(parent, mint, maxt, series, level + 1, new ArrayList<>(sources), ps);
  }

  /**
   * Rewrites block {@code old} from {@code source} (e.g. the block itself read through its tombstones)
   * as a new block of the same range, level and sources, with {@code old} as its only parent. Returns
   * null when no sample remains.
   */
  public static Path rewrite(Path parent, Queryable source, BlockMeta old) throws IOException {
    List<SeriesChunks> series = collect(old.minTime(), old.maxTime(), source);
    return series.isEmpty() ? null : write(parent, old.minTime(), old.maxTime(), series, old.level(),
        old.sources(), List.of(new BlockMeta.Parent(old.ulid(), old.minTime(), old.maxTime())));
  }

  private static Path write(Path parent, long mint, long maxt, List<SeriesChunks> series, int level,
      List<String> sources, List<BlockMeta.Parent> parents) throws IOException {
    if (mint >= maxt) {
      throw new IllegalArgumentException("block range [" + mint + ", " + maxt + ") is empty");
    }
    List<SeriesChunks> sorted = new ArrayList<>(series);
    sorted.sort((a, b) -> a.labels().compareTo(b.labels()));
    TreeSet<String> symbols = new TreeSet<>();
    for (SeriesChunks s : sorted) {
      s.labels().forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    Ulid ulid = Ulid.generate();
    Path tmp = parent.resolve(ulid + ".tmp-for-creation");
    Path dst = parent.resolve(ulid.toString());
    Files.createDirectories(tmp);
    boolean ok = false;
    try {
      StepHook.reached("block.writing");
      long samples = 0;
      long chunks = 0;
      List<ChunkMeta> metas = new ArrayList<>();
      try (ChunkWriter cw = new ChunkWriter(tmp.resolve("chunks"));
          IndexWriter iw = new IndexWriter(tmp.resolve("index"), symbols)) {
        for (SeriesChunks s : sorted) {
          metas.clear();
          for (TimedChunk c : s.chunks()) {
            if (c.minTime() < mint || c.maxTime() >= maxt) {
              throw new IllegalArgumentException("series " + s.labels() + ": chunk [" + c.minTime() + ", "
                  + c.maxTime() + "] outside the block range [" + mint + ", " + maxt + ")");
            }
            metas.add(new ChunkMeta(cw.write(c.chunk()), c.minTime(), c.maxTime()));
            samples += c.chunk().numSamples();
          }
          chunks += metas.size();
          iw.addSeries(s.labels(), metas);
        }
      }
      BlockMeta meta = new BlockMeta(ulid.toString(), mint, maxt, samples, sorted.size(), chunks, level,
          sources == null ? List.of(ulid.toString()) : sources, parents);
      Path metaFile = tmp.resolve("meta.json");
      Files.writeString(metaFile, meta.toJson(), StandardCharsets.UTF_8);
      TombstonesFile.write(tmp.resolve(TombstonesFile.NAME), new Tombstones());
      for (String f : new String[] {"meta.json"}) {
        try (var ch = java.nio.channels.FileChannel.open(tmp.resolve(f), java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      FileUtil.fsyncDir(tmp);
      StepHook.reached("block.before-rename");
      Files.move(tmp, dst, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      FileUtil.fsyncDir(parent);
      ok = true;
      return dst;
    } finally {
      if (!ok) {
        FileUtil.deleteRecursively(tmp);
      }
    }
  }

  /**
   * Writes the samples of any storage (e.g. the head) in [mint, maxt) as a block, re-encoded into
   * XOR chunks of at most 120 samples. Returns null when the range holds no samples.
   */
  public static Path write(Path parent, long mint, long maxt, Queryable source) throws IOException {
    List<SeriesChunks> out = collect(mint, maxt, source);
    return out.isEmpty() ? null : write(parent, mint, maxt, out);
  }

  private static List<SeriesChunks> collect(long mint, long maxt, Queryable source) throws IOException {
    List<SeriesChunks> out = new ArrayList<>();
    try (Querier q = source.querier(mint, maxt - 1)) {
      SeriesSet set = q.select(true, null, LabelMatcher.re(Labels.METRIC_NAME, ".*"));
      ChunkIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        List<TimedChunk> cs = new ArrayList<>();
        XorChunk c = null;
        ChunkAppender app = null;
        long first = 0;
        long lastT = 0;
        while (it.next() != ValueType.NONE) {
          long t = it.atT();
          if (t < mint || t >= maxt) {
            continue;
          }
          if (c == null || c.numSamples() >= SAMPLES_PER_CHUNK) {
            if (c != null) {
              cs.add(new TimedChunk(c, first, lastT));
            }
            c = new XorChunk();
            app = c.appender();
            first = t;
          }
          app.append(t, it.atV());
          lastT = t;
        }
        if (it.err() != null) {
          throw new IOException("reading " + set.at().labels() + ": " + it.err().getMessage(), it.err());
        }
        if (c != null) {
          cs.add(new TimedChunk(c, first, lastT));
          out.add(new SeriesChunks(set.at().labels(), cs));
        }
      }
      if (set.err() != null) {
        throw new IOException("selecting series: " + set.err().getMessage(), set.err());
      }
    }
    return out;
  }
}
