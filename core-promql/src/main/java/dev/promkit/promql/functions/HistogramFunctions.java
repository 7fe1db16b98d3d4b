package dev.promkit.promql.functions;

import dev.promkit.promql.engine.FunctionContext;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code histogram_quantile}, {@code histogram_quantiles} and {@code histogram_fraction} over
 * classic histograms: float samples grouped by their labels without {@code le}, one
 * {@link ClassicBuckets} per group. Native histograms are not modelled yet, so only the classic
 * half exists; {@code histogram_count}/{@code _sum}/{@code _avg}/{@code _stddev}/{@code _stdvar},
 * which read native histograms only, find nothing to read.
 */
final class HistogramFunctions {
  private HistogramFunctions() {}

  static final String FORCED_MONOTONICITY =
      "input to histogram_quantile needed to be fixed for monotonicity "
          + "(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)";

  /** One classic histogram: its output labels (all but {@code le}) and buckets. */
  static final class Group {
    final Labels labels;
    final ClassicBuckets buckets = new ClassicBuckets();

    Group(Labels labels) {
      this.labels = labels;
    }
  }

  /**
   * Groups the float samples of {@code in} into classic histograms, in first-seen order. A sample
   * whose {@code le} is missing or not a float is skipped with Prometheus' warning about argument
   * {@code vectorArg}.
   */
  static Map<Labels, Group> group(Vector in, FunctionContext ctx, int vectorArg) {
    Map<Labels, Group> groups = new LinkedHashMap<>();
    for (Sample s : in) {
      if (s.h() != null) {
        continue;
      }
      String le = s.metric().get("le");
      double upper;
      try {
        upper = GoFloat.parse(le);
      } catch (NumberFormatException e) {
        ctx.warn(badBucketLabel(s.metric().metricName(), le), vectorArg);
        continue;
      }
      Labels key = s.metric().without("le");
      Group g = groups.get(key);
      if (g == null) {
        g = new Group(key);
        groups.put(key, g);
      }
      g.buckets.add(upper, s.f());
    }
    return groups;
  }

  static String badBucketLabel(String metricName, String le) {
    String msg = "bucket label \"le\" is missing or has a malformed value of " + GoFormat.quote(le);
    return metricName.isEmpty() ? msg : msg + " for metric name " + GoFormat.quote(metricName);
  }

  static String invalidQuantile(double q) {
    return "quantile value should be between 0 and 1, got " + GoFormat.g(q);
  }

  static boolean quantileOutOfRange(double q) {
    return Double.isNaN(q) || q < 0 || q > 1;
  }

  /** {@code histogram_quantile(q, v)}. */
  static Vector quantile(double q, Vector in, FunctionContext ctx) {
    if (quantileOutOfRange(q)) {
      ctx.warn(invalidQuantile(q), 0);
    }
    Vector out = new Vector();
    for (Group g : group(in, ctx, 1).values()) {
      double r = g.buckets.quantile(q);
      if (g.buckets.forcedMonotonic) {
        ctx.info(FORCED_MONOTONICITY, 1);
      }
      out.add(new Sample(g.labels, ctx.timestamp(), r, null, true));
    }
    return out;
  }

  /** {@code histogram_quantiles(v, label, q...)}: one output per quantile and histogram, labelled with the quantile. */
  static Vector quantiles(Vector in, String quantileLabel, double[] qs, FunctionContext ctx) {
    for (int i = 0; i < qs.length; i++) {
      if (quantileOutOfRange(qs[i])) {
        ctx.warn(invalidQuantile(qs[i]), i + 2);
      }
    }
    Map<Labels, Group> groups = group(in, ctx, 0);
    Vector out = new Vector();
    for (double q : qs) {
      String qs2 = GoFormat.openMetricsFloat(q);
      for (Group g : groups.values()) {
        double r = g.buckets.quantile(q);
        if (g.buckets.forcedMonotonic) {
          ctx.info(FORCED_MONOTONICITY, 0);
        }
        Labels labels = g.labels.toBuilder().set(quantileLabel, qs2).build();
        out.add(new Sample(labels, ctx.timestamp(), r, null, true));
      }
    }
    return out;
  }

  /** {@code histogram_fraction(lower, upper, v)}. */
  static Vector fraction(double lower, double upper, Vector in, FunctionContext ctx) {
    Vector out = new Vector();
    for (Group g : group(in, ctx, 2).values()) {
      out.add(new Sample(g.labels, ctx.timestamp(), g.buckets.fraction(lower, upper), null, true));
    }
    return out;
  }
}
