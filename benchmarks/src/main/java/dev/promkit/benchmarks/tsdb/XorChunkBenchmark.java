package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.XorChunk;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Competitor: Prometheus' chunkenc benchmarks (BenchmarkXORAppender / BenchmarkXORIterator) on
 * 120-sample chunks. Score: ns per sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class XorChunkBenchmark {
  static final int N = 120;

  /**
   * counter: 15 s steps, growing counter; prometheus: Prometheus' BenchmarkXORIterator data (1 s steps,
   * +100 per sample); constant: an {@code up}-like series; jittercounter: the counter scraped 15 s
   * ± 50 ms apart, as real targets are; gauge: ±50 ms jitter, fluctuating gauge; random: irregular
   * timestamps and random full-precision values (the decoder's worst case).
   */
  @Param({"counter", "prometheus", "constant", "jittercounter", "gauge", "random"})
  public String data;

  long[] ts;
  double[] vs;
  XorChunk full;
  ChunkIterator reuse;
  long[] outT = new long[N];
  double[] outV = new double[N];

  @Setup
  public void setUp() {
    Datasets.Series s = Datasets.named(data, N, 1);
    ts = s.ts;
    vs = s.vs;
    full = new XorChunk();
    ChunkAppender a = full.appender();
    for (int i = 0; i < N; i++) {
      a.append(ts[i], vs[i]);
    }
    full.compact();
    reuse = full.iterator(null);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public XorChunk encode() {
    XorChunk c = new XorChunk(256);
    ChunkAppender a = c.appender();
    for (int i = 0; i < N; i++) {
      a.append(ts[i], vs[i]);
    }
    return c;
  }

  // decode and decodeAll are compiled as methods of their own, as a query engine's per-chunk code
  // is, not inlined into JMH's measurement loop: there the JIT compiles them on-stack-replacement
  // style with that long-running loop, and the iterator ran ~1.4x slower in most forks (session 6,
  // RESULTS.md). The call, one per 120 samples, stays in the score.
  @Benchmark
  @OperationsPerInvocation(N)
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public long decode() {
    ChunkIterator it = full.iterator(reuse);
    // Consume both fields through a 1-cycle integer chain, as Prometheus' BenchmarkXorRead keeps
    // them: a floating-point sum here would add its own 4-cycle latency per sample to the score.
    long acc = 0;
    while (it.next() == ValueType.FLOAT) {
      acc ^= Double.doubleToRawLongBits(it.atV()) ^ it.atT();
    }
    return acc;
  }

  /** The bulk path ({@link XorChunk#decodeAll}): no per-sample iterator call. */
  @Benchmark
  @OperationsPerInvocation(N)
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public double decodeAll() {
    int n = full.decodeAll(outT, outV);
    return outV[n - 1] + outT[n - 1];
  }
}
