package dev.promkit.benchmarks.promql;

import dev.promkit.promql.engine.Engine;
import dev.promkit.tsdb.Tsdb;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The workload of {@link RangeQueryBenchmark} timed by the thread's CPU time, with the data loaded
 * once for every query: on a machine shared with other builds, wall-clock JMH scores mostly measure
 * the scheduler, and each JMH trial reloads ~27 M samples. Not a JMH replacement: no forks, fixed
 * warm-up (at least 3 runs and 1 s of CPU), then the median and minimum of the timed runs (at least 5
 * and 2 s of CPU). Prints one tab-separated line per query: size, id, steps, series, points, CPU and
 * wall ms per query (median, min), CPU ns per output point.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.promql.RangeQueryCpuTime
 * [sizes, default hundred,ten,one] [query ids, default all]}
 */
public final class RangeQueryCpuTime {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private RangeQueryCpuTime() {}

  public static void main(String[] args) {
    String[] sizes = args.length > 0 ? args[0].split(",") : new String[] {"hundred", "ten", "one"};
    List<String> ids = args.length > 1 ? Arrays.asList(args[1].split(",")) : new ArrayList<>(RangeQueries.ALL.keySet());
    Engine engine = Engine.builder().maxSamples(50_000_000).timeoutMillis(100_000).build();
    long t0 = System.nanoTime();
    long c0 = MX.getCurrentThreadCpuTime();
    Tsdb db = RangeQueryData.load();
    System.out.printf("# data loaded: %.1f s wall, %.1f s CPU, heap used after GC ~%d MiB%n",
        (System.nanoTime() - t0) / 1e9, (MX.getCurrentThreadCpuTime() - c0) / 1e9, usedHeapMiB());
    // sanity: every sample is still in the head (none dropped by its chunk range)
    System.out.println("# " + engine.instantQuery(db, "count_over_time(a_one[30d])", RangeQueryData.END_MS).value()
        + " (expect " + RangeQueryData.INTERVALS + ")");
    System.out.println("size\tquery\tsteps\tseries\tpoints\tcpu_ms_median\tcpu_ms_min\twall_ms_median\tcpu_ns_per_point\texpr");
    try {
      for (String size : sizes) {
        for (String id : ids) {
          RangeQueries.Query q = RangeQueries.get(id);
          if (!"one".equals(size) && !q.template().contains("X")) {
            continue; // independent of the size: measured once, under "one"
          }
          measure(engine, db, q, size);
        }
      }
    } finally {
      db.close();
    }
  }

  private static void measure(Engine engine, Tsdb db, RangeQueries.Query q, String size) {
    String expr = q.expr(size);
    long start = q.startMs();
    int[] sp = RangeQueryBenchmark.count(engine.rangeQuery(db, expr, start, RangeQueryData.END_MS,
        RangeQueryData.INTERVAL_MS));
    long spent = 0;
    for (int i = 0; i < 3 || spent < 1_000_000_000L; i++) {
      long c = MX.getCurrentThreadCpuTime();
      engine.rangeQuery(db, expr, start, RangeQueryData.END_MS, RangeQueryData.INTERVAL_MS);
      spent += MX.getCurrentThreadCpuTime() - c;
    }
    List<Long> cpu = new ArrayList<>();
    List<Long> wall = new ArrayList<>();
    spent = 0;
    while (cpu.size() < 5 || spent < 2_000_000_000L) {
      long w = System.nanoTime();
      long c = MX.getCurrentThreadCpuTime();
      engine.rangeQuery(db, expr, start, RangeQueryData.END_MS, RangeQueryData.INTERVAL_MS);
      long dc = MX.getCurrentThreadCpuTime() - c;
      wall.add(System.nanoTime() - w);
      cpu.add(dc);
      spent += dc;
    }
    cpu.sort(null);
    wall.sort(null);
    double med = cpu.get(cpu.size() / 2) / 1e6;
    System.out.printf("%s\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%s\t%s%n", size, q.id(), q.steps(), sp[0], sp[1], med,
        cpu.get(0) / 1e6, wall.get(wall.size() / 2) / 1e6,
        sp[1] == 0 ? "-" : String.format("%.1f", med * 1e6 / sp[1]), expr);
  }

  private static long usedHeapMiB() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }
}
