package dev.promkit.client.exposition;

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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The writer of both text formats; they differ in a handful of places, each marked {@code om}.
 *
 * <p>Float label values ({@code le}, {@code quantile}) are written in the canonical OpenMetrics
 * form ({@code 1.0}, {@code 0.25}, {@code 1e+06}) in BOTH formats, as client_java 1.x does,
 * although client_golang's text 0.0.4 writes {@code le="1"}: Prometheus 2.x does not normalise
 * them, so writing one form keeps a bucket series the same whether the scraper negotiated
 * OpenMetrics or text; Prometheus 3.x normalises both to this form anyway.
 *
 * <p>Text 0.0.4 names a counter family {@code x_total} in HELP/TYPE (as client_java 1.x and
 * client_golang do) and an info family {@code x_info} typed gauge; it has no units, no
 * {@code _created} and no exemplars, so those are left out. OpenMetrics names families without
 * suffixes and ends with {@code # EOF}.
 */
final class FormatWriter implements ExpositionWriter {
  private static final int BUFFER_SIZE = 16 * 1024;
  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HELP = "# HELP ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TYPE = "# TYPE ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UNIT = "# UNIT ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EXEMPLAR = " # {".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LE = "le".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] QUANTILE = "quantile".getBytes(StandardCharsets.US_ASCII);

  private final ExpositionFormat format;
  private final NameEscaping escaping;
  private final boolean om;
  private final String contentType;

  FormatWriter(ExpositionFormat format, NameEscaping escaping, boolean advertiseEscaping) {
    this.format = format;
    this.escaping = escaping;
    this.om = format == ExpositionFormat.OPENMETRICS;
    this.contentType = advertiseEscaping
        ? format.contentType() + "; escaping=" + escaping.headerValue() : format.contentType();
  }

  @Override
  public ExpositionFormat format() {
    return format;
  }

  @Override
  public NameEscaping escaping() {
    return escaping;
  }

  @Override
  public String contentType() {
    return contentType;
  }

  /** The same writer with {@code escaping=} in its Content-Type (for scrapers that asked for one). */
  FormatWriter advertisingEscaping() {
    return new FormatWriter(format, escaping, true);
  }

  @Override
  public void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    ByteSink s = new ByteSink(out, BUFFER_SIZE);
    for (MetricSnapshot m : snapshots) {
      writeFamily(s, m);
    }
    if (om) {
      s.writeBytes(EOF);
    }
    s.flush();
    out.flush();
  }

  private void writeFamily(ByteSink s, MetricSnapshot m) throws IOException {
    MetricMetadata md = m.metadata();
    String name = escaping == NameEscaping.UNDERSCORES ? NameEscaping.underscores(md.name(), true) : md.name();
    boolean quote = escaping == NameEscaping.ALLOW_UTF8 && !NameEscaping.isLegacyMetricName(name);
    Family f = new Family(name, quote);
    if (m instanceof CounterSnapshot) {
      metadata(s, f, om ? "" : "_total", "counter", md);
      for (CounterDataPoint p : ((CounterSnapshot) m).dataPoints()) {
        boolean open = sampleStart(s, f, "_total", p.labels());
        doubleEnd(s, open, p.value(), p.scrapeTimestampMillis(), om ? p.exemplar() : null);
        created(s, f, p.labels(), p.createdTimestampMillis(), p.scrapeTimestampMillis());
      }
    } else if (m instanceof GaugeSnapshot) {
      metadata(s, f, "", "gauge", md);
      for (GaugeDataPoint p : ((GaugeSnapshot) m).dataPoints()) {
        boolean open = sampleStart(s, f, "", p.labels());
        doubleEnd(s, open, p.value(), p.scrapeTimestampMillis(), null); // OpenMetrics 1.0: no gauge exemplars
      }
    } else if (m instanceof HistogramSnapshot) {
      metadata(s, f, "", "histogram", md);
      for (HistogramDataPoint p : ((HistogramSnapshot) m).dataPoints()) {
        writeHistogram(s, f, p);
      }
    } else if (m instanceof SummarySnapshot) {
      metadata(s, f, "", "summary", md);
      for (SummaryDataPoint p : ((SummarySnapshot) m).dataPoints()) {
        long ts = p.scrapeTimestampMillis();
        for (Quantile q : p.quantiles()) {
          boolean open = sampleStart(s, f, "", p.labels());
          numberLabel(s, open, QUANTILE, q.quantile());
          doubleEnd(s, false, q.value(), ts, null);
        }
        longEnd(s, sampleStart(s, f, "_count", p.labels()), p.count(), ts);
        doubleEnd(s, sampleStart(s, f, "_sum", p.labels()), p.sum(), ts, null);
        created(s, f, p.labels(), p.createdTimestampMillis(), ts);
      }
    } else if (m instanceof InfoSnapshot) {
      metadata(s, f, om ? "" : "_info", om ? "info" : "gauge", md);
      for (InfoDataPoint p : ((InfoSnapshot) m).dataPoints()) {
        longEnd(s, sampleStart(s, f, "_info", p.labels()), 1, 0);
      }
    } else if (m instanceof StateSetSnapshot) {
      metadata(s, f, "", om ? "stateset" : "gauge", md);
      for (StateSetDataPoint p : ((StateSetSnapshot) m).dataPoints()) {
        for (int i = 0; i < p.states().size(); i++) {
          boolean open = sampleStart(s, f, "", p.labels());
          s.writeByte(open ? ',' : '{');
          labelName(s, name); // the state label is named after the family
          s.writeByte('=');
          s.writeByte('"');
          s.writeString(p.states().get(i), ByteSink.ESCAPE_QUOTED);
          s.writeByte('"');
          longEnd(s, true, Boolean.TRUE.equals(p.enabled().get(i)) ? 1 : 0, 0);
        }
      }
    } else if (m instanceof UnknownSnapshot) {
      metadata(s, f, "", om ? "unknown" : "untyped", md);
      for (UnknownDataPoint p : ((UnknownSnapshot) m).dataPoints()) {
        boolean open = sampleStart(s, f, "", p.labels());
        doubleEnd(s, open, p.value(), p.scrapeTimestampMillis(), null);
      }
    } else {
      throw new IllegalArgumentException("no exposition for snapshot type " + m.getClass().getName());
    }
  }

  private void writeHistogram(ByteSink s, Family f, HistogramDataPoint p) throws IOException {
    Labels labels = p.labels();
    long ts = p.scrapeTimestampMillis();
    double[] bounds = p.upperBounds();
    long[] counts = p.counts();
    Exemplar[] exemplars = om ? p.exemplars() : null;
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += counts[i]; // the snapshot holds per-bucket counts; the format wants them cumulative
      boolean open = sampleStart(s, f, "_bucket", labels);
      numberLabel(s, open, LE, bounds[i]);
      s.writeByte(' ');
      s.writeLong(cumulative);
      timestamp(s, ts);
      if (exemplars != null && exemplars[i] != null) {
        exemplar(s, exemplars[i]);
      }
      s.writeByte('\n');
    }
    longEnd(s, sampleStart(s, f, "_count", labels), cumulative, ts);
    doubleEnd(s, sampleStart(s, f, "_sum", labels), p.sum(), ts, null);
    created(s, f, labels, p.createdTimestampMillis(), ts);
  }

  /** The escaped family name and whether it must be quoted. */
  private static final class Family {
    final String name;
    final boolean quote;

    Family(String name, boolean quote) {
      this.name = name;
      this.quote = quote;
    }
  }

  private void metadata(ByteSink s, Family f, String suffix, String type, MetricMetadata md) throws IOException {
    if (om) {
      metaLine(s, TYPE, f, suffix);
      s.writeUtf8(type);
      s.writeByte('\n');
      // Prometheus rejects a UNIT that is not a suffix of the family name: write only consistent ones.
      if (!md.unit().isEmpty() && md.name().endsWith("_" + md.unit())) {
        metaLine(s, UNIT, f, suffix);
        s.writeString(md.unit(), ByteSink.ESCAPE_QUOTED);
        s.writeByte('\n');
      }
      if (!md.help().isEmpty()) {
        metaLine(s, HELP, f, suffix);
        s.writeString(md.help(), ByteSink.ESCAPE_QUOTED);
        s.writeByte('\n');
      }
    } else {
      if (!md.help().isEmpty()) {
        metaLine(s, HELP, f, suffix);
        s.writeString(md.help(), ByteSink.ESCAPE_HELP);
        s.writeByte('\n');
      }
      metaLine(s, TYPE, f, suffix);
      s.writeUtf8(type);
      s.writeByte('\n');
    }
  }

  private static void metaLine(ByteSink s, byte[] keyword, Family f, String suffix) throws IOException {
    s.writeBytes(keyword);
    if (f.quote) {
      s.writeByte('"');
      s.writeString(f.name, ByteSink.ESCAPE_QUOTED);
      s.writeUtf8(suffix);
      s.writeByte('"');
    } else {
      s.writeUtf8(f.name);
      s.writeUtf8(suffix);
    }
    s.writeByte(' ');
  }

  /**
   * Writes the name and the point's labels; returns true when a label set was opened and is still
   * open (so the caller appends more labels or a closing brace).
   */
  private boolean sampleStart(ByteSink s, Family f, String suffix, Labels labels) throws IOException {
    if (f.quote) {
      s.writeByte('{');
      s.writeByte('"');
      s.writeString(f.name, ByteSink.ESCAPE_QUOTED);
      s.writeUtf8(suffix);
      s.writeByte('"');
    } else {
      s.writeUtf8(f.name);
      s.writeUtf8(suffix);
      if (labels.isEmpty()) {
        return false;
      }
      s.writeByte('{');
    }
    int n = labels.size();
    for (int i = 0; i < n; i++) {
      if (i > 0 || f.quote) {
        s.writeByte(',');
      }
      labelName(s, labels.name(i));
      s.writeByte('=');
      s.writeByte('"');
      s.writeString(labels.value(i), ByteSink.ESCAPE_QUOTED);
      s.writeByte('"');
    }
    return true;
  }

  /** Appends {@code name="<canonical float>"} and closes the label set. */
  private static void numberLabel(ByteSink s, boolean open, byte[] name, double v) throws IOException {
    s.writeByte(open ? ',' : '{');
    s.writeBytes(name);
    s.writeByte('=');
    s.writeByte('"');
    s.writeCanonicalFloat(v);
    s.writeByte('"');
    s.writeByte('}');
  }

  private void labelName(ByteSink s, String name) throws IOException {
    boolean legacy;
    if (name == s.lastLabelName) { // identity: points of a family share their label name Strings
      legacy = s.lastLabelNameLegacy;
    } else {
      legacy = NameEscaping.isLegacyLabelName(name);
      s.lastLabelName = name;
      s.lastLabelNameLegacy = legacy;
    }
    if (legacy) {
      s.writeUtf8(name);
    } else if (escaping == NameEscaping.UNDERSCORES) {
      int n = name.length();
      for (int i = 0; i < n; i++) {
        char c = name.charAt(i);
        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(name.charAt(i - 1))) {
          continue; // a surrogate pair is one character and becomes one '_'
        }
        s.writeByte(NameEscaping.legacyChar(c, i, false) ? c : '_');
      }
    } else {
      s.writeByte('"');
      s.writeString(name, ByteSink.ESCAPE_QUOTED);
      s.writeByte('"');
    }
  }

  private void doubleEnd(ByteSink s, boolean open, double value, long ts, Exemplar ex) throws IOException {
    if (open) {
      s.writeByte('}');
    }
    s.writeByte(' ');
    s.writeValue(value);
    timestamp(s, ts);
    if (ex != null) {
      exemplar(s, ex);
    }
    s.writeByte('\n');
  }

  private void longEnd(ByteSink s, boolean open, long value, long ts) throws IOException {
    if (open) {
      s.writeByte('}');
    }
    s.writeByte(' ');
    s.writeLong(value);
    timestamp(s, ts);
    s.writeByte('\n');
  }

  private void timestamp(ByteSink s, long ts) throws IOException {
    if (ts != 0) {
      s.writeByte(' ');
      if (om) {
        s.writeMillisAsSeconds(ts); // OpenMetrics timestamps are seconds
      } else {
        s.writeLong(ts);
      }
    }
  }

  private void exemplar(ByteSink s, Exemplar ex) throws IOException {
    s.writeBytes(EXEMPLAR);
    Labels l = ex.labels();
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        s.writeByte(',');
      }
      labelName(s, l.name(i));
      s.writeByte('=');
      s.writeByte('"');
      s.writeString(l.value(i), ByteSink.ESCAPE_QUOTED);
      s.writeByte('"');
    }
    s.writeByte('}');
    s.writeByte(' ');
    s.writeValue(ex.value());
    if (ex.timestampMillis() != 0) {
      s.writeByte(' ');
      s.writeMillisAsSeconds(ex.timestampMillis());
    }
  }

  /** OpenMetrics only: {@code name_created{labels} <seconds>} when the creation time is known. */
  private void created(ByteSink s, Family f, Labels labels, long createdMillis, long ts) throws IOException {
    if (om && createdMillis != 0) {
      boolean open = sampleStart(s, f, "_created", labels);
      if (open) {
        s.writeByte('}');
      }
      s.writeByte(' ');
      s.writeMillisAsSeconds(createdMillis);
      timestamp(s, ts);
      s.writeByte('\n');
    }
  }
}
