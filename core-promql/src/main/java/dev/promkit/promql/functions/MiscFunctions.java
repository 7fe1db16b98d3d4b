package dev.promkit.promql.functions;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code absent}'s labels and {@code double_exponential_smoothing}. */
final class MiscFunctions {
  private MiscFunctions() {}

  /**
   * The labels {@code absent(selector)} and {@code absent_over_time(selector[r])} give their
   * output: each label matched by exactly one equality matcher (metric name excluded); a label
   * with any other matcher, or with several, is left out.
   */
  static Labels absentLabels(List<LabelMatcher> matchers) {
    Labels.Builder b = new Labels.Builder();
    Set<String> seen = new HashSet<>();
    for (LabelMatcher m : matchers) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == LabelMatcher.Type.EQ && seen.add(m.name())) {
        b.set(m.name(), m.value());
      } else {
        b.remove(m.name());
      }
    }
    return b.build();
  }

  /**
   * {@code double_exponential_smoothing} (Holt's linear method; {@code holt_winters} before 3.0):
   * level and trend smoothed with factors {@code sf} and {@code tf}, both strictly between 0 and 1.
   * Requires {@code n >= 2}.
   *
   * @throws IllegalArgumentException with Prometheus' message for a factor out of range
   */
  static double doubleExponentialSmoothing(double[] v, int n, double sf, double tf) {
    validateFactors(sf, tf);
    double s0 = 0;
    double s1 = v[0];
    double b = v[1] - v[0];
    for (int i = 1; i < n; i++) {
      double x = sf * v[i];
      b = trend(i - 1, tf, s0, s1, b);
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }

  /** Throws Prometheus' error for a smoothing or trend factor outside (0, 1). */
  static void validateFactors(double sf, double tf) {
    if (sf <= 0 || sf >= 1) { // NaN passes, as in Prometheus
      throw new IllegalArgumentException(
          "invalid smoothing factor. Expected: 0 < sf < 1, got: " + goFormatF(sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw new IllegalArgumentException(
          "invalid trend factor. Expected: 0 < tf < 1, got: " + goFormatF(tf));
    }
  }

  private static double trend(int i, double tf, double s0, double s1, double b) {
    if (i == 0) {
      return b;
    }
    return tf * (s1 - s0) + (1 - tf) * b;
  }

  /** Go's {@code %f}. */
  static String goFormatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%f", v);
  }
}
