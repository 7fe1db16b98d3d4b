package dev.promkit.promql.rules;

import dev.promkit.promql.parser.ParseException;
import dev.promkit.promql.parser.Parser;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * promtool's input-series notation: a metric ({@code up{job="a"}}) and expanding values
 * ({@code 1 2 _ stale 1+1x10 5-2x3 0x4 _x2}); a value of null in the expansion is a gap.
 */
final class SeriesNotation {
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private SeriesNotation() {}

  /** Parses {@code name{l="v"}}, {@code {__name__="x"}} or {@code {}} into labels (equality only). */
  static Labels metric(String s) {
    String t = s.trim();
    if (t.isEmpty() || t.equals("{}")) {
      return Labels.empty();
    }
    List<LabelMatcher> ms;
    try {
      ms = new Parser().parseMetricSelector(t);
    } catch (ParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Labels.Builder b = Labels.empty().toBuilder();
    for (LabelMatcher m : ms) {
      if (m.type() != LabelMatcher.Type.EQ) {
        throw new IllegalArgumentException("expected label matcher to be equality in " + s);
      }
      b.set(m.name(), m.value());
    }
    return b.build();
  }

  /** Expands the value notation; gaps are null. */
  static List<Double> values(String s) {
    List<Double> out = new ArrayList<>();
    for (String item : s.trim().split("\\s+")) {
      if (item.isEmpty()) {
        continue;
      }
      expand(item, out);
    }
    return out;
  }

  private static void expand(String item, List<Double> out) {
    if (item.equals("_")) {
      out.add(null);
      return;
    }
    if (item.equals("stale")) {
      out.add(STALE_NAN);
      return;
    }
    int x = item.lastIndexOf('x');
    if (x < 0) { // "0x3" is zero repeated, not hex, as in promtool
      out.add(number(item, item));
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
        out.add(null);
      }
      return;
    }
    if (base.equals("stale")) {
      throw new IllegalArgumentException("'stale' cannot be repeated: \"" + item + "\"");
    }
    int op = -1;
    for (int p = 1; p < base.length(); p++) {
      char c = base.charAt(p);
      if ((c == '+' || c == '-') && Character.toLowerCase(base.charAt(p - 1)) != 'e') {
        op = p;
        break;
      }
    }
    double start = number(op < 0 ? base : base.substring(0, op), item);
    double step = op < 0 ? 0 : number(base.substring(op + 1), item) * (base.charAt(op) == '-' ? -1 : 1);
    double v = start;
    for (long n = 0; n <= k; n++) {
      out.add(v);
      v += step;
    }
  }

  private static double number(String s, String item) {
    switch (s.toLowerCase()) {
      case "inf": case "+inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid value \"" + s + "\" in \"" + item + "\"");
        }
    }
  }
}
