package dev.promkit.promql.promqltest;

import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * The series notation of Prometheus' {@code .test} scripts and of promtool's rule unit tests
 * ({@code input_series}): a series ({@code up{job="a"}}, {@code {"my.metric"}}) and expanding
 * values ({@code 1 2 _ stale 1+1x10 5-2x3 0x4 _x2}), with Go's number rules ({@code 0x10} is 16,
 * {@code 010} is 8; but {@code 0x3} as an item is zero repeated three times, as in Prometheus).
 * One parser for both users, so that the two notations cannot drift apart.
 */
public final class SeriesNotation {
  /** Prometheus' stale marker NaN. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
  static final Object GAP = new Object() {
    @Override
    public String toString() {
      return "_";
    }
  };
  static final Object HISTOGRAM = new Object() {
    @Override
    public String toString() {
      return "{{histogram}}";
    }
  };

  private SeriesNotation() {}

  /**
   * The labels of a series written as {@code name}, {@code name{l="v", ...}} or {@code {...}}.
   *
   * @throws IllegalArgumentException naming what is wrong, for text that is not exactly one series
   */
  public static Labels parseLabels(String series) {
    String t = series.trim();
    int[] pos = {0};
    Labels l = parseLabels(t, pos);
    if (pos[0] != t.length()) {
      throw new IllegalArgumentException("unexpected text after the series at column " + (pos[0] + 1) + " in: " + series);
    }
    return l;
  }

  /**
   * Expanded float values: one entry per position, null for a gap ({@code _}), {@link #STALE_NAN}
   * for {@code stale}.
   *
   * @throws IllegalArgumentException for a malformed item or a native histogram (not supported here)
   */
  public static List<Double> parseFloatValues(String values) {
    List<Object> all = parseValues(values.trim());
    List<Double> out = new ArrayList<>(all.size());
    for (Object v : all) {
      if (v == HISTOGRAM) {
        throw new IllegalArgumentException("native histogram values are not supported yet: " + values);
      }
      out.add(v == GAP ? null : (Double) v);
    }
    return out;
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
      int j = skipSpace(s, i); // "up {job="a"}" as the PromQL lexer reads it; "{{" opens histogram values
      if (j > i && s.startsWith("{", j) && !s.startsWith("{{", j)) {
        i = j;
      }
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

  static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
  }

  /** Expands the value notation of FORMAT.md §3.2/3.3: Double, {@link #GAP} or {@link #HISTOGRAM}. */
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
    long k;
    try {
      k = Long.parseLong(item.substring(x + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad repetition count in \"" + item + "\"");
    }
    String base = item.substring(0, x);
    if (base.equals("_")) {
      for (long n = 0; n < k; n++) {
        out.add(GAP);
      }
      return;
    }
    if (base.equals("stale")) {
      throw new IllegalArgumentException("'stale' cannot be repeated: \"" + item + "\"");
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
}
