package dev.promkit.client.snapshot;

import java.util.List;

/**
 * An immutable picture of one metric family at scrape time: what exposition writers, the
 * Pushgateway client and the scraper see. Never a live metric.
 */
public sealed interface MetricSnapshot
    permits CounterSnapshot, GaugeSnapshot, SummarySnapshot, HistogramSnapshot, InfoSnapshot,
        StateSetSnapshot, UnknownSnapshot {
  /** Family name, help and unit. */
  MetricMetadata metadata();

  /** The data points, one per label set. */
  List<? extends DataPoint> dataPoints();

  /** Common part of all data points. */
  interface DataPoint {
    /** The point's labels (without the metric name). */
    Labels labels();

    /** Explicit exposition timestamp in ms, or 0 for none (the normal case). */
    default long scrapeTimestampMillis() {
      return 0;
    }
  }
}
