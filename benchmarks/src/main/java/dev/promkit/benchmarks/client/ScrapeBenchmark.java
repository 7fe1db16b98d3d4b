package dev.promkit.benchmarks.client;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.client.exposition.ExpositionWriter;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.MetricSnapshots;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * 1.10, both on live counters: promkit's {@code dev.promkit.client.metrics.Counter} in a
 * {@code Registry} written by its text writer, client_java's {@code Counter} in a
 * {@code PrometheusRegistry} written by {@code PrometheusTextFormatWriter}. Every child has been
 * incremented once (as after a real request). Run with {@code -prof gc} for allocated bytes per scrape.
 *
 * <ul>
 *   <li>{@code *WriteText}: formatting only, from snapshots taken once.
 *   <li>{@code *ScrapeAndWriteText}: collect snapshots from the live counters, then format: what a
 *       scrape costs. {@code *ScrapeOnly}: the collecting part alone.
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
      dev.promkit.client.metrics.Counter c = dev.promkit.client.metrics.Counter.builder()
          .name("benchmark_counter_" + f).help("A benchmark counter.").labelNames("path").register(promkitRegistry);
      for (int v = 0; v < LABEL_VALUES; v++) {
        c.labelValues("/api/v1/resource/" + v).inc(v + 1);
      }
    }
    promkitSnapshots = promkitRegistry.scrape();
    promkitWriter = ExpositionFormat.PROMETHEUS_TEXT.writer();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    promkitWriter.write(body, promkitSnapshots);
    promkitBody = body.toByteArray();
    parser = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, promkitBody, 0, promkitBody.length);
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
  public Object clientJavaScrapeOnly() {
    return clientJavaRegistry.scrape();
  }

  @Benchmark
  public Object promkitScrapeOnly() {
    return promkitRegistry.scrape();
  }

  /** A fresh scrape of the live promkit counters as text (for checks outside JMH). */
  void promkitTextTo(OutputStream out) throws IOException {
    promkitWriter.write(out, promkitRegistry.scrape());
  }

  /** A fresh scrape of the live client_java counters as text (for checks outside JMH). */
  void clientJavaTextTo(OutputStream out) throws IOException {
    clientJavaWriter.write(out, clientJavaRegistry.scrape());
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
