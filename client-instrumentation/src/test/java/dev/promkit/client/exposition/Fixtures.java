package dev.promkit.client.exposition;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.Exemplar;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.InfoSnapshot;
import dev.promkit.client.snapshot.InfoSnapshot.InfoDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.StateSetSnapshot;
import dev.promkit.client.snapshot.StateSetSnapshot.StateSetDataPoint;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.SummarySnapshot.Quantile;
import dev.promkit.client.snapshot.SummarySnapshot.SummaryDataPoint;
import dev.promkit.client.snapshot.UnknownSnapshot;
import dev.promkit.client.snapshot.UnknownSnapshot.UnknownDataPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Hand-built snapshots covering every type, shared by the writer and parser tests. */
final class Fixtures {
  private Fixtures() {}

  static MetricSnapshots allTypes() {
    return MetricSnapshots.of(
        new CounterSnapshot(new MetricMetadata("http_requests", "Requests served.", ""), List.of(
            new CounterDataPoint(Labels.of("method", "GET", "path", "/"), 3,
                new Exemplar(Labels.of("trace_id", "abc"), 0.5, 1_700_000_000_123L), 1_700_000_000_000L, 0),
            new CounterDataPoint(Labels.of("method", "POST", "path", "/"), 1e-5))),
        new GaugeSnapshot(new MetricMetadata("temperature_celsius", "Temp \\ with \"quotes\"\nand newline.", "celsius"),
            List.of(new GaugeDataPoint(Labels.of("room", "a\"b\\c\nd"), -12.5),
                new GaugeDataPoint(Labels.of("room", "kitchen"), Double.NaN, null, 1_700_000_000_500L))),
        new HistogramSnapshot(new MetricMetadata("rpc_duration_seconds", "RPC latency.", "seconds"), List.of(
            new HistogramDataPoint(Labels.of("service", "auth"),
                new double[] {0.005, 1, 2.5, 1e6, Double.POSITIVE_INFINITY}, new long[] {2, 3, 0, 1, 4}, 1234.5,
                new Exemplar[] {null, new Exemplar(Labels.of("trace_id", "t1"), 0.7, 0), null, null, null},
                1_600_000_000_000L, 0))),
        new SummarySnapshot(MetricMetadata.of("gc_pause_seconds", "GC pauses."), List.of(
            new SummaryDataPoint(Labels.EMPTY, 7, 0.25,
                List.of(new Quantile(0.5, 0.01), new Quantile(0.99, 0.125)), 0, 0))),
        new InfoSnapshot(MetricMetadata.of("build", "Build information."), List.of(
            new InfoDataPoint(Labels.of("version", "1.2.3", "revision", "abc")))),
        new StateSetSnapshot(MetricMetadata.of("feature", "Feature flags."), List.of(
            new StateSetDataPoint(Labels.of("env", "prod"), List.of("a", "b"), List.of(true, false)))),
        new UnknownSnapshot(MetricMetadata.of("legacy_thing"), List.of(
            new UnknownDataPoint(Labels.EMPTY, Double.POSITIVE_INFINITY))));
  }

  static String write(ExpositionWriter w, MetricSnapshots s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      w.write(out, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
