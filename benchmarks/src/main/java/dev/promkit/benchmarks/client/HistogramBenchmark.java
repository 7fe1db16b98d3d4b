package dev.promkit.benchmarks.client;

import dev.promkit.client.metrics.Histogram;
import dev.promkit.client.registry.Registry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Classic-bucket histogram observe (default buckets) on a cached child: promkit vs client_java 1.10
 * ({@code Histogram.builder().classicOnly().withoutExemplars()}), 1 and 2 threads. Both observe the
 * same cycle of 1024 pseudo-random latencies spread over the buckets.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class HistogramBenchmark {
  static final double[] VALUES = new double[1024];

  static {
    Random r = new Random(42);
    for (int i = 0; i < VALUES.length; i++) {
      VALUES[i] = Math.exp(r.nextGaussian() * 1.5 - 3); // median ~50 ms
    }
  }

  /** Each thread's position in the value cycle. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    double next() {
      return VALUES[i++ & (VALUES.length - 1)];
    }
  }

  Histogram.Child promkit;
  DistributionDataPoint clientJava;

  @Setup
  public void setUp() {
    promkit = Histogram.builder().name("promkit_seconds").labelNames("path").register(new Registry())
        .labelValues("/");
    PrometheusRegistry cj = new PrometheusRegistry();
    clientJava = io.prometheus.metrics.core.metrics.Histogram.builder().name("cj_seconds").labelNames("path")
        .classicOnly().withoutExemplars().register(cj).labelValues("/");
  }

  @Benchmark
  public void promkitObserve(Cursor c) {
    promkit.observe(c.next());
  }

  @Benchmark
  @Threads(2)
  public void promkitObserve2Threads(Cursor c) {
    promkit.observe(c.next());
  }

  @Benchmark
  public void clientJavaObserve(Cursor c) {
    clientJava.observe(c.next());
  }

  @Benchmark
  @Threads(2)
  public void clientJavaObserve2Threads(Cursor c) {
    clientJava.observe(c.next());
  }
}
