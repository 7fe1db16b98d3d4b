package dev.promkit.tsdb;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The block directories the last load skipped because a file in them is damaged, and the metric
 * {@code promkit_tsdb_blocks_corrupted} (a gauge: their number). Prometheus has no such metric: it
 * refuses to open a database with a damaged block; promkit serves the rest and leaves the block on
 * disk for an operator.
 */
final class CorruptedBlocks implements Collector {
  static final String METRIC = "promkit_tsdb_blocks_corrupted";

  private volatile Map<Path, String> blocks = Map.of();

  /** Replaces the set after a load. */
  void set(Map<Path, String> found) {
    blocks = java.util.Collections.unmodifiableMap(new TreeMap<>(found)); // sorted by directory
  }

  Map<Path, String> get() {
    return blocks;
  }

  @Override
  public MetricSnapshots collect() {
    return MetricSnapshots.of(new GaugeSnapshot(MetricMetadata.of(METRIC,
        "Block directories skipped on load because a file in them is damaged; they stay on disk."),
        List.of(new GaugeDataPoint(Labels.EMPTY, blocks.size()))));
  }

  @Override
  public List<String> metricNames() {
    return List.of(METRIC);
  }
}
