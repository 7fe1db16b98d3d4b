package dev.promkit.client.exposition;

import dev.promkit.client.exposition.ExpositionParser.Entry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.Exemplar;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.InfoSnapshot;
import dev.promkit.client.snapshot.InfoSnapshot.InfoDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.StateSetSnapshot;
import dev.promkit.client.snapshot.StateSetSnapshot.StateSetDataPoint;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.SummarySnapshot.Quantile;
import dev.promkit.client.snapshot.SummarySnapshot.SummaryDataPoint;
import dev.promkit.client.snapshot.UnknownSnapshot;
import dev.promkit.client.snapshot.UnknownSnapshot.UnknownDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups parsed samples into snapshot families: a TYPE/HELP/UNIT line opens a family, samples whose
 * names fit it (by the suffixes of its type) join it, and any other sample opens an untyped family
 * of its own. Text counters declared as {@code x_total} become the family {@code x}.
 */
final class SnapshotAssembler {
  private final ExpositionParser p;
  private final boolean om;
  private final List<MetricSnapshot> out = new ArrayList<>();

  private String declared; // the family name as written in the metadata (text counters: x_total)
  private MetricType type;
  private String help = "";
  private String unit = "";
  private final Map<Labels, Point> points = new LinkedHashMap<>();

  /** Everything seen for one label set of a family. */
  private static final class Point {
    double value;
    Exemplar exemplar;
    long ts;
    long created;
    boolean hasValue;
    final List<double[]> buckets = new ArrayList<>(); // {le, cumulative count}
    final List<Exemplar> bucketExemplars = new ArrayList<>();
    double count = Double.NaN;
    double sum = Double.NaN;
    final List<Quantile> quantiles = new ArrayList<>();
    final List<String> states = new ArrayList<>();
    final List<Boolean> enabled = new ArrayList<>();
  }

  SnapshotAssembler(ExpositionParser p, ExpositionFormat format) {
    this.p = p;
    this.om = format == ExpositionFormat.OPENMETRICS;
  }

  MetricSnapshots assemble() throws ExpositionParseException {
    for (Entry e = p.next(); e != Entry.END; e = p.next()) {
      switch (e) {
        case TYPE:
        case HELP:
        case UNIT:
          if (!p.familyName().equals(declared) || (e == Entry.TYPE && type != null && !points.isEmpty())) {
            flush();
            declared = p.familyName();
          }
          if (e == Entry.TYPE) {
            type = p.type();
          } else if (e == Entry.HELP) {
            help = p.help();
          } else {
            unit = p.unit();
          }
          break;
        case SAMPLE:
          sample();
          break;
        default:
          break;
      }
    }
    flush();
    try {
      return MetricSnapshots.of(out);
    } catch (IllegalArgumentException ex) {
      throw new ExpositionParseException(p.line(), 1, ex.getMessage() + " (a family appears twice)");
    }
  }

  private void sample() throws ExpositionParseException {
    String name = p.name();
    String suffix = declared == null ? null : suffixOf(name);
    if (suffix == null) {
      flush();
      declared = name;
      type = MetricType.UNKNOWN;
      suffix = "";
    }
    MetricType t = type == null ? MetricType.UNKNOWN : type;
    String special = t == MetricType.HISTOGRAM && suffix.equals("_bucket") ? "le"
        : t == MetricType.SUMMARY && suffix.isEmpty() ? "quantile"
        : t == MetricType.STATESET ? declared : null;
    Labels labels = special == null ? p.labels() : labelsWithout(special);
    Point pt = points.computeIfAbsent(labels, k -> new Point());
    double v = p.value();
    if (p.hasTimestamp() && pt.ts == 0) {
      pt.ts = p.timestampMillis();
    }
    if (suffix.equals("_created")) {
      pt.created = Math.round(v * 1000);
    } else if (suffix.equals("_count")) {
      pt.count = v;
    } else if (suffix.equals("_sum")) {
      pt.sum = v;
    } else if (suffix.equals("_bucket")) {
      pt.buckets.add(new double[] {specialNumber("le"), v});
      pt.bucketExemplars.add(exemplar());
    } else if (t == MetricType.SUMMARY) {
      pt.quantiles.add(new Quantile(specialNumber("quantile"), v));
    } else if (t == MetricType.STATESET) {
      pt.states.add(specialValue(declared));
      pt.enabled.add(v != 0);
    } else {
      if (pt.hasValue) {
        throw new ExpositionParseException(p.line(), 1, "duplicate sample " + name + labels);
      }
      pt.hasValue = true;
      pt.value = v;
      pt.exemplar = exemplar();
    }
  }

  /** The suffix by which a sample belongs to the current family, or null when it does not. */
  private String suffixOf(String name) throws ExpositionParseException {
    if (!name.startsWith(declared)) {
      return null;
    }
    String rest = name.substring(declared.length());
    MetricType t = type == null ? MetricType.UNKNOWN : type;
    switch (t) {
      case COUNTER:
        if (om) {
          return rest.equals("_total") || rest.equals("_created") ? rest : null;
        }
        return rest.isEmpty() ? "" : null;
      case HISTOGRAM:
        return rest.equals("_bucket") || rest.equals("_count") || rest.equals("_sum")
            || (om && rest.equals("_created")) ? rest : null;
      case SUMMARY:
        return rest.isEmpty() || rest.equals("_count") || rest.equals("_sum")
            || (om && rest.equals("_created")) ? rest : null;
      case INFO:
        return rest.equals("_info") ? rest : null;
      case GAUGE_HISTOGRAM:
        throw new ExpositionParseException(p.line(), 1,
            "gaugehistogram family " + declared + " cannot be represented as a snapshot");
      default:
        return rest.isEmpty() ? "" : null;
    }
  }

  private Labels labelsWithout(String special) throws ExpositionParseException {
    int n = p.labelCount();
    List<String> names = new ArrayList<>(n);
    List<String> values = new ArrayList<>(n);
    boolean found = false;
    for (int i = 0; i < n; i++) {
      if (p.labelName(i).equals(special)) {
        found = true;
      } else {
        names.add(p.labelName(i));
        values.add(p.labelValue(i));
      }
    }
    if (!found) {
      throw new ExpositionParseException(p.line(), 1, "sample " + p.name() + " lacks the label \"" + special + "\"");
    }
    return Labels.of(names.toArray(new String[0]), values.toArray(new String[0]));
  }

  private String specialValue(String label) {
    for (int i = 0; i < p.labelCount(); i++) {
      if (p.labelName(i).equals(label)) {
        return p.labelValue(i);
      }
    }
    throw new AssertionError("checked by labelsWithout");
  }

  private double specialNumber(String label) throws ExpositionParseException {
    String s = specialValue(label);
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    double d = Lexing.parseFloat(bytes, 0, bytes.length);
    if (Double.isNaN(d)) {
      throw new ExpositionParseException(p.line(), 1, "label " + label + "=\"" + s + "\" is not a number");
    }
    return d;
  }

  private Exemplar exemplar() {
    if (!p.hasExemplar()) {
      return null;
    }
    return new Exemplar(p.exemplarLabels(), p.exemplarValue(),
        p.exemplarHasTimestamp() ? p.exemplarTimestampMillis() : 0);
  }

  private void flush() throws ExpositionParseException {
    if (declared != null && (!points.isEmpty() || type != null)) {
      out.add(build());
    }
    declared = null;
    type = null;
    help = "";
    unit = "";
    points.clear();
  }

  private MetricSnapshot build() throws ExpositionParseException {
    MetricType t = type == null ? MetricType.UNKNOWN : type;
    String name = declared;
    if (t == MetricType.COUNTER && !om && name.endsWith("_total")) {
      name = name.substring(0, name.length() - "_total".length());
    }
    MetricMetadata md = new MetricMetadata(name, help, unit);
    switch (t) {
      case COUNTER: {
        List<CounterDataPoint> l = new ArrayList<>();
        points.forEach((k, v) -> l.add(new CounterDataPoint(k, v.value, v.exemplar, v.created, v.ts)));
        return new CounterSnapshot(md, l);
      }
      case GAUGE: {
        List<GaugeDataPoint> l = new ArrayList<>();
        points.forEach((k, v) -> l.add(new GaugeDataPoint(k, v.value, null, v.ts)));
        return new GaugeSnapshot(md, l);
      }
      case HISTOGRAM: {
        List<HistogramDataPoint> l = new ArrayList<>();
        for (Map.Entry<Labels, Point> e : points.entrySet()) {
          l.add(histogram(e.getKey(), e.getValue()));
        }
        return new HistogramSnapshot(md, l);
      }
      case SUMMARY: {
        List<SummaryDataPoint> l = new ArrayList<>();
        points.forEach((k, v) -> l.add(new SummaryDataPoint(k, Double.isNaN(v.count) ? 0 : (long) v.count,
            Double.isNaN(v.sum) ? 0 : v.sum, v.quantiles, v.created, v.ts)));
        return new SummarySnapshot(md, l);
      }
      case INFO: {
        List<InfoDataPoint> l = new ArrayList<>();
        points.forEach((k, v) -> l.add(new InfoDataPoint(k)));
        return new InfoSnapshot(md, l);
      }
      case STATESET: {
        List<StateSetDataPoint> l = new ArrayList<>();
        points.forEach((k, v) -> l.add(new StateSetDataPoint(k, v.states, v.enabled)));
        return new StateSetSnapshot(md, l);
      }
      default: {
        List<UnknownDataPoint> l = new ArrayList<>();
        points.forEach((k, v) -> l.add(new UnknownDataPoint(k, v.value, v.exemplar, v.ts)));
        return new UnknownSnapshot(md, l);
      }
    }
  }

  private HistogramDataPoint histogram(Labels labels, Point v) throws ExpositionParseException {
    int n = v.buckets.size();
    if (n == 0 || v.buckets.get(n - 1)[0] != Double.POSITIVE_INFINITY) {
      throw new ExpositionParseException(p.line(), 1,
          "histogram " + declared + labels + " has no le=\"+Inf\" bucket as its last bucket");
    }
    double[] bounds = new double[n];
    long[] counts = new long[n];
    Exemplar[] exemplars = new Exemplar[n];
    boolean anyExemplar = false;
    double previous = 0;
    for (int i = 0; i < n; i++) {
      double[] bucket = v.buckets.get(i);
      if (i > 0 && bucket[0] <= bounds[i - 1]) {
        throw new ExpositionParseException(p.line(), 1, "histogram " + declared + labels + ": buckets not ascending");
      }
      if (bucket[1] < previous) {
        throw new ExpositionParseException(p.line(), 1,
            "histogram " + declared + labels + ": bucket counts decrease at le=" + bucket[0]);
      }
      bounds[i] = bucket[0];
      counts[i] = (long) (bucket[1] - previous); // the format is cumulative, the snapshot per bucket
      previous = bucket[1];
      exemplars[i] = v.bucketExemplars.get(i);
      anyExemplar |= exemplars[i] != null;
    }
    return new HistogramDataPoint(labels, bounds, counts, Double.isNaN(v.sum) ? 0 : v.sum,
        anyExemplar ? exemplars : null, v.created, v.ts);
  }
}
