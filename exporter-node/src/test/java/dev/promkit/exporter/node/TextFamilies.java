package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.UnknownSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal reader of Prometheus text 0.0.4 for tests (families with TYPE, HELP and samples of
 * counters, gauges and untyped metrics), and the same view built from our snapshots.
 */
final class TextFamilies {
  record Sample(Labels labels, double value) {}

  static final class Family {
    final String name;
    String type = "untyped";
    String help = "";
    final List<Sample> samples = new ArrayList<>();

    Family(String name) {
      this.name = name;
    }

    Map<Labels, Double> byLabels() {
      Map<Labels, Double> m = new LinkedHashMap<>();
      for (Sample s : samples) {
        m.put(s.labels, s.value);
      }
      return m;
    }

    /** Label names of the first sample (families here have uniform label names). */
    List<String> labelNames() {
      List<String> names = new ArrayList<>();
      if (!samples.isEmpty()) {
        Labels l = samples.get(0).labels;
        for (int i = 0; i < l.size(); i++) {
          names.add(l.name(i));
        }
      }
      return names;
    }
  }

  private TextFamilies() {}

  /** Parses exposition text; throws with the line number on anything it does not understand. */
  static Map<String, Family> parse(String text) {
    Map<String, Family> out = new TreeMap<>();
    String[] lines = text.split("\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String rest = line.substring(7);
        int sp = rest.indexOf(' ');
        String name = sp < 0 ? rest : rest.substring(0, sp);
        String arg = sp < 0 ? "" : rest.substring(sp + 1);
        Family f = out.computeIfAbsent(name, Family::new);
        if (line.startsWith("# TYPE ")) {
          f.type = arg;
        } else {
          f.help = arg.replace("\\n", "\n").replace("\\\\", "\\");
        }
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int sp = line.indexOf(' ');
      String name;
      List<String> kv = new ArrayList<>();
      int valueStart;
      if (brace >= 0 && (sp < 0 || brace < sp)) {
        name = line.substring(0, brace);
        int i = brace + 1;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String ln = line.substring(i, eq).trim();
          if (line.charAt(eq + 1) != '"') {
            throw new IllegalArgumentException("line " + (n + 1) + ": expected quote: " + line);
          }
          StringBuilder v = new StringBuilder();
          int j = eq + 2;
          for (; line.charAt(j) != '"'; j++) {
            char c = line.charAt(j);
            if (c == '\\') {
              char e = line.charAt(++j);
              v.append(e == 'n' ? '\n' : e);
            } else {
              v.append(c);
            }
          }
          kv.add(ln);
          kv.add(v.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        valueStart = i + 2;
      } else {
        name = line.substring(0, sp);
        valueStart = sp + 1;
      }
      String[] parts = line.substring(valueStart).trim().split(" ");
      double value = parseValue(parts[0]);
      Family f = out.get(name);
      if (f == null) {
        f = out.computeIfAbsent(name, Family::new);
      }
      f.samples.add(new Sample(Labels.of(kv.toArray(new String[0])), value));
    }
    return out;
  }

  static double parseValue(String s) {
    switch (s) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(s);
    }
  }

  /** Our snapshots in the same shape, names as exposed (counters with {@code _total}). */
  static Map<String, Family> of(MetricSnapshots snapshots) {
    Map<String, Family> out = new TreeMap<>();
    for (MetricSnapshot s : snapshots) {
      String name = s.metadata().name();
      String type;
      if (s instanceof CounterSnapshot) {
        name += "_total";
        type = "counter";
      } else if (s instanceof GaugeSnapshot) {
        type = "gauge";
      } else if (s instanceof UnknownSnapshot) {
        type = "untyped";
      } else {
        throw new IllegalArgumentException("unexpected snapshot type for " + name);
      }
      Family f = new Family(name);
      f.type = type;
      f.help = s.metadata().help();
      for (MetricSnapshot.DataPoint p : s.dataPoints()) {
        double v = p instanceof CounterSnapshot.CounterDataPoint ? ((CounterSnapshot.CounterDataPoint) p).value()
            : p instanceof GaugeSnapshot.GaugeDataPoint ? ((GaugeSnapshot.GaugeDataPoint) p).value()
            : ((UnknownSnapshot.UnknownDataPoint) p).value();
        f.samples.add(new Sample(p.labels(), v));
      }
      out.put(name, f);
    }
    return out;
  }

  /** Renders families as text 0.0.4 (for eyeballing in failure messages). */
  static String render(Map<String, Family> families) {
    StringBuilder sb = new StringBuilder();
    for (Family f : families.values()) {
      sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
      for (Sample s : f.samples) {
        sb.append(f.name).append(s.labels).append(' ').append(s.value).append('\n');
      }
    }
    return sb.toString();
  }
}
