package dev.promkit.tsdb.compact;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Block and compaction metrics under Prometheus' names: {@code prometheus_tsdb_compactions_total},
 * {@code _compactions_failed_total}, {@code _compactions_triggered_total},
 * {@code _vertical_compactions_total}, {@code _compaction_duration_seconds} (histogram, buckets 1 s ·
 * 2<sup>i</sup>), {@code _tombstone_cleanup_seconds} (histogram), {@code _blocks_loaded},
 * {@code _lowest_timestamp} and {@code _lowest_timestamp_seconds}.
 */
public final class CompactionMetrics implements Collector {
  private static final double[] DURATION_BOUNDS = bounds(1, 2, 14);
  private static final double[] CLEANUP_BOUNDS = bounds(0.005, 2.5, 12);

  private final LongAdder ran = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder triggered = new LongAdder();
  private final LongAdder vertical = new LongAdder();
  private final Histogram duration = new Histogram(DURATION_BOUNDS);
  private final Histogram cleanup = new Histogram(CLEANUP_BOUNDS);
  private final LongSupplier blocksLoaded;
  private final LongSupplier lowestTimestamp;

  /**
   * @param blocksLoaded the number of blocks open
   * @param lowestTimestamp the oldest timestamp stored (ms); Long.MAX_VALUE when empty, exported as
   *     is (9.223372036854776e18), as Prometheus does
   */
  public CompactionMetrics(LongSupplier blocksLoaded, LongSupplier lowestTimestamp) {
    this.blocksLoaded = blocksLoaded;
    this.lowestTimestamp = lowestTimestamp;
  }

  /** The compaction loop woke up (after a commit that makes the head compactable, or on its timer). */
  public void triggered() {
    triggered.increment();
  }

  /** A compaction finished after {@code nanos}; {@code vertical} when its blocks overlapped. */
  public void ran(long nanos, boolean isVertical) {
    ran.increment();
    if (isVertical) {
      vertical.increment();
    }
    duration.observe(nanos / 1e9);
  }

  /** A compaction failed. */
  public void failed() {
    failed.increment();
  }

  /** A tombstone clean-up took {@code nanos}. */
  public void cleanup(long nanos) {
    cleanup.observe(nanos / 1e9);
  }

  /** Compactions finished so far (head compactions included). */
  public long compactions() {
    return ran.sum();
  }

  /** Failed compactions so far. */
  public long failures() {
    return failed.sum();
  }

  /** Vertical compactions so far. */
  public long verticalCompactions() {
    return vertical.sum();
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(counter("prometheus_tsdb_compactions", "Total number of compactions that were executed for the partition.",
        ran.sum()));
    out.add(counter("prometheus_tsdb_compactions_failed", "Total number of compactions that failed for the partition.",
        failed.sum()));
    out.add(counter("prometheus_tsdb_compactions_triggered", "Total number of triggered compactions for the partition.",
        triggered.sum()));
    out.add(counter("prometheus_tsdb_vertical_compactions",
        "Total number of compactions done on overlapping blocks.", vertical.sum()));
    out.add(duration.snapshot("prometheus_tsdb_compaction_duration_seconds",
        "Duration of compaction runs"));
    out.add(cleanup.snapshot("prometheus_tsdb_tombstone_cleanup_seconds",
        "The time taken to recompact blocks to remove tombstones."));
    out.add(gauge("prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks", blocksLoaded.getAsLong()));
    long lowest = lowestTimestamp.getAsLong();
    out.add(gauge("prometheus_tsdb_lowest_timestamp", "Lowest timestamp value stored in the database. The unit is "
        + "decided by the library consumer.", lowest));
    out.add(new GaugeSnapshot(new MetricMetadata("prometheus_tsdb_lowest_timestamp_seconds",
        "Lowest timestamp value stored in the database.", "seconds"),
        List.of(new GaugeDataPoint(Labels.EMPTY, lowest / 1000))));
    return MetricSnapshots.of(out);
  }

  @Override
  public List<String> metricNames() {
    return List.of("prometheus_tsdb_compactions", "prometheus_tsdb_compactions_failed",
        "prometheus_tsdb_compactions_triggered", "prometheus_tsdb_vertical_compactions",
        "prometheus_tsdb_compaction_duration_seconds", "prometheus_tsdb_tombstone_cleanup_seconds",
        "prometheus_tsdb_blocks_loaded", "prometheus_tsdb_lowest_timestamp", "prometheus_tsdb_lowest_timestamp_seconds");
  }

  private static CounterSnapshot counter(String name, String help, long v) {
    return new CounterSnapshot(MetricMetadata.of(name, help), List.of(new CounterDataPoint(Labels.EMPTY, v)));
  }

  private static GaugeSnapshot gauge(String name, String help, double v) {
    return new GaugeSnapshot(MetricMetadata.of(name, help), List.of(new GaugeDataPoint(Labels.EMPTY, v)));
  }

  private static double[] bounds(double start, double factor, int n) {
    double[] b = new double[n + 1];
    for (int i = 0; i < n; i++) {
      b[i] = start * Math.pow(factor, i);
    }
    b[n] = Double.POSITIVE_INFINITY;
    return b;
  }

  /** A small synchronised histogram (observed a few times an hour). */
  private static final class Histogram {
    private final double[] bounds;
    private final long[] counts;
    private double sum;

    Histogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new long[bounds.length];
    }

    synchronized void observe(double v) {
      int i = 0;
      while (v > bounds[i]) {
        i++;
      }
      counts[i]++;
      sum += v;
    }

    synchronized HistogramSnapshot snapshot(String name, String help) {
      return new HistogramSnapshot(new MetricMetadata(name, help, "seconds"),
          List.of(new HistogramDataPoint(Labels.EMPTY, bounds.clone(), counts.clone(), sum, null, 0, 0)));
    }
  }
}
