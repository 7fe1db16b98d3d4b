package dev.promkit.promql.testing;

import dev.promkit.promql.parser.ParseException;
import dev.promkit.promql.parser.Parser;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.StringValue;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.time.Instant;
import java.util.List;

/** Rendering of labels, values and results for failure messages; parsing of label-set selectors. */
final class Format {
  private static final Parser PARSER = new Parser();

  private Format() {}

  /** {@code name{a="1", b="2"}}, or {@code {a="1"}} without a name. */
  static String labels(Labels l) {
    StringBuilder sb = new StringBuilder();
    String name = l.get(Labels.METRIC_NAME);
    sb.append(name).append('{');
    boolean first = true;
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(l.name(i)).append("=\"").append(l.value(i).replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    }
    return sb.append('}').toString();
  }

  static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  /** The value as Go's {@code %v} prints it (shortest digits), with the stale marker named. */
  static String value(double v) {
    if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(ScrapeTarget.STALE_NAN)) {
      return "stale";
    }
    return dev.promkit.promql.format.GoFloat.formatG(v);
  }

  /** A whole result, one line per sample or series. */
  static String result(Value v) {
    if (v == null) {
      return "(none)";
    }
    StringBuilder sb = new StringBuilder();
    if (v instanceof Vector) {
      Vector vec = (Vector) v;
      sb.append("vector with ").append(vec.size()).append(vec.size() == 1 ? " sample" : " samples");
      for (Sample s : vec) {
        sb.append("\n  ").append(labels(s.metric())).append(" => ").append(value(s.f()));
      }
    } else if (v instanceof Matrix) {
      Matrix m = (Matrix) v;
      sb.append("matrix with ").append(m.size()).append(" series");
      for (Series s : m) {
        sb.append("\n  ").append(labels(s.metric())).append(" => ").append(points(s.floats()));
      }
    } else if (v instanceof Scalar) {
      sb.append("scalar ").append(value(((Scalar) v).v()));
    } else if (v instanceof StringValue) {
      sb.append("string \"").append(((StringValue) v).s()).append('"');
    } else {
      sb.append(v);
    }
    return sb.toString();
  }

  static String points(List<FPoint> points) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < points.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      FPoint p = points.get(i);
      sb.append(value(p.f())).append(" @").append(time(p.t()));
    }
    return sb.append(']').toString();
  }

  /**
   * The matchers of a series selector such as {@code {code="500"}} or {@code http_requests_total{code=~"5.."}}; {@code {}} matches everything.
   *
   * @throws IllegalArgumentException naming the selector when it does not parse
   */
  static List<LabelMatcher> selector(String selector) {
    if (selector.replace(" ", "").equals("{}")) {
      return List.of(); // matches every label set (PromQL itself refuses an empty selector)
    }
    try {
      return PARSER.parseMetricSelector(selector);
    } catch (ParseException e) {
      throw new IllegalArgumentException("bad series selector '" + selector + "': " + e.getMessage(), e);
    }
  }

  static boolean matches(List<LabelMatcher> matchers, Labels l) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(l)) {
        return false;
      }
    }
    return true;
  }
}
