package dev.promkit.client.registry;

import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A set of collectors scraped together. Create one per application (or per test); the
 * {@link #defaultRegistry()} exists only for the one-line use and library code never touches it.
 */
public final class Registry {
  private static final class Holder {
    static final Registry DEFAULT = new Registry();
  }

  private final CopyOnWriteArrayList<Collector> collectors = new CopyOnWriteArrayList<>();
  private final Map<String, Collector> namesInUse = new HashMap<>();

  /** A new, empty registry. */
  public Registry() {}

  /** The process-wide registry, for applications that want one. */
  public static Registry defaultRegistry() {
    return Holder.DEFAULT;
  }

  /**
   * Adds a collector.
   *
   * @throws IllegalArgumentException if it is already registered or one of its names is in use
   */
  public synchronized void register(Collector collector) {
    if (collectors.contains(collector)) {
      throw new IllegalArgumentException("collector already registered: " + collector);
    }
    List<String> names = collector.metricNames();
    for (String name : names) {
      if (namesInUse.containsKey(name)) {
        throw new IllegalArgumentException("duplicate registration: metric name '" + name
            + "' is already registered in this registry");
      }
    }
    for (String name : names) {
      namesInUse.put(name, collector);
    }
    collectors.add(collector);
  }

  /** Removes a collector; does nothing if it is not registered. */
  public synchronized void unregister(Collector collector) {
    if (collectors.remove(collector)) {
      namesInUse.values().removeIf(c -> c == collector);
    }
  }

  /** Removes every collector. */
  public synchronized void clear() {
    collectors.clear();
    namesInUse.clear();
  }

  /**
   * Collects every registered collector.
   *
   * @throws IllegalStateException when two collectors produced the same family name
   */
  public MetricSnapshots scrape() {
    return scrape(null);
  }

  /**
   * Collects the families whose name passes the filter (null: all). Collectors whose names are all
   * known and all filtered out are not called at all.
   */
  public MetricSnapshots scrape(Predicate<String> nameFilter) {
    List<MetricSnapshot> out = new ArrayList<>();
    for (Collector c : collectors) {
      if (nameFilter != null && skippable(c, nameFilter)) {
        continue;
      }
      for (MetricSnapshot s : c.collect()) {
        if (nameFilter == null || nameFilter.test(s.metadata().name())) {
          out.add(s);
        }
      }
    }
    try {
      return MetricSnapshots.of(out);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("scrape: " + e.getMessage() + " (two collectors produced it)", e);
    }
  }

  private static boolean skippable(Collector c, Predicate<String> filter) {
    List<String> names = c.metricNames();
    if (names.isEmpty()) {
      return false;
    }
    for (String n : names) {
      if (filter.test(n)) {
        return false;
      }
    }
    return true;
  }
}
