package dev.promkit.tsdb.wal;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.SummarySnapshot.SummaryDataPoint;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The WAL's own metrics under Prometheus' names. Register it in a {@code Registry}; one instance is
 * shared by the {@link Wal}, its repairs and its {@link Checkpoint}s.
 */
public final class WalMetrics implements Collector {
  private final LongAdder corruptions = new LongAdder();
  private final LongAdder truncations = new LongAdder();
  private final LongAdder checkpoints = new LongAdder();
  private final Object fsyncLock = new Object();
  private long fsyncCount;
  private long fsyncNanos;
  private volatile int segmentCurrent;

  void corruption() {
    corruptions.increment();
  }

  void truncation() {
    truncations.increment();
  }

  void checkpointCreated() {
    checkpoints.increment();
  }

  void fsync(long nanos) {
    synchronized (fsyncLock) {
      fsyncCount++;
      fsyncNanos += nanos;
    }
  }

  void segment(int index) {
    segmentCurrent = index;
  }

  /** Corruptions found and repaired so far. */
  public long corruptions() {
    return corruptions.sum();
  }

  /** Segment truncations (after checkpoints) so far. */
  public long truncations() {
    return truncations.sum();
  }

  /** Checkpoints created so far. */
  public long checkpointCreations() {
    return checkpoints.sum();
  }

  /** Number of fsyncs of WAL segments so far. */
  public long fsyncCount() {
    synchronized (fsyncLock) {
      return fsyncCount;
    }
  }

  /** Index of the segment being written. */
  public int segmentCurrent() {
    return segmentCurrent;
  }

  @Override
  public MetricSnapshots collect() {
    long count;
    long nanos;
    synchronized (fsyncLock) {
      count = fsyncCount;
      nanos = fsyncNanos;
    }
    return MetricSnapshots.of(
        counter("prometheus_tsdb_wal_corruptions", "Total number of WAL corruptions.", corruptions.sum()),
        counter("prometheus_tsdb_wal_truncations", "Total number of write log truncations attempted.",
            truncations.sum()),
        counter("prometheus_tsdb_checkpoint_creations", "Total number of checkpoint creations attempted.",
            checkpoints.sum()),
        new SummarySnapshot(new MetricMetadata("prometheus_tsdb_wal_fsync_duration_seconds",
            "Duration of write log fsync.", "seconds"),
            List.of(new SummaryDataPoint(Labels.EMPTY, count, nanos / 1e9, List.of(), 0, 0))),
        new GaugeSnapshot(MetricMetadata.of("prometheus_tsdb_wal_segment_current",
            "Write log segment index that TSDB is currently writing to."),
            List.of(new GaugeDataPoint(Labels.EMPTY, segmentCurrent))));
  }

  private static CounterSnapshot counter(String name, String help, long v) {
    return new CounterSnapshot(MetricMetadata.of(name, help), List.of(new CounterDataPoint(Labels.EMPTY, v)));
  }

  @Override
  public List<String> metricNames() {
    return List.of("prometheus_tsdb_wal_corruptions", "prometheus_tsdb_wal_truncations",
        "prometheus_tsdb_checkpoint_creations", "prometheus_tsdb_wal_fsync_duration_seconds",
        "prometheus_tsdb_wal_segment_current");
  }
}
