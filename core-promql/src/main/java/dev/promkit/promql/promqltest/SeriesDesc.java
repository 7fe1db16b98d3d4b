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
  static final Object GAP = SeriesNotation.GAP;
  /** Marker for a native histogram position. */
  static final Object HISTOGRAM = SeriesNotation.HISTOGRAM;
  /** Prometheus' stale marker NaN. */
  static final double STALE_NAN = SeriesNotation.STALE_NAN;

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
    Labels labels = SeriesNotation.parseLabels(line, pos);
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

  /** See {@link SeriesNotation#parseValues}. */
  static List<Object> parseValues(String s) {
    return SeriesNotation.parseValues(s);
  }

  /** See {@link SeriesNotation#parseNumber}. */
  static double parseNumber(String s) {
    return SeriesNotation.parseNumber(s);
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
