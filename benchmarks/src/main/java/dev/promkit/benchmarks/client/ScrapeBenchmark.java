package dev.promkit.benchmarks.client;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.client.exposition.ExpositionWriter;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A text-format scrape of 10,000 series (100 counters x 100 label values), promkit vs client_java
 * 1.10 ({@code PrometheusTextFormatWriter} on a {@code PrometheusRegistry} of live counters).
 * Run with {@code -prof gc} for allocated bytes per scrape.
 *
 * <ul>
 *   <li>{@code *WriteText}: formatting only, from snapshots taken once.
 *   <li>{@code *ScrapeAndWriteText}: collect snapshots, then format: what a scrape costs. The
 *       promkit side's collectors build {@code CounterSnapshot}s from plain arrays, standing in for
 *       live counters until they are merged (then: switch to {@code dev.promkit.client.metrics}).
 *   <li>{@code promkitParseText}: the exposition parser's cursor over the same 10k-series body.
 * </ul>
 * Both sides write into a discarding stream, so only the writer's own allocations count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScrapeBenchmark {
  static final int FAMILIES = 100;
  static final int LABEL_VALUES = 100;

  private PrometheusRegistry clientJavaRegistry;
  private io.prometheus.metrics.model.snapshots.MetricSnapshots clientJavaSnapshots;
  private PrometheusTextFormatWriter clientJavaWriter;

  private Registry promkitRegistry;
  private MetricSnapshots promkitSnapshots;
  private ExpositionWriter promkitWriter;
  private byte[] promkitBody;
  private ExpositionParser parser;

  private final OutputStream sink = new DiscardingStream();

  /** Swallows bytes, counting them so that the JIT cannot drop the writes. */
  static final class DiscardingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  @Setup
  public void setup() throws IOException {
    clientJavaRegistry = new PrometheusRegistry();
    for (int f = 0; f < FAMILIES; f++) {
      Counter c = Counter.builder().name("benchmark_counter_" + f).help("A benchmark counter.")
          .labelNames("path").register(clientJavaRegistry);
      for (int v = 0; v < LABEL_VALUES; v++) {
        c.labelValues("/api/v1/resource/" + v).inc(v + 1);
      }
    }
    clientJavaSnapshots = clientJavaRegistry.scrape();
    clientJavaWriter = PrometheusTextFormatWriter.create();

    promkitRegistry = new Registry();
    for (int f = 0; f < FAMILIES; f++) {
      promkitRegistry.register(new ArrayCounterCollector("benchmark_counter_" + f));
    }
    promkitSnapshots = promkitRegistry.scrape();
    promkitWriter = ExpositionFormat.PROMETHEUS_TEXT.writer();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    promkitWriter.write(body, promkitSnapshots);
    promkitBody = body.toByteArray();
    parser = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, promkitBody, 0, promkitBody.length);
  }

  /** A counter family kept in plain arrays, snapshotted on every collect (stand-in for live counters). */
  static final class ArrayCounterCollector implements dev.promkit.client.registry.Collector {
    private final MetricMetadata metadata;
    private final Labels[] labels = new Labels[LABEL_VALUES];
    private final double[] values = new double[LABEL_VALUES];

    ArrayCounterCollector(String name) {
      metadata = MetricMetadata.of(name, "A benchmark counter.");
      for (int v = 0; v < LABEL_VALUES; v++) {
        labels[v] = Labels.of("path", "/api/v1/resource/" + v);
        values[v] = v + 1;
      }
    }

    @Override
    public MetricSnapshots collect() {
      List<CounterDataPoint> points = new ArrayList<>(LABEL_VALUES);
      for (int v = 0; v < LABEL_VALUES; v++) {
        points.add(new CounterDataPoint(labels[v], values[v]));
      }
      return MetricSnapshots.of(new CounterSnapshot(metadata, points));
    }

    @Override
    public List<String> metricNames() {
      return List.of(metadata.name());
    }
  }

  @Benchmark
  public long clientJavaWriteText() throws IOException {
    clientJavaWriter.write(sink, clientJavaSnapshots);
    return ((DiscardingStream) sink).count;
  }

  @Benchmark
  public long promkitWriteText() throws IOException {
    promkitWriter.write(sink, promkitSnapshots);
    return ((DiscardingStream) sink).count;
  }

  @Benchmark
  public long clientJavaScrapeAndWriteText() throws IOException {
    clientJavaWriter.write(sink, clientJavaRegistry.scrape());
    return ((DiscardingStream) sink).count;
  }

  @Benchmark
  public long promkitScrapeAndWriteText() throws IOException {
    promkitWriter.write(sink, promkitRegistry.scrape());
    return ((DiscardingStream) sink).count;
  }

  @Benchmark
  public double promkitParseText() throws Exception {
    parser.reset(promkitBody, 0, promkitBody.length);
    double sum = 0;
    for (ExpositionParser.Entry e = parser.next(); e != ExpositionParser.Entry.END; e = parser.next()) {
      if (e == ExpositionParser.Entry.SAMPLE) {
        sum += parser.value() + parser.labelCount();
      }
    }
    return sum;
  }
}
