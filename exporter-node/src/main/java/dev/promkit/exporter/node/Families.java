package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.UnknownSnapshot;
import dev.promkit.client.snapshot.UnknownSnapshot.UnknownDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates the samples of one scrape, family by family, as node_exporter's collectors send
 * them down a channel. Names are the exposed names: a counter is given with its {@code _total}.
 */
final class Families {
  enum Type { GAUGE, COUNTER, UNTYPED }

  private static final class Family {
    final Type type;
    final String help;
    final List<Labels> labels = new ArrayList<>();
    // Unboxed: a scrape adds ~1,000 samples.
    double[] values = new double[8];

    Family(Type type, String help) {
      this.type = type;
      this.help = help;
    }

    void add(Labels l, double v) {
      int n = labels.size();
      if (n == values.length) {
        values = java.util.Arrays.copyOf(values, n * 2);
      }
      values[n] = v;
      labels.add(l);
    }

    void addAll(Family other) {
      for (int i = 0; i < other.labels.size(); i++) {
        add(other.labels.get(i), other.values[i]);
      }
    }
  }

  private final Map<String, Family> families = new LinkedHashMap<>();
  private final Map<String, MetricSnapshot> raw = new LinkedHashMap<>();

  /** Adds a gauge sample. */
  void gauge(String name, String help, double value, String... labels) {
    add(Type.GAUGE, name, help, value, labels);
  }

  /** Adds a counter sample; {@code name} is the exposed name and must end in {@code _total}. */
  void counter(String name, String help, double value, String... labels) {
    if (!name.endsWith("_total")) {
      throw new IllegalArgumentException("counter name must end in _total: " + name);
    }
    add(Type.COUNTER, name, help, value, labels);
  }

  /** Adds an untyped sample. */
  void untyped(String name, String help, double value, String... labels) {
    add(Type.UNTYPED, name, help, value, labels);
  }

  void add(Type type, String name, String help, double value, String... labels) {
    add(type, name, help, value, labels.length == 0 ? Labels.EMPTY : Labels.of(labels));
  }

  void add(Type type, String name, String help, double value, Labels labels) {
    Family f = families.computeIfAbsent(name, n -> new Family(type, help));
    if (f.type != type) {
      throw new IllegalStateException("metric " + name + " added as " + type + " and as " + f.type);
    }
    f.add(labels, value);
  }

  /** True when a family of this name and type (null: a finished family) can be added. */
  boolean accepts(String name, Type type) {
    Family f = families.get(name);
    if (type == null) {
      return f == null && !raw.containsKey(name);
    }
    return !raw.containsKey(name) && (f == null || f.type == type);
  }

  /** Adds a finished family of a type the accumulator does not build (histogram, summary, ...). */
  void raw(MetricSnapshot snapshot) {
    String name = snapshot.metadata().name();
    if (families.containsKey(name) || raw.containsKey(name)) {
      throw new IllegalStateException("metric " + name + " collected twice");
    }
    raw.put(name, snapshot);
  }

  /**
   * Appends every sample of another accumulator (a collector's own), keeping family order. A family
   * that clashes with one already here (another type, or a finished family of the same name) is
   * dropped and named in the returned list, so one collector cannot break the whole scrape.
   */
  List<String> addAll(Families other) {
    List<String> dropped = new ArrayList<>();
    for (Map.Entry<String, Family> e : other.families.entrySet()) {
      Family src = e.getValue();
      Family existing = families.get(e.getKey());
      if ((existing != null && existing.type != src.type) || raw.containsKey(e.getKey())) {
        dropped.add(e.getKey());
        continue;
      }
      Family dst = families.computeIfAbsent(e.getKey(), n -> new Family(src.type, src.help));
      dst.addAll(src);
    }
    for (Map.Entry<String, MetricSnapshot> e : other.raw.entrySet()) {
      if (families.containsKey(e.getKey()) || raw.containsKey(e.getKey())) {
        dropped.add(e.getKey());
      } else {
        raw.put(e.getKey(), e.getValue());
      }
    }
    return dropped;
  }

  /** Number of families so far. */
  int size() {
    return families.size();
  }

  /** Builds immutable snapshots; counters lose their {@code _total} as the snapshot model wants. */
  List<MetricSnapshot> toSnapshots() {
    List<MetricSnapshot> out = new ArrayList<>(families.size() + raw.size());
    out.addAll(raw.values());
    for (Map.Entry<String, Family> e : families.entrySet()) {
      String name = e.getKey();
      Family f = e.getValue();
      int n = f.labels.size();
      switch (f.type) {
        case COUNTER: {
          List<CounterDataPoint> points = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            points.add(new CounterDataPoint(f.labels.get(i), f.values[i]));
          }
          String base = name.substring(0, name.length() - "_total".length());
          out.add(new CounterSnapshot(MetricMetadata.of(base, f.help), points));
          break;
        }
        case GAUGE: {
          List<GaugeDataPoint> points = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            points.add(new GaugeDataPoint(f.labels.get(i), f.values[i]));
          }
          out.add(new GaugeSnapshot(MetricMetadata.of(name, f.help), points));
          break;
        }
        default: {
          List<UnknownDataPoint> points = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            points.add(new UnknownDataPoint(f.labels.get(i), f.values[i]));
          }
          out.add(new UnknownSnapshot(MetricMetadata.of(name, f.help), points));
        }
      }
    }
    return out;
  }
}
