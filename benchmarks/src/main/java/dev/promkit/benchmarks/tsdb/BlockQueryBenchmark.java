package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reads from persisted blocks through {@link Tsdb#querier}, as the server's range queries do: the
 * blocks promkit backfilled from the range-query workload ({@code /tmp/rangequery/ours-data}, see
 * {@code /work/shared/bench/rangequery/README.md}; copied to a temporary directory first because
 * opening a database writes its lock and WAL), or, when that is absent, a generated block of the
 * same shape ({@code a_one}, {@code a_hundred{l}}, {@code b_hundred{l}}: 201 series of 10 s samples
 * over 24 h). Competitor: Prometheus 2.42 serving the same queries over HTTP (README's figures).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlockQueryBenchmark {
  static final Path WORKLOAD = Path.of("/tmp/rangequery/ours-data");
  static final long RANGE_MS = 10_000_000; // the range queries' 1000 steps of 10 s
  static final long LOOKBACK_MS = 300_000;

  Path dir;
  Tsdb db;
  long maxt;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("block-query-bench");
    if (Files.isDirectory(WORKLOAD)) {
      try (Stream<Path> s = Files.list(WORKLOAD)) {
        for (Path b : s.filter(p -> Files.exists(p.resolve("meta.json"))).toList()) {
          copyTree(b, dir.resolve(b.getFileName()));
        }
      }
    } else {
      generate(dir);
    }
    db = Tsdb.open(TsdbOptions.defaults().withDir(dir).withRetentionMs(0));
    maxt = db.blocks().stream().mapToLong(b -> b.meta().maxTime()).max().orElseThrow() - 1;
  }

  @TearDown
  public void tearDown() throws IOException {
    db.close();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** {@code a_hundred} over the last 10,000 s, every sample read. */
  @Benchmark
  public double selectHundredIterate() {
    return selectIterate(LabelMatcher.eq("__name__", "a_hundred"));
  }

  /** {@code a_one} over the last 10,000 s, every sample read. */
  @Benchmark
  public double selectOneIterate() {
    return selectIterate(LabelMatcher.eq("__name__", "a_one"));
  }

  /** {@code {__name__!=""}} over the instant query's 5 min look-back: series counted, not read. */
  @Benchmark
  public int selectAllCount() {
    try (Querier q = db.querier(maxt - LOOKBACK_MS, maxt)) {
      SeriesSet s = q.select(false, null, LabelMatcher.neq("__name__", ""));
      int n = 0;
      while (s.next()) {
        n++;
      }
      check(s);
      return n;
    }
  }

  /** Like {@link #selectAllCount}, each series also sought to the look-back start, as the engine does. */
  @Benchmark
  public int selectAllSeek() {
    try (Querier q = db.querier(maxt - LOOKBACK_MS, maxt)) {
      SeriesSet s = q.select(false, null, LabelMatcher.neq("__name__", ""));
      int n = 0;
      ChunkIterator it = null;
      while (s.next()) {
        it = s.at().iterator(it);
        if (it.seek(maxt - LOOKBACK_MS) != ValueType.NONE) {
          n++;
        }
      }
      check(s);
      return n;
    }
  }

  /** Values of {@code l} over the whole data. */
  @Benchmark
  public List<String> labelValues() {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return q.labelValues("l");
    }
  }

  private double selectIterate(LabelMatcher m) {
    try (Querier q = db.querier(maxt - RANGE_MS, maxt)) {
      SeriesSet s = q.select(false, null, m);
      double sum = 0;
      ChunkIterator it = null;
      while (s.next()) {
        it = s.at().iterator(it);
        while (it.next() != ValueType.NONE) {
          sum += it.atV();
        }
        if (it.err() != null) {
          throw new IllegalStateException(it.err());
        }
      }
      check(s);
      return sum;
    }
  }

  private static void check(SeriesSet s) {
    if (s.err() != null) {
      throw new IllegalStateException(s.err());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** One 24 h block: a_one and a_hundred/b_hundred{l="0".."99"}, a sample every 10 s. */
  static void generate(Path dir) throws IOException {
    long step = 10_000;
    int samples = 8640;
    Labels[] ls = new Labels[201];
    ls[0] = Labels.of("__name__", "a_one");
    for (int l = 0; l < 100; l++) {
      ls[1 + l] = Labels.of("__name__", "a_hundred", "l", Integer.toString(l));
      ls[101 + l] = Labels.of("__name__", "b_hundred", "l", Integer.toString(l));
    }
    try (Tsdb mem = Tsdb.inMemory()) {
      long[] refs = new long[ls.length];
      for (int s = 0; s < samples; s++) {
        Appender app = mem.appender();
        for (int i = 0; i < ls.length; i++) {
          refs[i] = app.append(refs[i], ls[i], s * step + 1000, s + i / 201.0);
        }
        app.commit();
      }
      BlockWriter.write(dir, 0, samples * step + 1000, mem);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
