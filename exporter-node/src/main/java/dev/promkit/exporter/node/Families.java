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
    final List<Double> values = new ArrayList<>();

    Family(Type type, String help) {
      this.type = type;
      this.help = help;
    }
  }

  private final Map<String, Family> families = new LinkedHashMap<>();

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
    Family f = families.computeIfAbsent(name, n -> new Family(type, help));
    if (f.type != type) {
      throw new IllegalStateException("metric " + name + " added as " + type + " and as " + f.type);
    }
    f.labels.add(labels.length == 0 ? Labels.EMPTY : Labels.of(labels));
    f.values.add(value);
  }

  /** Appends every sample of another accumulator (a collector's own), keeping family order. */
  void addAll(Families other) {
    for (Map.Entry<String, Family> e : other.families.entrySet()) {
      Family src = e.getValue();
      Family dst = families.computeIfAbsent(e.getKey(), n -> new Family(src.type, src.help));
      if (dst.type != src.type) {
        throw new IllegalStateException("metric " + e.getKey() + " added as " + src.type + " and as " + dst.type);
      }
      dst.labels.addAll(src.labels);
      dst.values.addAll(src.values);
    }
  }

  /** Number of families so far. */
  int size() {
    return families.size();
  }

  /** Builds immutable snapshots; counters lose their {@code _total} as the snapshot model wants. */
  List<MetricSnapshot> toSnapshots() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (Map.Entry<String, Family> e : families.entrySet()) {
      String name = e.getKey();
      Family f = e.getValue();
      int n = f.values.size();
      switch (f.type) {
        case COUNTER: {
          List<CounterDataPoint> points = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            points.add(new CounterDataPoint(f.labels.get(i), f.values.get(i)));
          }
          String base = name.substring(0, name.length() - "_total".length());
          out.add(new CounterSnapshot(MetricMetadata.of(base, f.help), points));
          break;
        }
        case GAUGE: {
          List<GaugeDataPoint> points = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            points.add(new GaugeDataPoint(f.labels.get(i), f.values.get(i)));
          }
          out.add(new GaugeSnapshot(MetricMetadata.of(name, f.help), points));
          break;
        }
        default: {
          List<UnknownDataPoint> points = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            points.add(new UnknownDataPoint(f.labels.get(i), f.values.get(i)));
          }
          out.add(new UnknownSnapshot(MetricMetadata.of(name, f.help), points));
        }
      }
    }
    return out;
  }
}
