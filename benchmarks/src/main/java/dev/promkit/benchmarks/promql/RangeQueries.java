package dev.promkit.benchmarks.promql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The range queries of Prometheus' {@code BenchmarkRangeQuery} ({@code rangeQueryCases} in
 * promql/bench_test.go) that the promkit benchmark runs, by a short id usable as a JMH parameter.
 * {@code X} in an expression stands for the series count: {@code one}, {@code ten} or {@code hundred}.
 * Each query covers {@code steps} steps of 10 s ending at {@link RangeQueryData#END_MS}, which, the
 * end being inclusive, is {@code steps + 1} evaluation times, as in Prometheus.
 */
final class RangeQueries {
  /** One query: an expression template and its step count. */
  record Query(String id, String template, int steps) {
    /** The expression for a series count ({@code one}, {@code ten}, {@code hundred}). */
    String expr(String size) {
      return template.replace("X", size);
    }

    long startMs() {
      return RangeQueryData.END_MS - steps * RangeQueryData.INTERVAL_MS;
    }
  }

  static final Map<String, Query> ALL = new LinkedHashMap<>();

  private static void add(String id, String template, int steps) {
    ALL.put(id, new Query(id, template, steps));
  }

  static {
    add("a", "a_X", 1000);
    add("rate1m", "rate(a_X[1m])", 1000);
    add("rate1d", "rate(a_X[1d])", 1000);
    add("neg", "-a_X", 1000);
    add("aMinusB", "a_X - b_X", 1000);
    add("and", "a_X and b_X{l=~'.*[0-4]$'}", 1000);
    add("or", "a_X or b_X{l=~'.*[0-4]$'}", 1000);
    add("unless", "a_X unless b_X{l=~'.*[0-4]$'}", 1000);
    add("abs", "abs(a_X)", 1000);
    add("labelReplace", "label_replace(a_X, 'l2', '$1', 'l', '(.*)')", 1000);
    add("sum", "sum(a_X)", 1000);
    add("sumByLe", "sum by (le)(h_X)", 1000);
    add("countValues", "count_values('value', h_X)", 100);
    add("topk1", "topk(1, a_X)", 1000);
    add("rateSum", "rate(a_X[1m]) + rate(b_X[1m])", 1000);
    add("rateRatio", "sum without (l)(rate(a_X[1m])) / sum without (l)(rate(b_X[1m]))", 1000);
    add("histQuantile", "histogram_quantile(0.9, rate(h_X[5m]))", 1000);
    add("groupRight", "a_X + on(l) group_right a_one", 1000);
    add("countAll", "count({__name__!=\"\"})", 1);
    add("timestamp", "timestamp(a_X)", 1000);
    // Extra shapes of the Prometheus 2.42 run in /work/shared/bench/rangequery (same bench_test.go cases).
    add("topk5", "topk(5, a_X)", 1000);
    add("changes1d", "changes(a_X[1d])", 100);
    add("rate1m10k", "rate(a_X[1m])", 10_000);
  }

  private RangeQueries() {}

  static Query get(String id) {
    Query q = ALL.get(id);
    if (q == null) {
      throw new IllegalArgumentException("unknown range query id '" + id + "', known: " + ALL.keySet());
    }
    return q;
  }
}
