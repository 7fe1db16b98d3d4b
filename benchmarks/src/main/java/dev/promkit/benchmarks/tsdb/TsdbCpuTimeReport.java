package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.head.Head;
import dev.promkit.tsdb.head.HeadOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The JMH workloads of {@link XorChunkBenchmark} and {@link HeadAppendBenchmark}, timed by the
 * thread's CPU time instead of the wall clock: on a machine shared with other builds (load far above
 * the core count) wall-clock JMH scores mostly measure the scheduler. Not a JMH replacement: no
 * forks, fixed warm-up; use it to read a figure on a busy machine, JMH on a quiet one.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.tsdb.TsdbCpuTimeReport [xor]}
 * ({@code xor}: the XOR chunk workloads only).
 */
public final class TsdbCpuTimeReport {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static double sink;

  private TsdbCpuTimeReport() {}

  public static void main(String[] args) {
    // XOR: many short rounds, first ten discarded as warm-up; min and median of the rest, because on
    // a shared machine single rounds swing by 2x with the neighbours' load.
    for (String kind : new String[] {"counter", "prometheus", "constant", "gauge", "random"}) {
      Datasets.Series d = Datasets.named(kind, 120, 1);
      XorChunk c = encode(d);
      ChunkIterator reuse = c.iterator(null);
      long[] outT = new long[120];
      double[] outV = new double[120];
      int rounds = 40;
      int reps = 20_000;
      double[] dec = new double[rounds];
      double[] bulk = new double[rounds];
      double[] enc = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < reps; i++) {
          reuse = c.iterator(reuse);
          long acc = 0; // integer chain, as XorChunkBenchmark.decode
          while (reuse.next() == ValueType.FLOAT) {
            acc ^= Double.doubleToRawLongBits(reuse.atV()) ^ reuse.atT();
          }
          sink += acc;
        }
        dec[round] = (double) (MX.getCurrentThreadCpuTime() - t0) / reps / 120;
        t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < reps; i++) {
          int n = c.decodeAll(outT, outV);
          sink += outV[n - 1] + outT[n - 1];
        }
        bulk[round] = (double) (MX.getCurrentThreadCpuTime() - t0) / reps / 120;
        t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < reps / 4; i++) {
          sink += encode(d).byteLength();
        }
        enc[round] = (double) (MX.getCurrentThreadCpuTime() - t0) / (reps / 4) / 120;
      }
      System.out.printf("xor %-10s decode (iterator) %s, decodeAll %s, encode %s ns/sample (CPU time, min / median)%n",
          kind, minMedian(dec), minMedian(bulk), minMedian(enc));
    }
    System.out.printf("clock: %.2f GHz effective (a dependent multiply-shift-xor chain, 5 cycles per step)%n",
        clockGhz());
    if (args.length > 0 && args[0].equals("xor")) {
      return;
    }
    for (int round = 0; round < 3; round++) {
      Head head = new Head(HeadOptions.defaults().withChunkRange(Long.MAX_VALUE / 4));
      Labels[] labels = new Labels[100];
      long[] refs = new long[100];
      for (int s = 0; s < 100; s++) {
        labels[s] = Labels.of("__name__", "test_metric", "instance", "host-" + s, "job", "bench");
      }
      Appender app = head.appender();
      long t = 0;
      int batches = 3000;
      long t0 = MX.getCurrentThreadCpuTime();
      for (int b = 0; b < batches; b++) {
        for (int i = 0; i < 100; i++) {
          t += 15_000;
          for (int s = 0; s < 100; s++) {
            refs[s] = app.append(refs[s], labels[s], t, s + i);
          }
        }
        app.commit();
      }
      double ns = (double) (MX.getCurrentThreadCpuTime() - t0) / batches / 10_000;
      System.out.printf("head append+commit (100 series x 100 samples per commit) round %d: %.1f ns/sample = %.2fM samples/s per core (CPU time)%n",
          round, ns, 1000 / ns);
    }
  }

  // The clock the thread actually got: a latency-bound chain of known length in cycles (imul 3 +
  // shift 1 + xor 1), so ns/sample can be read as cycles/sample on a machine of unknown turbo.
  private static double clockGhz() {
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 20; round++) {
      long t0 = MX.getCurrentThreadCpuTime();
      long x = round;
      for (int i = 0; i < 2_000_000; i++) {
        x *= 0x9E3779B97F4A7C15L;
        x ^= x >>> 7;
      }
      sink += x;
      best = Math.min(best, (double) (MX.getCurrentThreadCpuTime() - t0) / 2_000_000 / 5);
    }
    return 1 / best;
  }

  private static String minMedian(double[] rounds) {
    double[] r = java.util.Arrays.copyOfRange(rounds, 10, rounds.length);
    java.util.Arrays.sort(r);
    return String.format("%.1f / %.1f", r[0], r[r.length / 2]);
  }

  private static XorChunk encode(Datasets.Series d) {
    XorChunk c = new XorChunk(256);
    ChunkAppender a = c.appender();
    for (int i = 0; i < d.ts.length; i++) {
      a.append(d.ts[i], d.vs[i]);
    }
    return c;
  }
}
