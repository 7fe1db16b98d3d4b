package dev.promkit.promql.functions;

import dev.promkit.promql.engine.FunctionContext;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
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
    /** The step whose buckets {@link #buckets} holds (see {@link BucketKeys#step}). */
    long step = -1;

    Group(Labels labels) {
      this.labels = labels;
    }
  }

  /**
   * Groups the float samples of {@code in} into classic histograms, in first-seen order. A sample
   * whose {@code le} is missing or not a float is skipped with Prometheus' warning about argument
   * {@code vectorArg}. The groups (and the list) are reused by the next call of the same function
   * call: read them before returning.
   */
  static List<Group> group(Vector in, FunctionContext ctx, int vectorArg) {
    BucketKeys keys = BUCKET_KEYS.get().forCall(ctx);
    long step = ++keys.step;
    List<Group> groups = keys.order;
    groups.clear();
    for (int i = 0, n = in.size(); i < n; i++) {
      Sample s = in.get(i);
      if (s.h() != null) {
        continue;
      }
      BucketKey k = keys.at(i, s.metric());
      if (k.group == null) {
        ctx.warn(badBucketLabel(s.metric().metricName(), k.le), vectorArg);
        continue;
      }
      Group g = k.slot;
      if (g.step != step) { // first bucket of this histogram at this step
        g.step = step;
        g.buckets.clear();
        groups.add(g);
      }
      g.buckets.add(k.upper, s.f());
    }
    return groups;
  }

  /** A series' parsed {@code le} and its labels without {@code le} ({@code group} null: bad {@code le}). */
  static final class BucketKey {
    final String le;
    final double upper;
    final Labels group;
    /** The histogram this series' samples go to: shared by every series with equal {@link #group}. */
    Group slot;

    BucketKey(String le, double upper, Labels group) {
      this.le = le;
      this.upper = upper;
      this.group = group;
    }
  }

  /**
   * Bucket keys of the input series of one function call, keyed by the identity of their Labels:
   * the engine hands the same Labels object at every step of a range query, so {@code le} is
   * parsed and dropped once per series, not once per sample and step.
   */
  static final class BucketKeys {
    private FunctionContext owner;
    private final IdentityHashMap<Labels, BucketKey> keys = new IdentityHashMap<>();
    /** Histograms by labels without {@code le}, kept across the steps of one call. */
    private final Map<Labels, Group> groups = new HashMap<>();
    /** The groups of the current step, in first-seen order. */
    final List<Group> order = new ArrayList<>();
    long step;

    /** Starts over when a different call (context object) asks; the engine keeps one per call. */
    BucketKeys forCall(FunctionContext ctx) {
      if (ctx != owner) {
        owner = ctx;
        keys.clear();
        groups.clear();
        java.util.Arrays.fill(lastMetric, null);
        java.util.Arrays.fill(lastKey, null);
      }
      return this;
    }

    /** The input's series at each position at the previous step, and their keys. */
    private Labels[] lastMetric = new Labels[0];
    private BucketKey[] lastKey = new BucketKey[0];

    /**
     * The key of the sample at position {@code i} of the input: the engine lists the series in the
     * same order at every step, so a check of the previous step's series there skips the map.
     */
    BucketKey at(int i, Labels metric) {
      if (i < lastMetric.length && lastMetric[i] == metric) {
        return lastKey[i];
      }
      BucketKey k = of(metric);
      if (i >= lastMetric.length) {
        int cap = Math.max(i + 1, lastMetric.length * 2);
        lastMetric = java.util.Arrays.copyOf(lastMetric, cap);
        lastKey = java.util.Arrays.copyOf(lastKey, cap);
      }
      lastMetric[i] = metric;
      lastKey[i] = k;
      return k;
    }

    BucketKey of(Labels metric) {
      BucketKey k = keys.get(metric);
      if (k == null) {
        String le = metric.get("le");
        try {
          k = new BucketKey(le, GoFloat.parse(le), metric.without("le"));
          k.slot = groups.computeIfAbsent(k.group, Group::new);
        } catch (NumberFormatException e) {
          k = new BucketKey(le, Double.NaN, null);
        }
        if (keys.size() >= 1 << 16) { // inputs with fresh Labels at every step: keep the cache bounded
          keys.clear();
        }
        keys.put(metric, k);
      }
      return k;
    }
  }

  // Per thread, like StandardFunctions' Scratch: a function call runs on one thread at a time.
  private static final ThreadLocal<BucketKeys> BUCKET_KEYS = ThreadLocal.withInitial(BucketKeys::new);

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
    List<Group> groups = group(in, ctx, 1);
    Vector out = new Vector(groups.size());
    for (Group g : groups) {
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
    List<Group> groups = group(in, ctx, 0);
    Vector out = new Vector();
    for (double q : qs) {
      String qs2 = GoFormat.openMetricsFloat(q);
      for (Group g : groups) {
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
    for (Group g : group(in, ctx, 2)) {
      out.add(new Sample(g.labels, ctx.timestamp(), g.buckets.fraction(lower, upper), null, true));
    }
    return out;
  }
}
