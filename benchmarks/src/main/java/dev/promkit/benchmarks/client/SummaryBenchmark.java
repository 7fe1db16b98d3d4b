package dev.promkit.benchmarks.client;

import dev.promkit.client.metrics.Summary;
import dev.promkit.client.registry.Registry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
 * Summary observe with 3 quantiles (0.5, 0.9, 0.99), default 10-minute window in 5 age buckets:
 * promkit (relative value errors 0.05, 0.01, 0.001: one sketch at 0.001) vs client_java 1.10
 * (rank errors 0.05, 0.01, 0.001, exemplars off). 1 and 2 threads; same value cycle as
 * {@link HistogramBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SummaryBenchmark {
  Summary.Child promkit;
  Summary.Child promkitNoQuantiles;
  DistributionDataPoint clientJava;

  @Setup
  public void setUp() {
    promkit = Summary.builder().name("promkit_seconds").labelNames("path")
        .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(new Registry()).labelValues("/");
    promkitNoQuantiles = Summary.builder().name("promkit_plain_seconds").labelNames("path").build().labelValues("/");
    clientJava = io.prometheus.metrics.core.metrics.Summary.builder().name("cj_seconds").labelNames("path")
        .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).withoutExemplars()
        .register(new PrometheusRegistry()).labelValues("/");
  }

  @Benchmark
  public void promkitObserve(HistogramBenchmark.Cursor c) {
    promkit.observe(c.next());
  }

  @Benchmark
  @Threads(2)
  public void promkitObserve2Threads(HistogramBenchmark.Cursor c) {
    promkit.observe(c.next());
  }

  /** Count and sum only: what the quantile window adds is the difference to {@link #promkitObserve}. */
  @Benchmark
  public void promkitObserveNoQuantiles(HistogramBenchmark.Cursor c) {
    promkitNoQuantiles.observe(c.next());
  }

  @Benchmark
  public void clientJavaObserve(HistogramBenchmark.Cursor c) {
    clientJava.observe(c.next());
  }

  @Benchmark
  @Threads(2)
  public void clientJavaObserve2Threads(HistogramBenchmark.Cursor c) {
    clientJava.observe(c.next());
  }
}
