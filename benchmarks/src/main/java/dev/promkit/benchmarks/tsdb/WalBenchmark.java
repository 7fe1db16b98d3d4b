package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.record.RecordDecoder;
import dev.promkit.tsdb.record.RecordEncoder;
import dev.promkit.tsdb.record.RefSamples;
import dev.promkit.tsdb.wal.Wal;
import dev.promkit.tsdb.wal.WalMetrics;
import dev.promkit.tsdb.wal.WalOptions;
import dev.promkit.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * WAL write throughput in samples/s (workload of Prometheus' head commit: one Samples record per
 * batch of 100 samples over 100 series, then commit), with and without fsync per commit.
 * Competitor: Prometheus' own WAL (Go), whose format this is.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WalBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalBenchmark {
  private static final int BATCH = 100;

  @Param({"false", "true"})
  public boolean fsync;

  private Path dir;
  private Wal wal;
  private final RefSamples samples = new RefSamples(BATCH);
  private final EncBuf buf = new EncBuf(4096);
  private long t = 1_700_000_000_000L;
  private long ops;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("wal-bench");
    wal = Wal.open(dir, WalOptions.defaults().withSegmentSize(8L << 20).withSyncOnCommit(fsync), new WalMetrics());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    wal.close();
    FileUtil.deleteRecursively(dir);
  }

  /** Encode one Samples record of 100 samples, log it, commit. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void encodeWriteCommit() throws IOException {
    samples.clear();
    t += 15_000;
    for (int i = 0; i < BATCH; i++) {
      samples.add(i + 1, t + i, t * 0.001 + i);
    }
    wal.log(RecordEncoder.samples(samples, buf));
    wal.commit();
    if ((++ops & 0xFFF) == 0) {
      wal.truncate(wal.currentSegment()); // keep the disk footprint bounded during long runs
    }
  }

  /** Replay side: a WAL of 1,000 Samples records of 100 samples, read and decoded once per invocation. */
  @State(Scope.Benchmark)
  public static class ReplayState {
    Path dir;
    final RecordDecoder dec = new RecordDecoder();
    final RefSamples into = new RefSamples(128);

    @Setup(Level.Trial)
    public void write() throws IOException {
      dir = Files.createTempDirectory("wal-replay-bench");
      RefSamples s = new RefSamples(BATCH);
      EncBuf b = new EncBuf(4096);
      try (Wal w = Wal.open(dir, WalOptions.defaults().withSegmentSize(1L << 20), new WalMetrics())) {
        for (int r = 0; r < 1000; r++) {
          s.clear();
          for (int i = 0; i < BATCH; i++) {
            s.add(i + 1, 1_700_000_000_000L + r * 15_000L + i, r + i * 0.5);
          }
          w.log(RecordEncoder.samples(s, b));
        }
      }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
      FileUtil.deleteRecursively(dir);
    }
  }

  /** Read + decode 100,000 samples from the WAL (page cache warm): replay throughput in samples/s. */
  @Benchmark
  @OperationsPerInvocation(1000 * BATCH)
  public long readDecode(ReplayState st) throws IOException {
    long sum = 0;
    try (WalReader r = WalReader.open(st.dir)) {
      while (r.next()) {
        st.into.clear();
        st.dec.samples(r.record(), r.length(), st.into);
        sum += st.into.size();
      }
    }
    return sum;
  }

  /** Encoding alone, for comparison: what the record codec costs per sample. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public EncBuf encodeOnly() {
    samples.clear();
    t += 15_000;
    for (int i = 0; i < BATCH; i++) {
      samples.add(i + 1, t + i, t * 0.001 + i);
    }
    return RecordEncoder.samples(samples, buf);
  }
}
