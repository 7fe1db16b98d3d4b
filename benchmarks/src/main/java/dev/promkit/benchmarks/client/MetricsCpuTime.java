package dev.promkit.benchmarks.client;

import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Histogram;
import dev.promkit.client.metrics.Summary;
import dev.promkit.client.registry.Registry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The workloads of {@link CounterBenchmark}, {@link HistogramBenchmark} and
 * {@link SummaryBenchmark} timed by <em>thread CPU time</em>, promkit and client_java interleaved
 * round by round, so that a machine shared with other builds inflates neither side: wall-clock JMH
 * scores there mostly measure the neighbours. Prints the median ns of CPU per operation, 1 and 2
 * threads (2 threads: both threads' CPU time over both threads' operations).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.client.MetricsCpuTime [rounds]}
 */
public final class MetricsCpuTime {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private MetricsCpuTime() {}

  /** One workload; each subclass has its own loop so the call inside stays monomorphic. */
  abstract static class Workload {
    final String name;
    final int opsPerSample;

    Workload(String name, int opsPerSample) {
      this.name = name;
      this.opsPerSample = opsPerSample;
    }

    abstract void run(int ops, int seed);
  }

  static List<Workload> workloads() {
    Registry registry = new Registry();
    PrometheusRegistry cj = new PrometheusRegistry();
    Counter.Child pkCounter = Counter.builder().name("pk_total").labelNames("path").register(registry).labelValues("/");
    Counter pkLabelled = Counter.builder().name("pk_labelled_total").labelNames("l1", "l2").register(registry);
    CounterDataPoint cjCounter = io.prometheus.metrics.core.metrics.Counter.builder().name("cj_total")
        .labelNames("path").withoutExemplars().register(cj).labelValues("/");
    io.prometheus.metrics.core.metrics.Counter cjLabelled = io.prometheus.metrics.core.metrics.Counter.builder()
        .name("cj_labelled_total").labelNames("l1", "l2").withoutExemplars().register(cj);
    for (int i = 0; i < 20; i++) {
      pkLabelled.labelValues("x" + i, "y" + i).inc();
      cjLabelled.labelValues("x" + i, "y" + i).inc();
    }
    Histogram.Child pkHist = Histogram.builder().name("pk_seconds").labelNames("path").register(registry)
        .labelValues("/");
    DistributionDataPoint cjHist = io.prometheus.metrics.core.metrics.Histogram.builder().name("cj_seconds")
        .labelNames("path").classicOnly().withoutExemplars().register(cj).labelValues("/");
    Summary.Child pkSum = Summary.builder().name("pk_sum_seconds").labelNames("path")
        .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(registry).labelValues("/");
    DistributionDataPoint cjSum = io.prometheus.metrics.core.metrics.Summary.builder().name("cj_sum_seconds")
        .labelNames("path").quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).withoutExemplars()
        .register(cj).labelValues("/");
    double[] v = HistogramBenchmark.VALUES;
    int m = v.length - 1;
    return List.of(
        new Workload("counter inc: promkit", 4_000_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              pkCounter.inc();
            }
          }
        },
        new Workload("counter inc: client_java", 1_000_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              cjCounter.inc();
            }
          }
        },
        new Workload("labelValues(a,b).inc: promkit", 1_000_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              pkLabelled.labelValues("a", "b").inc();
            }
          }
        },
        new Workload("labelValues(a,b).inc: client_java", 500_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              cjLabelled.labelValues("a", "b").inc();
            }
          }
        },
        new Workload("histogram observe: promkit", 1_000_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              pkHist.observe(v[(i + seed) & m]);
            }
          }
        },
        new Workload("histogram observe: client_java", 500_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              cjHist.observe(v[(i + seed) & m]);
            }
          }
        },
        new Workload("summary observe 3q: promkit", 500_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              pkSum.observe(v[(i + seed) & m]);
            }
          }
        },
        new Workload("summary observe 3q: client_java", 50_000) {
          @Override
          void run(int ops, int seed) {
            for (int i = 0; i < ops; i++) {
              cjSum.observe(v[(i + seed) & m]);
            }
          }
        });
  }

  /** CPU ns per op of one sample run by {@code threads} threads at once. */
  static double sample(Workload w, int threads) throws InterruptedException {
    long[] cpu = new long[threads];
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] = new Thread(() -> {
        long start = CPU.getCurrentThreadCpuTime();
        w.run(w.opsPerSample, id * 17);
        cpu[id] = CPU.getCurrentThreadCpuTime() - start;
      });
    }
    for (Thread t : ts) {
      t.start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return (double) Arrays.stream(cpu).sum() / ((long) w.opsPerSample * threads);
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    List<Workload> ws = workloads();
    for (Workload w : ws) { // warm-up: let C2 compile every loop
      for (int i = 0; i < 3; i++) {
        sample(w, 1);
        sample(w, 2);
      }
    }
    for (int threads = 1; threads <= 2; threads++) {
      List<double[]> results = new ArrayList<>();
      for (int i = 0; i < ws.size(); i++) {
        results.add(new double[rounds]);
      }
      for (int r = 0; r < rounds; r++) { // interleaved: each round times every workload once
        for (int i = 0; i < ws.size(); i++) {
          results.get(i)[r] = sample(ws.get(i), threads);
        }
      }
      System.out.printf(Locale.ROOT, "%d thread(s), median CPU ns/op over %d rounds%n", threads, rounds);
      for (int i = 0; i < ws.size(); i++) {
        double[] x = results.get(i);
        Arrays.sort(x);
        System.out.printf(Locale.ROOT, "  %-36s %9.2f  (min %.2f, max %.2f)%n", ws.get(i).name, x[rounds / 2], x[0],
            x[rounds - 1]);
      }
    }
  }
}
