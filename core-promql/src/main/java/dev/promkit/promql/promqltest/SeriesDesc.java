package dev.promkit.promql.promqltest;

import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * One series line of a script: labels and the expanded values, one entry per position
 * ({@link #GAP} for {@code _}; {@link #HISTOGRAM} for a native histogram, which is not supported yet).
 */
final class SeriesDesc {
  /** Marker for "no sample at this position". */
  static final Object GAP = new Object() {
    @Override
    public String toString() {
      return "_";
    }
  };
  /** Marker for a native histogram position. */
  static final Object HISTOGRAM = new Object() {
    @Override
    public String toString() {
      return "{{histogram}}";
    }
  };
  /** Prometheus' stale marker NaN. */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  final Labels labels;
  final boolean startTimestamps; // an "@st" line
  final List<Object> values; // Double, GAP, HISTOGRAM (or Long offsets for @st lines)

  private SeriesDesc(Labels labels, boolean st, List<Object> values) {
    this.labels = labels;
    this.startTimestamps = st;
    this.values = values;
  }

  boolean hasHistogram() {
    return values.contains(HISTOGRAM);
  }

  /** Parses {@code metric{l="v"} values…}. */
  static SeriesDesc parse(String line) {
    int[] pos = {0};
    Labels labels = parseLabels(line, pos);
    boolean st = false;
    if (line.startsWith("@st", pos[0])) {
      st = true;
      pos[0] += 3;
    }
    String rest = line.substring(pos[0]);
    if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
      throw new IllegalArgumentException("unexpected character after series labels: '" + rest.charAt(0) + "'");
    }
    List<Object> values = st ? parseStValues(rest.trim()) : parseValues(rest.trim());
    return new SeriesDesc(labels, st, values);
  }

  /** Parses the series part (metric name and/or braces) starting at pos[0]; advances pos[0]. */
  static Labels parseLabels(String s, int[] pos) {
    Labels.Builder b = new Labels.Builder();
    int i = pos[0];
    int start = i;
    while (i < s.length() && isNameChar(s.charAt(i), i == start)) {
      i++;
    }
    if (i > start) {
      b.set(Labels.METRIC_NAME, s.substring(start, i));
    } else if (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'' || s.charAt(i) == '`')) {
      int[] end = new int[1];
      b.set(Labels.METRIC_NAME, GoStrings.read(s, i, end));
      i = end[0];
    }
    if (i < s.length() && s.charAt(i) == '{') {
      i++;
      int[] end = new int[1];
      while (true) {
        i = skipSpace(s, i);
        if (i >= s.length()) {
          throw new IllegalArgumentException("unterminated label set");
        }
        if (s.charAt(i) == '}') {
          i++;
          break;
        }
        String name;
        char c = s.charAt(i);
        if (c == '"' || c == '\'' || c == '`') {
          name = GoStrings.read(s, i, end);
          i = end[0];
        } else {
          int ns = i;
          while (i < s.length() && isNameChar(s.charAt(i), i == ns) && s.charAt(i) != ':') {
            i++;
          }
          if (i == ns) {
            throw new IllegalArgumentException("expected label name at column " + (i + 1) + " in: " + s);
          }
          name = s.substring(ns, i);
        }
        i = skipSpace(s, i);
        if (i < s.length() && s.charAt(i) == '}' || i < s.length() && s.charAt(i) == ',') {
          // a bare quoted name in braces is the metric name: {"my.metric"}
          b.set(Labels.METRIC_NAME, name);
        } else {
          if (i >= s.length() || s.charAt(i) != '=') {
            throw new IllegalArgumentException("expected '=' after label name " + name + " in: " + s);
          }
          i = skipSpace(s, i + 1);
          String value = GoStrings.read(s, i, end);
          i = skipSpace(s, end[0]);
          b.set(name, value);
        }
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
        }
      }
    } else if (i == start) {
      throw new IllegalArgumentException("expected a metric name or '{' in: " + s);
    }
    pos[0] = i;
    return b.build();
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
  }

  /** Expands the value notation of FORMAT.md §3.2/3.3. */
  static List<Object> parseValues(String s) {
    List<Object> out = new ArrayList<>();
    int i = 0;
    while (true) {
      i = skipSpace(s, i);
      if (i >= s.length()) {
        return out;
      }
      if (s.startsWith("{{", i)) {
        int close = s.indexOf("}}", i);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated histogram in: " + s);
        }
        i = close + 2;
        long times = 1;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.startsWith("{{", i + 1)) {
          close = s.indexOf("}}", i + 1);
          if (close < 0) {
            throw new IllegalArgumentException("unterminated histogram in: " + s);
          }
          i = close + 2;
          if (i >= s.length() || s.charAt(i) != 'x') {
            throw new IllegalArgumentException("expected 'x' after histogram increment in: " + s);
          }
        }
        if (i < s.length() && s.charAt(i) == 'x') {
          int j = i + 1;
          while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
          }
          times = Long.parseLong(s.substring(i + 1, j)) + 1;
          i = j;
        }
        for (long k = 0; k < times; k++) {
          out.add(HISTOGRAM);
        }
        continue;
      }
      int j = i;
      while (j < s.length() && !Character.isWhitespace(s.charAt(j))) {
        j++;
      }
      expandItem(s.substring(i, j), out);
      i = j;
    }
  }

  private static void expandItem(String item, List<Object> out) {
    if (item.equals("_")) {
      out.add(GAP);
      return;
    }
    if (item.equals("stale")) {
      out.add(STALE_NAN);
      return;
    }
    int x = item.lastIndexOf('x');
    if (x < 0) {
      out.add(parseNumber(item));
      return;
    }
    long k = Long.parseLong(item.substring(x + 1));
    String base = item.substring(0, x);
    if (base.equals("_")) {
      for (long n = 0; n < k; n++) {
        out.add(GAP);
      }
      return;
    }
    int op = -1;
    for (int p = 1; p < base.length(); p++) {
      char c = base.charAt(p);
      if ((c == '+' || c == '-') && base.charAt(p - 1) != 'e' && base.charAt(p - 1) != 'E') {
        op = p;
        break;
      }
    }
    if (op < 0) {
      double v = parseNumber(base);
      for (long n = 0; n <= k; n++) {
        out.add(v);
      }
      return;
    }
    double a = parseNumber(base.substring(0, op));
    double d = parseNumber(base.substring(op + 1));
    if (base.charAt(op) == '-') {
      d = -d;
    }
    double v = a;
    for (long n = 0; n <= k; n++) {
      out.add(v);
      v += d;
    }
  }

  /** Go's rules: an integer with base prefix first, then a float; Inf/NaN in any case. */
  static double parseNumber(String s) {
    String t = s;
    boolean neg = false;
    if (t.startsWith("+") || t.startsWith("-")) {
      neg = t.startsWith("-");
      t = t.substring(1);
    }
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException("invalid number: \"" + s + "\"");
    }
    try {
      long v;
      if (lower.startsWith("0x")) {
        v = Long.parseLong(t.substring(2), 16);
      } else if (lower.startsWith("0o")) {
        v = Long.parseLong(t.substring(2), 8);
      } else if (lower.startsWith("0b")) {
        v = Long.parseLong(t.substring(2), 2);
      } else if (t.length() > 1 && t.charAt(0) == '0' && t.chars().allMatch(Character::isDigit)) {
        v = Long.parseLong(t.substring(1), 8);
      } else if (t.chars().allMatch(Character::isDigit)) {
        v = Long.parseLong(t);
      } else {
        throw new NumberFormatException();
      }
      return neg ? -(double) v : (double) v;
    } catch (NumberFormatException e) {
      // fall through to float
    }
    char last = t.charAt(t.length() - 1);
    if (!(Character.isDigit(last) || last == '.') || lower.startsWith("0x")) {
      throw new IllegalArgumentException("invalid number: \"" + s + "\"");
    }
    try {
      double d = Double.parseDouble(t);
      return neg ? -d : d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid number: \"" + s + "\"");
    }
  }

  /** Start-timestamp offsets of an {@code @st} line, in ms (null for no start timestamp). */
  static List<Object> parseStValues(String s) {
    List<Object> out = new ArrayList<>();
    for (String item : s.split("\\s+")) {
      if (item.isEmpty()) {
        continue;
      }
      if (item.equals("_")) {
        out.add(GAP);
        continue;
      }
      int x = item.lastIndexOf('x');
      if (x < 0) {
        out.add(stDuration(item));
        continue;
      }
      long k = Long.parseLong(item.substring(x + 1));
      String base = item.substring(0, x);
      if (base.equals("_")) {
        for (long n = 0; n < k; n++) {
          out.add(GAP);
        }
        continue;
      }
      int op = -1;
      for (int p = 1; p < base.length(); p++) {
        char c = base.charAt(p);
        if (c == '+' || c == '-') {
          op = p;
          break;
        }
      }
      long a = stDuration(op < 0 ? base : base.substring(0, op));
      long d = op < 0 ? 0 : stDuration(base.substring(op + 1)) * (base.charAt(op) == '-' ? -1 : 1);
      for (long n = 0; n <= k; n++) {
        out.add(a + n * d);
      }
    }
    return out;
  }

  private static long stDuration(String s) {
    boolean neg = s.startsWith("-");
    String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    long v = Durations.parse(t);
    return neg ? -v : v;
  }
}
