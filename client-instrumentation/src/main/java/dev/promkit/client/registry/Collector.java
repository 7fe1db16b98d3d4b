package dev.promkit.client.registry;

import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.List;

/**
 * Something that produces metric families when scraped: a metric, a group of callback metrics,
 * the JVM metrics, a node exporter collector. Called concurrently from scrapes; must be thread-safe.
 */
@FunctionalInterface
public interface Collector {
  /** The families as they are now. Must not return a family whose name fails the filter only to have it dropped later. */
  MetricSnapshots collect();

  /**
   * The family names this collector will produce, when known in advance; the registry uses them to
   * reject duplicate registrations at {@code register} time. An empty list means "not known".
   */
  default List<String> metricNames() {
    return List.of();
  }
}
