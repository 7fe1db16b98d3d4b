package dev.promkit.benchmarks.client;

import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
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
 * Counter increments: promkit vs client_java 1.10 ({@code io.prometheus.metrics.core.metrics.Counter},
 * exemplars off as promkit samples none automatically) vs Micrometer's Prometheus counter.
 * Workloads: inc on a cached child, and label lookup + inc ({@code labelValues("a", "b").inc()}),
 * each with 1 and 2 threads sharing the same counter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CounterBenchmark {
  Counter.Child promkitChild;
  Counter promkitLabelled;
  CounterDataPoint clientJavaChild;
  io.prometheus.metrics.core.metrics.Counter clientJavaLabelled;
  io.micrometer.core.instrument.Counter micrometer;

  @Setup
  public void setUp() {
    Registry registry = new Registry();
    promkitChild = Counter.builder().name("promkit_cached_total").labelNames("path").register(registry)
        .labelValues("/");
    promkitLabelled = Counter.builder().name("promkit_labelled_total").labelNames("l1", "l2").register(registry);
    for (int i = 0; i < 20; i++) {
      promkitLabelled.labelValues("x" + i, "y" + i).inc(); // a realistic table, not a single entry
    }

    PrometheusRegistry cj = new PrometheusRegistry();
    clientJavaChild = io.prometheus.metrics.core.metrics.Counter.builder().name("cj_cached_total")
        .labelNames("path").withoutExemplars().register(cj).labelValues("/");
    clientJavaLabelled = io.prometheus.metrics.core.metrics.Counter.builder().name("cj_labelled_total")
        .labelNames("l1", "l2").withoutExemplars().register(cj);
    for (int i = 0; i < 20; i++) {
      clientJavaLabelled.labelValues("x" + i, "y" + i).inc();
    }

    PrometheusMeterRegistry mm = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    micrometer = mm.counter("mm_cached", "path", "/");
  }

  @Benchmark
  public void promkitInc() {
    promkitChild.inc();
  }

  @Benchmark
  @Threads(2)
  public void promkitInc2Threads() {
    promkitChild.inc();
  }

  @Benchmark
  public void clientJavaInc() {
    clientJavaChild.inc();
  }

  @Benchmark
  @Threads(2)
  public void clientJavaInc2Threads() {
    clientJavaChild.inc();
  }

  @Benchmark
  public void micrometerInc() {
    micrometer.increment();
  }

  @Benchmark
  @Threads(2)
  public void micrometerInc2Threads() {
    micrometer.increment();
  }

  @Benchmark
  public void promkitLabelValuesInc() {
    promkitLabelled.labelValues("a", "b").inc();
  }

  @Benchmark
  public void clientJavaLabelValuesInc() {
    clientJavaLabelled.labelValues("a", "b").inc();
  }
}
