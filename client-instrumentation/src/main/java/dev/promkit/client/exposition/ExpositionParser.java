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
 * <p>Allocation: names, label names and label values are decoded through a cache of recent byte
 * sequences, so the Strings of a label set seen on an earlier line (or an earlier body, via
 * {@link #reset}) are returned without allocating; values and timestamps are primitives; the label
 * arrays are reused from line to line, so copy what you keep. Not thread-safe.
 *
 * <p>Strictness follows Prometheus: text 0.0.4 allows blank lines, free comments, runs of blanks
 * and a trailing comma in a label set, but every line (the last too) must end with a newline;
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

  private String name;
  private String[] labelNames = new String[8];
  private String[] labelValues = new String[8];
  private int labelCount;
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
    return name;
  }

  /** Number of labels of the sample, in their order on the line. */
  public int labelCount() {
    return labelCount;
  }

  /** Name of the i-th label. */
  public String labelName(int i) {
    return labelNames[i];
  }

  /** Value of the i-th label, unescaped. */
  public String labelValue(int i) {
    return labelValues[i];
  }

  /** The sample's labels as an (allocated, sorted) {@link Labels}. */
  public Labels labels() {
    return Labels.of(Arrays.copyOf(labelNames, labelCount), Arrays.copyOf(labelValues, labelCount));
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
        if (pos < end && b[pos] == '\n') {
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
    boolean help = matches(wordStart, "HELP");
    boolean typeLine = matches(wordStart, "TYPE");
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
    labelCount = 0;
    hasTimestamp = false;
    hasExemplar = false;
    exCount = 0;
    if (b[pos] != '{') {
      name = legacyName(true, "metric name");
    }
    if (pos < end && b[pos] == '{') {
      labelCount = labelSet(false);
    }
    if (name == null) {
      throw error("expected a metric name before the label set or as its first item");
    }
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
    if (!om && pos < end && b[pos] == '\n') {
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
    exCount = labelSet(true);
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

  /** Reads {@code {...}} into the sample's or the exemplar's arrays; returns the number of labels. */
  private int labelSet(boolean exemplar) throws ExpositionParseException {
    pos++; // '{'
    int n = 0;
    boolean first = true;
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
        if (!exemplar && first && name == null && pos < end && (b[pos] == ',' || b[pos] == '}')) {
          name = key; // {"my.metric", ...}: a quoted metric name as the first item (UTF-8 names)
          if (b[pos] == ',') {
            pos++;
            first = false;
            continue;
          }
          pos++;
          break;
        }
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
      String[] names = exemplar ? exNames : labelNames;
      for (int i = 0; i < n; i++) {
        if (names[i].equals(key)) {
          throw errorAt(at, "duplicate label name \"" + key + "\"");
        }
      }
      if (n == names.length) {
        grow(exemplar);
        names = exemplar ? exNames : labelNames;
      }
      names[n] = key;
      (exemplar ? exValues : labelValues)[n] = val;
      n++;
      first = false;
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

  private void grow(boolean exemplar) {
    if (exemplar) {
      exNames = Arrays.copyOf(exNames, exNames.length * 2);
      exValues = Arrays.copyOf(exValues, exValues.length * 2);
    } else {
      labelNames = Arrays.copyOf(labelNames, labelNames.length * 2);
      labelValues = Arrays.copyOf(labelValues, labelValues.length * 2);
    }
  }

  // ---- tokens ----

  private String legacyName(boolean metric, String what) throws ExpositionParseException {
    int start = pos;
    while (pos < end && NameEscaping.legacyChar(b[pos], pos - start, metric)) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a " + what + ", got " + describe());
    }
    return cache.get(b, start, pos);
  }

  /** A double-quoted string with {@code \\}, {@code \"} and {@code \n} escapes; must be valid UTF-8. */
  private String quoted(String what) throws ExpositionParseException {
    int open = pos;
    pos++; // '"'
    int start = pos;
    boolean escaped = false;
    boolean nonAscii = false;
    while (true) {
      if (pos >= end || b[pos] == '\n') {
        throw errorAt(open, "unterminated quoted " + what);
      }
      byte c = b[pos];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        escaped = true;
        pos++;
        if (pos >= end || b[pos] == '\n') {
          throw errorAt(open, "unterminated quoted " + what);
        }
      } else if (c < 0) {
        nonAscii = true;
      }
      pos++;
    }
    int stop = pos;
    pos++; // closing '"'
    if (nonAscii && !validUtf8(start, stop)) {
      throw errorAt(start, "invalid UTF-8 in " + what);
    }
    if (!escaped) {
      return cache.get(b, start, stop);
    }
    int n = unescape(start, stop, true);
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

  private boolean atEndOfLine() throws ExpositionParseException {
    if (pos >= end) {
      throw error("unexpected end of input: the last line must end with a newline");
    }
    return b[pos] == '\n';
  }

  private void endOfLine(String where) throws ExpositionParseException {
    if (pos >= end) {
      throw error("unexpected end of input " + where + ": the last line must end with a newline");
    }
    if (b[pos] != '\n') {
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
    pos++;
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
