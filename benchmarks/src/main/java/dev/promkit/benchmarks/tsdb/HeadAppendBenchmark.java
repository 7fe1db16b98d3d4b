package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.head.Head;
import dev.promkit.tsdb.head.HeadOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Competitor: Prometheus' {@code BenchmarkHeadAppender} shape (tsdb/head_bench_test.go): 100 series,
 * 100 samples each per commit, one thread. Score: samples per second (ops = samples).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeadAppendBenchmark {
  private static final int SERIES = 100;
  private static final int SAMPLES = 100;

  private Head head;
  private Labels[] labels;
  private long[] refs;
  private Appender app;
  private long t;

  @Setup(Level.Iteration)
  public void setUp() {
    // a fresh head per iteration with a huge range, so the appendable window never moves on
    head = new Head(HeadOptions.defaults().withChunkRange(Long.MAX_VALUE / 4));
    labels = new Labels[SERIES];
    refs = new long[SERIES];
    for (int s = 0; s < SERIES; s++) {
      labels[s] = Labels.of("__name__", "test_metric", "instance", "host-" + s, "job", "bench");
    }
    app = head.appender();
    t = 0;
  }

  /** One batch: 100 series x 100 samples, then commit. */
  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public void appendCommit() {
    for (int i = 0; i < SAMPLES; i++) {
      t += 15_000;
      for (int s = 0; s < SERIES; s++) {
        refs[s] = app.append(refs[s], labels[s], t, s + i);
      }
    }
    app.commit();
  }
}
