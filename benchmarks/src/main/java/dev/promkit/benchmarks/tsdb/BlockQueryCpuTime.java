package dev.promkit.benchmarks.tsdb;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link BlockQueryBenchmark}'s operations timed by thread CPU time (median of batches), which a
 * shared, loaded machine disturbs far less than wall-clock JMH scores. Run:
 * {@code java -cp benchmarks.jar dev.promkit.benchmarks.tsdb.BlockQueryCpuTime}.
 */
public final class BlockQueryCpuTime {
  private BlockQueryCpuTime() {}

  /** Prints one line per operation: median CPU microseconds per call. */
  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    BlockQueryBenchmark b = new BlockQueryBenchmark();
    b.setUp();
    try {
      Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
      ops.put("selectHundredIterate", b::selectHundredIterate);
      ops.put("selectOneIterate", b::selectOneIterate);
      ops.put("selectAllCount", b::selectAllCount);
      ops.put("selectAllSeek", b::selectAllSeek);
      ops.put("labelValues", b::labelValues);
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      for (Map.Entry<String, Supplier<Object>> e : ops.entrySet()) {
        Supplier<Object> op = e.getValue();
        long t0 = mx.getCurrentThreadCpuTime();
        int reps = 0;
        while (mx.getCurrentThreadCpuTime() - t0 < 2_000_000_000L) { // warm up: 2 s CPU
          op.get();
          reps++;
        }
        int perBatch = Math.max(1, reps / 20); // ~100 ms CPU per batch
        double[] us = new double[batches];
        for (int i = 0; i < batches; i++) {
          long s = mx.getCurrentThreadCpuTime();
          for (int k = 0; k < perBatch; k++) {
            op.get();
          }
          us[i] = (mx.getCurrentThreadCpuTime() - s) / 1e3 / perBatch;
        }
        Arrays.sort(us);
        System.out.printf("%-22s %10.1f us CPU/op (median of %d batches of %d; min %.1f)%n", e.getKey(),
            us[batches / 2], batches, perBatch, us[0]);
      }
    } finally {
      b.tearDown();
    }
  }
}
