package dev.promkit.client.exposition;

import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A streaming cursor over an exposition body in the Prometheus text format 0.0.4 or OpenMetrics
 * 1.0, as Prometheus' {@code textparse} reads them. Call {@link #next()} until it returns
 * {@link Entry#END}; after each entry read its fields through the accessors that belong to it:
 *
 * <pre>{@code
 * ExpositionParser p = ExpositionParser.create(ExpositionFormat.OPENMETRICS, body, 0, body.length);
 * for (Entry e = p.next(); e != Entry.END; e = p.next()) {
 *   if (e == Entry.SAMPLE) {
 *     use(p.name(), p.labelCount(), p.labelName(0), p.labelValue(0), p.value(), p.timestampMillis());
 *   } else if (e == Entry.TYPE) {
 *     use(p.familyName(), p.type());
 *   }
 * }
 * }</pre>
 *
 * <p>Allocation: a sample's name and labels are checked while the line is read but decoded into
 * Strings only when one of {@link #name()}, {@link #labelName(int)}, {@link #labelValue(int)} or
 * {@link #labels()} is first called for it, through a cache of recent byte sequences, so the
 * Strings of a label set seen on an earlier line (or an earlier body, via {@link #reset}) are
 * returned without allocating; values and timestamps are primitives; the label arrays are reused
 * from line to line, so copy what you keep. A caller that keys its own state by series can use
 * {@link #seriesBytes()} instead and decode nothing for series it already knows, as Prometheus'
 * scrape cache does. Not thread-safe.
 *
 * <p>Strictness follows Prometheus' scrape parsers: text 0.0.4 allows blank lines, free comments,
 * runs of blanks, a trailing comma in a label set and a last line without newline (Prometheus 2.42
 * ingests it; promtool's stricter parser does not);
 * OpenMetrics allows single spaces only, only TYPE/HELP/UNIT comments, and must end with
 * {@code # EOF}. Duplicate label names, malformed floats, invalid names and non-UTF-8 label
 * values are errors everywhere. Errors are {@link ExpositionParseException}s naming line and column.
 */
public final class ExpositionParser {
  /** What the cursor stopped on. */
  public enum Entry {
    /** A {@code # TYPE} line: {@link #familyName()}, {@link #type()}. */
    TYPE,
    /** A {@code # HELP} line: {@link #familyName()}, {@link #help()}. */
    HELP,
    /** A {@code # UNIT} line (OpenMetrics): {@link #familyName()}, {@link #unit()}. */
    UNIT,
    /** A sample: {@link #name()}, labels, {@link #value()}, optional timestamp and exemplar. */
    SAMPLE,
    /** A free comment (text format only). */
    COMMENT,
    /** The end of the body (after {@code # EOF} in OpenMetrics). */
    END
  }

  private final boolean om;
  private final StringCache cache = new StringCache();
  private byte[] b;
  private int pos;
  private int end;
  private int line;
  private int lineStart;
  private int entryLine;
  private boolean finished;

  private String familyName;
  private MetricType type;
  private String text; // help or unit

  // The current sample's series as ranges of b, decoded into name/labelNames/labelValues on demand.
  private String name;
  private String[] labelNames = new String[8];
  private String[] labelValues = new String[8];
  private int labelCount;
  private boolean decoded = true;
  private boolean hasName;
  private int nameStart;
  private int nameEnd;
  private boolean nameEscaped;
  /** Per label: name start, name end, value start, value end (offsets into b). */
  private int[] ranges = new int[32];
  /** Per label: bit 1 the quoted name has escapes, bit 2 the value has escapes. */
  private byte[] escapes = new byte[8];
  private int seriesStart;
  private int seriesEnd;
  /** True when b[seriesStart, seriesEnd) is already the canonical series text (see seriesBytes). */
  private boolean canonical;
  private byte[] seriesKey = new byte[128];
  private int seriesKeyLength = -1; // -1: not built for this sample
  // the last quoted string read by quotedRange: its content's range and whether it has escapes
  private int qStart;
  private int qEnd;
  private boolean qEscaped;
  private double value;
  private boolean hasTimestamp;
  private long timestampMillis;

  private boolean hasExemplar;
  private String[] exNames = new String[4];
  private String[] exValues = new String[4];
  private int exCount;
  private double exValue;
  private boolean exHasTimestamp;
  private long exTimestampMillis;

  private byte[] scratch = new byte[256];

  private ExpositionParser(boolean om) {
    this.om = om;
  }

  /** A parser over {@code data[offset, offset+length)} in the given format. */
  public static ExpositionParser create(ExpositionFormat format, byte[] data, int offset, int length) {
    ExpositionParser p = new ExpositionParser(format == ExpositionFormat.OPENMETRICS);
    p.reset(data, offset, length);
    return p;
  }

  /** A parser over the remaining bytes of a buffer (copied when it has no accessible array). */
  public static ExpositionParser create(ExpositionFormat format, ByteBuffer data) {
    if (data.hasArray()) {
      return create(format, data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    return create(format, copy, 0, copy.length);
  }

  /** Parses a whole body into snapshots (for tests, tools and the Pushgateway-style consumers). */
  public static MetricSnapshots parseSnapshots(ExpositionFormat format, byte[] data)
      throws ExpositionParseException {
    return new SnapshotAssembler(create(format, data, 0, data.length), format).assemble();
  }

  /** Starts over on another body in the same format, keeping the string cache warm. */
  public void reset(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IndexOutOfBoundsException("range " + offset + "+" + length + " of " + data.length);
    }
    this.b = data;
    this.pos = offset;
    this.end = offset + length;
    this.line = 1;
    this.lineStart = offset;
    this.finished = false;
    this.name = null; // the previous sample's ranges referred to the previous body
    this.labelCount = 0;
    this.hasName = false;
    this.decoded = true;
    this.canonical = false;
    this.seriesKeyLength = 0;
  }

  /** The 1-based line of the current entry. */
  public int line() {
    return entryLine;
  }

  /** Family name of a TYPE/HELP/UNIT entry. */
  public String familyName() {
    return familyName;
  }

  /** Type of a TYPE entry. */
  public MetricType type() {
    return type;
  }

  /** Unescaped text of a HELP entry. */
  public String help() {
    return text;
  }

  /** Unit of a UNIT entry. */
  public String unit() {
    return text;
  }

  /** The sample's metric name (with its suffix, e.g. {@code x_total}). */
  public String name() {
    if (!decoded) {
      decodeSeries();
    }
    return name;
  }

  /** Number of labels of the sample, in their order on the line. */
  public int labelCount() {
    return labelCount;
  }

  /** Name of the i-th label. */
  public String labelName(int i) {
    if (!decoded) {
      decodeSeries();
    }
    return labelNames[i];
  }

  /** Value of the i-th label, unescaped. */
  public String labelValue(int i) {
    if (!decoded) {
      decodeSeries();
    }
    return labelValues[i];
  }

  /** The sample's labels as an (allocated, sorted) {@link Labels}. */
  public Labels labels() {
    if (!decoded) {
      decodeSeries();
    }
    return Labels.of(Arrays.copyOf(labelNames, labelCount), Arrays.copyOf(labelValues, labelCount));
  }

  /**
   * The bytes that identify the current sample's series, in {@code seriesBytes()[seriesOffset(),
   * seriesOffset() + seriesLength())}: two samples have equal bytes exactly when their names and
   * their label lists (names and values, in the order written) are equal. For the usual line,
   * without blanks, empty braces, quoted names or unusual escapes in the series part, this is the
   * line's own text up to the label set's closing brace, handed out without decoding or copying
   * anything (the array is the body); otherwise it is that text re-encoded canonically
   * ({@code name{a="x",b="y"}}, quoted names and escapes as the text format writes them) into a
   * buffer of the parser. Valid until the next call of {@link #next()} or {@link #reset}; copy what
   * you keep. For SAMPLE entries only.
   */
  public byte[] seriesBytes() {
    if (canonical) {
      return b;
    }
    if (seriesKeyLength < 0) {
      encodeSeries();
    }
    return seriesKey;
  }

  /** Start of the series bytes in {@link #seriesBytes()}. */
  public int seriesOffset() {
    return canonical ? seriesStart : 0;
  }

  /** Length of the series bytes. */
  public int seriesLength() {
    if (canonical) {
      return seriesEnd - seriesStart;
    }
    if (seriesKeyLength < 0) {
      encodeSeries();
    }
    return seriesKeyLength;
  }

  /** The sample value. */
  public double value() {
    return value;
  }

  /** True when the sample has a timestamp. */
  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  /** The sample timestamp in ms (OpenMetrics seconds are converted, rounded to the ms). */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** True when the sample carries an exemplar (OpenMetrics). */
  public boolean hasExemplar() {
    return hasExemplar;
  }

  /** Number of exemplar labels. */
  public int exemplarLabelCount() {
    return exCount;
  }

  /** Name of the i-th exemplar label. */
  public String exemplarLabelName(int i) {
    return exNames[i];
  }

  /** Value of the i-th exemplar label. */
  public String exemplarLabelValue(int i) {
    return exValues[i];
  }

  /** The exemplar's labels as an (allocated, sorted) {@link Labels}. */
  public Labels exemplarLabels() {
    return Labels.of(Arrays.copyOf(exNames, exCount), Arrays.copyOf(exValues, exCount));
  }

  /** The exemplar value. */
  public double exemplarValue() {
    return exValue;
  }

  /** True when the exemplar has a timestamp. */
  public boolean exemplarHasTimestamp() {
    return exHasTimestamp;
  }

  /** The exemplar timestamp in ms. */
  public long exemplarTimestampMillis() {
    return exTimestampMillis;
  }

  /**
   * Advances to the next entry.
   *
   * @throws ExpositionParseException on malformed input; the parser must not be used afterwards
   */
  public Entry next() throws ExpositionParseException {
    if (finished) {
      return Entry.END;
    }
    while (true) {
      if (pos >= end) {
        if (om) {
          throw error("unexpected end of input: an OpenMetrics body must end with '# EOF'");
        }
        finished = true;
        return Entry.END;
      }
      byte c = b[pos];
      entryLine = line;
      if (c == '#') {
        return om ? omComment() : textComment();
      }
      if (c == '\n') {
        if (om) {
          throw error("empty line (not allowed in OpenMetrics)");
        }
        newline(); // Prometheus' text parser allows blank lines
        continue;
      }
      if (!om && (c == ' ' || c == '\t')) {
        skipBlanks();
        if (pos >= end) {
          continue; // only blanks up to the end
        }
        if (b[pos] == '\n') {
          newline();
          continue;
        }
      }
      sample();
      return Entry.SAMPLE;
    }
  }

  // ---- comments and metadata ----

  private Entry textComment() throws ExpositionParseException {
    pos++; // '#'
    skipBlanks();
    int wordStart = pos;
    while (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
      pos++;
    }
    boolean help = matchesExactly(wordStart, pos, "HELP");
    boolean typeLine = matchesExactly(wordStart, pos, "TYPE");
    if ((!help && !typeLine) || pos >= end || b[pos] == '\n') {
      skipLine(); // any other comment is free text
      return Entry.COMMENT;
    }
    skipBlanks();
    familyName = metadataName();
    if (typeLine) {
      requireBlanks("after the metric name");
      int ts = pos;
      while (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
        pos++;
      }
      type = textType(ts, pos);
      skipBlanks();
      endOfLine("after the type");
      return Entry.TYPE;
    }
    if (pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
      skipBlanks();
    }
    text = escapedToEndOfLine(false);
    return Entry.HELP;
  }

  private Entry omComment() throws ExpositionParseException {
    pos++; // '#'
    if (pos + 3 <= end && b[pos] == ' ' && matches(pos + 1, "EOF") && (pos + 4 == end || b[pos + 4] == '\n')) {
      pos += 4;
      if (pos < end) {
        newline();
        if (pos < end) {
          throw error("unexpected data after '# EOF'");
        }
      }
      finished = true;
      return Entry.END;
    }
    if (pos >= end || b[pos] != ' ') {
      throw error("expected ' ' after '#': OpenMetrics allows only '# TYPE', '# HELP', '# UNIT' and '# EOF'");
    }
    pos++;
    Entry kind;
    if (matches(pos, "TYPE ")) {
      kind = Entry.TYPE;
    } else if (matches(pos, "HELP ")) {
      kind = Entry.HELP;
    } else if (matches(pos, "UNIT ")) {
      kind = Entry.UNIT;
    } else {
      throw error("expected TYPE, HELP, UNIT or EOF after '# ' (OpenMetrics has no free comments)");
    }
    pos += 5;
    familyName = metadataName();
    if (kind == Entry.TYPE) {
      expect(' ', "after the metric name");
      int ts = pos;
      while (pos < end && b[pos] != '\n') {
        pos++;
      }
      type = omType(ts, pos);
      endOfLine("after the type");
      return kind;
    }
    if (pos < end && b[pos] == '\n') {
      text = "";
      newline();
      return kind;
    }
    expect(' ', "after the metric name");
    if (kind == Entry.HELP) {
      text = escapedToEndOfLine(true);
    } else {
      int us = pos;
      while (pos < end && b[pos] != '\n') {
        pos++;
      }
      text = cache.get(b, us, pos);
      endOfLine("after the unit");
      if (!text.isEmpty() && !familyName.endsWith("_" + text)) {
        throw error("unit \"" + text + "\" is not a suffix of metric family \"" + familyName + "\"");
      }
    }
    return kind;
  }

  private String metadataName() throws ExpositionParseException {
    if (pos < end && b[pos] == '"') {
      return quoted("metric name");
    }
    return legacyName(true, "metric name");
  }

  private MetricType textType(int from, int to) throws ExpositionParseException {
    if (matchesExactly(from, to, "counter")) {
      return MetricType.COUNTER;
    } else if (matchesExactly(from, to, "gauge")) {
      return MetricType.GAUGE;
    } else if (matchesExactly(from, to, "histogram")) {
      return MetricType.HISTOGRAM;
    } else if (matchesExactly(from, to, "summary")) {
      return MetricType.SUMMARY;
    } else if (matchesExactly(from, to, "untyped")) {
      return MetricType.UNKNOWN;
    }
    throw errorAt(from, "invalid metric type \"" + str(from, to)
        + "\" (expected counter, gauge, histogram, summary or untyped)");
  }

  private MetricType omType(int from, int to) throws ExpositionParseException {
    if (matchesExactly(from, to, "counter")) {
      return MetricType.COUNTER;
    } else if (matchesExactly(from, to, "gauge")) {
      return MetricType.GAUGE;
    } else if (matchesExactly(from, to, "histogram")) {
      return MetricType.HISTOGRAM;
    } else if (matchesExactly(from, to, "gaugehistogram")) {
      return MetricType.GAUGE_HISTOGRAM;
    } else if (matchesExactly(from, to, "summary")) {
      return MetricType.SUMMARY;
    } else if (matchesExactly(from, to, "info")) {
      return MetricType.INFO;
    } else if (matchesExactly(from, to, "stateset")) {
      return MetricType.STATESET;
    } else if (matchesExactly(from, to, "unknown")) {
      return MetricType.UNKNOWN;
    }
    throw errorAt(from, "invalid metric type \"" + str(from, to) + "\"");
  }

  // ---- samples ----

  private void sample() throws ExpositionParseException {
    name = null;
    hasName = false;
    decoded = false;
    canonical = true;
    seriesKeyLength = -1;
    labelCount = 0;
    hasTimestamp = false;
    hasExemplar = false;
    exCount = 0;
    seriesStart = pos;
    if (b[pos] != '{') {
      nameStart = pos;
      legacyNameRange(true, "metric name");
      nameEnd = pos;
      nameEscaped = false;
      hasName = true;
    }
    if (pos < end && b[pos] == '{') {
      labelCount = seriesLabels();
    }
    if (!hasName) {
      labelCount = 0;
      decoded = true;
      throw error("expected a metric name before the label set or as its first item");
    }
    seriesEnd = pos;
    separator("after the " + (labelCount > 0 ? "label set" : "metric name"));
    value = number("sample value");
    if (atEndOfLine()) {
      newline();
      return;
    }
    separator("after the value");
    if (!om && atEndOfLine()) {
      newline(); // text allows trailing blanks
      return;
    }
    if (pos < end && b[pos] != '#') {
      if (om) {
        timestampMillis = omTimestamp("timestamp");
      } else {
        timestampMillis = integerTimestamp();
      }
      hasTimestamp = true;
      if (atEndOfLine()) {
        newline();
        return;
      }
      separator("after the timestamp");
    }
    if (om && pos < end && b[pos] == '#') {
      exemplar();
      return;
    }
    if (!om && atEndOfLine()) {
      newline(); // trailing blanks
      return;
    }
    throw error("expected end of line after the " + (hasTimestamp ? "timestamp" : "value") + ", got "
        + describe());
  }

  private void exemplar() throws ExpositionParseException {
    pos++; // '#'
    expect(' ', "after '#' of an exemplar");
    if (pos >= end || b[pos] != '{') {
      throw error("expected '{' to start the exemplar's label set, got " + describe());
    }
    exCount = exemplarLabelSet();
    expect(' ', "after the exemplar's label set");
    exValue = number("exemplar value");
    exHasTimestamp = false;
    if (pos < end && b[pos] == ' ') {
      pos++;
      exTimestampMillis = omTimestamp("exemplar timestamp");
      exHasTimestamp = true;
    }
    hasExemplar = true;
    endOfLine("after the exemplar");
  }

  /**
   * Checks the sample's {@code {...}} and records its labels as ranges of the body (decoded later,
   * if asked); clears {@link #canonical} on anything the canonical encoding writes differently.
   * Returns the number of labels. The checks and messages are those of the exemplar's label set.
   */
  private int seriesLabels() throws ExpositionParseException {
    pos++; // '{'
    int n = 0;
    boolean first = true;
    while (true) {
      if (!om) {
        skipBlanksInSeries();
      }
      if (pos >= end || b[pos] == '\n') {
        throw error("unexpected end of line in a label set");
      }
      if (b[pos] == '}') {
        pos++; // only reachable for an empty set: separators below consume the rest
        canonical = false; // "x{}" is written "x"
        break;
      }
      int at = pos;
      int ks;
      int ke;
      boolean kesc;
      if (b[pos] == '"') {
        canonical = false; // quoted names are rare: the canonical form is built from the decoded strings
        quotedRange("label name");
        ks = qStart;
        ke = qEnd;
        kesc = qEscaped;
        if (first && !hasName && pos < end && (b[pos] == ',' || b[pos] == '}')) {
          nameStart = ks; // {"my.metric", ...}: a quoted metric name as the first item (UTF-8 names)
          nameEnd = ke;
          nameEscaped = kesc;
          hasName = true;
          if (b[pos] == ',') {
            pos++;
            first = false;
            continue;
          }
          pos++;
          break;
        }
      } else {
        ks = pos;
        legacyNameRange(false, "label name");
        ke = pos;
        kesc = false;
      }
      if (!om) {
        skipBlanksInSeries();
      }
      if (pos >= end || b[pos] != '=') {
        throw error("expected '=' after label name \"" + decode(ks, ke, kesc) + "\", got " + describe());
      }
      pos++;
      if (!om) {
        skipBlanksInSeries();
      }
      if (pos >= end || b[pos] != '"') {
        throw error("expected '\"' to start the value of label \"" + decode(ks, ke, kesc) + "\", got " + describe());
      }
      quotedRange("label value");
      int[] r = ranges;
      byte[] esc = escapes;
      for (int i = 0; i < n; i++) {
        int rs = r[4 * i];
        int re = r[4 * i + 1];
        boolean same = (esc[i] & 1) == 0 && !kesc
            ? re - rs == ke - ks && Arrays.equals(b, rs, re, b, ks, ke) // plain names: compare bytes
            : decode(rs, re, (esc[i] & 1) != 0).equals(decode(ks, ke, kesc));
        if (same) {
          throw errorAt(at, "duplicate label name \"" + decode(ks, ke, kesc) + "\"");
        }
      }
      if (n == esc.length) {
        ranges = r = Arrays.copyOf(r, r.length * 2);
        escapes = esc = Arrays.copyOf(esc, esc.length * 2);
      }
      r[4 * n] = ks;
      r[4 * n + 1] = ke;
      r[4 * n + 2] = qStart;
      r[4 * n + 3] = qEnd;
      esc[n] = (byte) ((kesc ? 1 : 0) | (qEscaped ? 2 : 0));
      n++;
      first = false;
      if (!om) {
        skipBlanksInSeries();
      }
      if (pos < end && b[pos] == ',') {
        pos++;
        if (!om) {
          skipBlanksInSeries();
        }
        if (pos < end && b[pos] == '}') {
          if (om) {
            throw error("trailing ',' in a label set (not allowed in OpenMetrics)");
          }
          pos++; // text 0.0.4 allows {a="b",}
          canonical = false;
          break;
        }
      } else if (pos < end && b[pos] == '}') {
        pos++;
        break;
      } else {
        throw error("expected ',' or '}' after the value of label \"" + decode(ks, ke, kesc) + "\", got "
            + describe());
      }
    }
    return n;
  }

  private void skipBlanksInSeries() {
    if (pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
      canonical = false;
      skipBlanks();
    }
  }

  /** Decodes the current sample's name and labels from their ranges (through the string cache). */
  private void decodeSeries() {
    decoded = true;
    name = decode(nameStart, nameEnd, nameEscaped);
    int n = labelCount;
    if (labelNames.length < n) {
      labelNames = new String[escapes.length];
      labelValues = new String[escapes.length];
    }
    for (int i = 0; i < n; i++) {
      labelNames[i] = decode(ranges[4 * i], ranges[4 * i + 1], (escapes[i] & 1) != 0);
      labelValues[i] = decode(ranges[4 * i + 2], ranges[4 * i + 3], (escapes[i] & 2) != 0);
    }
  }

  /** The canonical series text of the current sample into seriesKey (see seriesBytes). */
  private void encodeSeries() {
    if (!decoded) {
      decodeSeries();
    }
    KeyWriter w = new KeyWriter(seriesKey);
    boolean legacy = NameEscaping.isLegacyMetricName(name);
    if (legacy) {
      w.raw(name);
    } else {
      w.ascii('{');
      w.quoted(name);
    }
    for (int i = 0; i < labelCount; i++) {
      w.ascii(i == 0 && legacy ? '{' : ',');
      if (NameEscaping.isLegacyLabelName(labelNames[i])) {
        w.raw(labelNames[i]);
      } else {
        w.quoted(labelNames[i]);
      }
      w.ascii('=');
      w.quoted(labelValues[i]);
    }
    if (!legacy || labelCount > 0) {
      w.ascii('}');
    }
    seriesKey = w.buf;
    seriesKeyLength = w.len;
  }

  /** A growable byte buffer for the canonical series text (the rare path: allocation is fine). */
  private static final class KeyWriter {
    byte[] buf;
    int len;

    KeyWriter(byte[] buf) {
      this.buf = buf;
    }

    void ascii(char c) {
      ensure(1);
      buf[len++] = (byte) c;
    }

    void raw(String s) {
      byte[] u = s.getBytes(StandardCharsets.UTF_8);
      ensure(u.length);
      System.arraycopy(u, 0, buf, len, u.length);
      len += u.length;
    }

    /** As the text format writes a quoted string: backslash, double quote and newline escaped. */
    void quoted(String s) {
      byte[] u = s.getBytes(StandardCharsets.UTF_8);
      ensure(2 + 2 * u.length);
      buf[len++] = '"';
      for (byte c : u) {
        if (c == '\\' || c == '"') {
          buf[len++] = '\\';
          buf[len++] = c;
        } else if (c == '\n') {
          buf[len++] = '\\';
          buf[len++] = 'n';
        } else {
          buf[len++] = c;
        }
      }
      buf[len++] = '"';
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
      }
    }
  }

  /** Reads an exemplar's {@code {...}} into its arrays; returns the number of labels. */
  private int exemplarLabelSet() throws ExpositionParseException {
    pos++; // '{'
    int n = 0;
    while (true) {
      if (!om) {
        skipBlanks();
      }
      if (pos >= end || b[pos] == '\n') {
        throw error("unexpected end of line in a label set");
      }
      if (b[pos] == '}') {
        pos++; // only reachable for an empty set: separators below consume the rest
        break;
      }
      int at = pos;
      String key;
      if (b[pos] == '"') {
        key = quoted("label name");
      } else {
        key = legacyName(false, "label name");
      }
      if (!om) {
        skipBlanks();
      }
      if (pos >= end || b[pos] != '=') {
        throw error("expected '=' after label name \"" + key + "\", got " + describe());
      }
      pos++;
      if (!om) {
        skipBlanks();
      }
      if (pos >= end || b[pos] != '"') {
        throw error("expected '\"' to start the value of label \"" + key + "\", got " + describe());
      }
      String val = quoted("label value");
      for (int i = 0; i < n; i++) {
        if (exNames[i].equals(key)) {
          throw errorAt(at, "duplicate label name \"" + key + "\"");
        }
      }
      if (n == exNames.length) {
        exNames = Arrays.copyOf(exNames, exNames.length * 2);
        exValues = Arrays.copyOf(exValues, exValues.length * 2);
      }
      exNames[n] = key;
      exValues[n] = val;
      n++;
      if (!om) {
        skipBlanks();
      }
      if (pos < end && b[pos] == ',') {
        pos++;
        if (!om) {
          skipBlanks();
        }
        if (pos < end && b[pos] == '}') {
          if (om) {
            throw error("trailing ',' in a label set (not allowed in OpenMetrics)");
          }
          pos++; // text 0.0.4 allows {a="b",}
          break;
        }
      } else if (pos < end && b[pos] == '}') {
        pos++;
        break;
      } else {
        throw error("expected ',' or '}' after the value of label \"" + key + "\", got " + describe());
      }
    }
    return n;
  }

  // ---- tokens ----

  private String legacyName(boolean metric, String what) throws ExpositionParseException {
    int start = pos;
    legacyNameRange(metric, what);
    return cache.get(b, start, pos);
  }

  /** Advances over a legacy metric or label name (NameEscaping.legacyChar, by table lookup). */
  private void legacyNameRange(boolean metric, String what) throws ExpositionParseException {
    int start = pos;
    byte[] buf = b;
    int e = end;
    int p = pos;
    if (p < e && (NAME_CHARS[buf[p] & 0xFF] & (metric ? METRIC_FIRST : LABEL_FIRST)) != 0) {
      int rest = metric ? METRIC_REST : LABEL_REST;
      p++;
      while (p < e && (NAME_CHARS[buf[p] & 0xFF] & rest) != 0) {
        p++;
      }
    }
    pos = p;
    if (p == start) {
      throw error("expected a " + what + ", got " + describe());
    }
  }

  private static final int METRIC_FIRST = 1;
  private static final int METRIC_REST = 2;
  private static final int LABEL_FIRST = 4;
  private static final int LABEL_REST = 8;
  /** Per byte value: which positions of a legacy metric or label name it may take. */
  private static final byte[] NAME_CHARS = new byte[256];

  static {
    for (int c = 0; c < 128; c++) {
      NAME_CHARS[c] = (byte) ((NameEscaping.legacyChar(c, 0, true) ? METRIC_FIRST : 0)
          | (NameEscaping.legacyChar(c, 1, true) ? METRIC_REST : 0)
          | (NameEscaping.legacyChar(c, 0, false) ? LABEL_FIRST : 0)
          | (NameEscaping.legacyChar(c, 1, false) ? LABEL_REST : 0));
    }
  }

  /** A double-quoted string with {@code \\}, {@code \"} and {@code \n} escapes; must be valid UTF-8. */
  private String quoted(String what) throws ExpositionParseException {
    quotedRange(what);
    return decode(qStart, qEnd, qEscaped);
  }

  /**
   * Reads a double-quoted string, checked as {@link #quoted} does, into qStart/qEnd/qEscaped without
   * decoding it; an escape other than the three the text format writes clears {@link #canonical}.
   */
  private void quotedRange(String what) throws ExpositionParseException {
    int open = pos;
    byte[] buf = b;
    int e = end;
    int p = pos + 1; // after '"'
    int start = p;
    boolean escaped = false;
    boolean nonAscii = false;
    while (true) {
      if (p >= e) {
        pos = p;
        throw errorAt(open, "unterminated quoted " + what);
      }
      byte c = buf[p];
      if (c == '"') {
        break;
      }
      if (c == '\n') {
        pos = p;
        throw errorAt(open, "unterminated quoted " + what);
      }
      if (c == '\\') {
        escaped = true;
        p++;
        if (p >= e || buf[p] == '\n') {
          pos = p;
          throw errorAt(open, "unterminated quoted " + what);
        }
        byte d = buf[p];
        if (d != '\\' && d != '"' && d != 'n') {
          canonical = false; // kept as written: "\x" decodes as "\\x" does
        }
      } else if (c < 0) {
        nonAscii = true;
      }
      p++;
    }
    pos = p + 1; // after the closing '"'
    if (nonAscii && !validUtf8(start, p)) {
      throw errorAt(start, "invalid UTF-8 in " + what);
    }
    qStart = start;
    qEnd = p;
    qEscaped = escaped;
  }

  /** The string in b[from, to), unescaped when it has escapes, through the string cache. */
  private String decode(int from, int to, boolean escaped) {
    if (!escaped) {
      return cache.get(b, from, to);
    }
    int n = unescape(from, to, true);
    return cache.get(scratch, 0, n);
  }

  /** Unescapes {@code b[from,to)} into {@link #scratch}; unknown escapes are kept as written. */
  private int unescape(int from, int to, boolean quotes) {
    if (scratch.length < to - from) {
      scratch = new byte[Math.max(to - from, scratch.length * 2)];
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\\' && i + 1 < to) {
        byte d = b[i + 1];
        if (d == '\\' || d == 'n' || (quotes && d == '"')) {
          scratch[n++] = d == 'n' ? (byte) '\n' : d;
          i++;
          continue;
        }
      }
      scratch[n++] = c;
    }
    return n;
  }

  private String escapedToEndOfLine(boolean quotes) throws ExpositionParseException {
    int start = pos;
    while (pos < end && b[pos] != '\n') {
      pos++;
    }
    int stop = pos;
    if (!validUtf8(start, stop)) {
      throw errorAt(start, "invalid UTF-8 in help text");
    }
    endOfLine("after the help text");
    int n = unescape(start, stop, quotes);
    return n > 256 ? new String(scratch, 0, n, StandardCharsets.UTF_8) : cache.get(scratch, 0, n);
  }

  private double number(String what) throws ExpositionParseException {
    int start = pos;
    while (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
      pos++;
    }
    if (start == pos) {
      throw error("expected a " + what + ", got " + describe());
    }
    double v = Lexing.parseFloat(b, start, pos);
    if (v != v && !isNaNToken(start, pos)) {
      throw errorAt(start, "invalid " + what + " \"" + str(start, pos) + "\"");
    }
    return v;
  }

  private long integerTimestamp() throws ExpositionParseException {
    int start = pos;
    boolean negative = false;
    if (pos < end && (b[pos] == '-' || b[pos] == '+')) {
      negative = b[pos] == '-';
      pos++;
    }
    long v = 0;
    int digitsStart = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      int d = b[pos] - '0';
      if (v > (Long.MAX_VALUE - d) / 10) {
        throw errorAt(start, "timestamp out of range");
      }
      v = v * 10 + d;
      pos++;
    }
    if (pos == digitsStart || (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n')) {
      while (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
        pos++;
      }
      throw errorAt(start, "invalid timestamp \"" + str(start, pos) + "\" (expected integer milliseconds)");
    }
    return negative ? -v : v;
  }

  private long omTimestamp(String what) throws ExpositionParseException {
    int start = pos;
    double seconds = number(what);
    if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 9.2e15) {
      throw errorAt(start, "invalid " + what + " \"" + str(start, pos) + "\"");
    }
    return Math.round(seconds * 1000); // seconds with ms digits: round, so 1.001 s is 1001 ms, not 1000
  }

  private boolean isNaNToken(int from, int to) {
    return to - from == 3 && (b[from] | 0x20) == 'n' && (b[from + 1] | 0x20) == 'a' && (b[from + 2] | 0x20) == 'n';
  }

  private boolean validUtf8(int from, int to) {
    return Lexing.validUtf8(b, from, to);
  }

  // ---- lexing helpers ----

  private void skipBlanks() {
    while (pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
      pos++;
    }
  }

  private void requireBlanks(String where) throws ExpositionParseException {
    if (pos >= end || (b[pos] != ' ' && b[pos] != '\t')) {
      throw error("expected whitespace " + where + ", got " + describe());
    }
    skipBlanks();
  }

  /** One space in OpenMetrics; a run of blanks in text. */
  private void separator(String where) throws ExpositionParseException {
    if (om) {
      expect(' ', where);
      if (pos < end && b[pos] == ' ') {
        throw error("more than one space " + where + " (OpenMetrics wants exactly one)");
      }
    } else {
      requireBlanks(where);
    }
  }

  /** True at a newline; at the end of input too in text 0.0.4 (Prometheus accepts a missing final newline). */
  private boolean atEndOfLine() throws ExpositionParseException {
    if (pos >= end) {
      if (om) {
        throw error("unexpected end of input: expected a newline and '# EOF'");
      }
      return true;
    }
    return b[pos] == '\n';
  }

  private void endOfLine(String where) throws ExpositionParseException {
    if (!atEndOfLine()) {
      throw error("expected end of line " + where + ", got " + describe());
    }
    newline();
  }

  private void expect(char c, String where) throws ExpositionParseException {
    if (pos >= end || b[pos] != c) {
      throw error("expected '" + c + "' " + where + ", got " + describe());
    }
    pos++;
  }

  private void newline() {
    if (pos < end) {
      pos++; // at the end of input there is no newline to consume (text 0.0.4 only)
    }
    line++;
    lineStart = pos;
  }

  private void skipLine() {
    while (pos < end && b[pos] != '\n') {
      pos++;
    }
    if (pos < end) {
      newline();
    }
  }

  private boolean matches(int at, String word) {
    if (at + word.length() > end) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (b[at + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean matchesExactly(int from, int to, String word) {
    return to - from == word.length() && matches(from, word);
  }

  private String str(int from, int to) {
    return new String(b, from, Math.min(to - from, 64), StandardCharsets.UTF_8);
  }

  private String describe() {
    if (pos >= end) {
      return "end of input";
    }
    byte c = b[pos];
    if (c == '\n') {
      return "end of line";
    }
    if (c >= 0x20 && c < 0x7F) {
      return "'" + (char) c + "'";
    }
    return String.format("byte 0x%02x", c & 0xFF);
  }

  private ExpositionParseException error(String message) {
    return errorAt(pos, message);
  }

  private ExpositionParseException errorAt(int at, String message) {
    finished = true;
    return new ExpositionParseException(line, at - lineStart + 1, message);
  }
}
