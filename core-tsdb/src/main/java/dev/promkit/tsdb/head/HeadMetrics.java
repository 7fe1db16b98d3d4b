package dev.promkit.tsdb.head;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The head's own metrics, under Prometheus' names, produced as snapshots when scraped. */
final class HeadMetrics implements Collector {
  private static final Labels FLOAT = Labels.of("type", "float");
  private static final List<String> NAMES = List.of(
      "prometheus_tsdb_head_series", "prometheus_tsdb_head_chunks",
      "prometheus_tsdb_head_min_time", "prometheus_tsdb_head_max_time",
      "prometheus_tsdb_head_samples_appended", "prometheus_tsdb_out_of_order_samples",
      "prometheus_tsdb_out_of_bound_samples", "prometheus_tsdb_head_series_created",
      "prometheus_tsdb_head_series_removed", "prometheus_tsdb_head_truncations",
      "prometheus_tsdb_head_chunks_created", "prometheus_tsdb_head_chunks_removed",
      "promkit_tsdb_head_duplicate_samples");

  final LongAdder samplesAppended = new LongAdder();
  final LongAdder outOfOrder = new LongAdder();
  final LongAdder outOfBounds = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder seriesCreated = new LongAdder();
  final LongAdder seriesRemoved = new LongAdder();
  final LongAdder truncations = new LongAdder();
  final LongAdder chunksCreated = new LongAdder();
  final LongAdder chunksRemoved = new LongAdder();
  private final Head head;

  HeadMetrics(Head head) {
    this.head = head;
  }

  @Override
  public List<String> metricNames() {
    return NAMES;
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    gauge(out, "prometheus_tsdb_head_series", "Total number of series in the head block.", head.numSeries());
    gauge(out, "prometheus_tsdb_head_chunks", "Total number of chunks in the head block.",
        chunksCreated.sum() - chunksRemoved.sum());
    long min = head.minTime();
    long max = head.maxTime();
    // Prometheus shows the empty head's bounds as its int64 sentinels too
    gauge(out, "prometheus_tsdb_head_min_time", "Minimum time bound of the head block.", min);
    gauge(out, "prometheus_tsdb_head_max_time", "Maximum timestamp of the head block.", max);
    counter(out, "prometheus_tsdb_head_samples_appended", "Total number of appended samples.",
        FLOAT, samplesAppended.sum());
    counter(out, "prometheus_tsdb_out_of_order_samples", "Total number of out of order samples ingestion failed attempts due to out of order being disabled.",
        FLOAT, outOfOrder.sum());
    counter(out, "prometheus_tsdb_out_of_bound_samples", "Total number of out of bound samples ingestion failed attempts with out of order support disabled.",
        FLOAT, outOfBounds.sum());
    counter(out, "prometheus_tsdb_head_series_created", "Total number of series created in the head",
        Labels.EMPTY, seriesCreated.sum());
    counter(out, "prometheus_tsdb_head_series_removed", "Total number of series removed in the head",
        Labels.EMPTY, seriesRemoved.sum());
    counter(out, "prometheus_tsdb_head_truncations", "Total number of head truncations attempted.",
        Labels.EMPTY, truncations.sum());
    counter(out, "prometheus_tsdb_head_chunks_created", "Total number of chunks created in the head",
        Labels.EMPTY, chunksCreated.sum());
    counter(out, "prometheus_tsdb_head_chunks_removed", "Total number of chunks removed in the head",
        Labels.EMPTY, chunksRemoved.sum());
    counter(out, "promkit_tsdb_head_duplicate_samples",
        "Samples rejected for a timestamp already holding another value (Prometheus has no head metric for these).",
        FLOAT, duplicates.sum());
    return MetricSnapshots.of(out);
  }

  private static void gauge(List<MetricSnapshot> out, String name, String help, double v) {
    out.add(new GaugeSnapshot(MetricMetadata.of(name, help), List.of(new GaugeDataPoint(Labels.EMPTY, v))));
  }

  private static void counter(List<MetricSnapshot> out, String name, String help, Labels labels, double v) {
    out.add(new CounterSnapshot(MetricMetadata.of(name, help), List.of(new CounterDataPoint(labels, v))));
  }
}
