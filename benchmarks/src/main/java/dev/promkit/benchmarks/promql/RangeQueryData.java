package dev.promkit.benchmarks.promql;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.util.ArrayList;
import java.util.List;

/**
 * The data set of Prometheus' {@code BenchmarkRangeQuery} (promql/bench_test.go,
 * {@code setupRangeQueryTestData}), loaded into a real in-memory {@link Tsdb} head.
 *
 * <p>Series, in bench_test.go's order (the order defines the index {@code i} in the value):
 * {@code a_one, b_one, h_one{le="0".."9","+Inf"}}, then for {@code l} in 0..9 {@code a_ten, b_ten,
 * h_ten{l,le}} and for {@code l} in 0..99 {@code a_hundred, b_hundred, h_hundred{l,le}}: 1443 series.
 * Sample {@code s} (0 ≤ s &lt; {@value #INTERVALS}) is at {@code s * 10 s} with value
 * {@code s + i / 1443}; one commit per step. Like Prometheus, a {@code sparse{l}} series gets
 * {@value #INTERVALS}/50 consecutive samples per value of {@code l} (value {@code s / 1443}); no
 * query reads it except {@code count({__name__!=""})}.
 */
final class RangeQueryData {
  /** Sample spacing, ms. */
  static final long INTERVAL_MS = 10_000;
  /** A day of samples plus 10,000 steps, as in bench_test.go. */
  static final int INTERVALS = 8640 + 10_000;
  /** The last query end: {@code INTERVALS * 10 s}, as bench_test.go uses. */
  static final long END_MS = INTERVALS * INTERVAL_MS;

  private RangeQueryData() {}

  /** The 1443 regular series' label sets, in bench_test.go's order. */
  static List<Labels> series() {
    List<Labels> out = new ArrayList<>(1443);
    out.add(Labels.of("__name__", "a_one"));
    out.add(Labels.of("__name__", "b_one"));
    addHistogram(out, "h_one", null);
    for (String size : new String[] {"ten", "hundred"}) {
      int n = "ten".equals(size) ? 10 : 100;
      for (int l = 0; l < n; l++) {
        String lv = Integer.toString(l);
        out.add(Labels.of("__name__", "a_" + size, "l", lv));
        out.add(Labels.of("__name__", "b_" + size, "l", lv));
        addHistogram(out, "h_" + size, lv);
      }
    }
    return out;
  }

  private static void addHistogram(List<Labels> out, String name, String l) {
    for (int j = 0; j <= 10; j++) {
      String le = j == 10 ? "+Inf" : Integer.toString(j);
      out.add(l == null ? Labels.of("__name__", name, "le", le) : Labels.of("__name__", name, "l", l, "le", le));
    }
  }

  /**
   * A fresh in-memory TSDB (Prometheus' head defaults: 2 h chunk range, 120 samples per chunk)
   * holding the whole data set: 18,640 steps x 1443 series + the sparse series, ~26.9 M samples.
   */
  static Tsdb load() {
    Tsdb db = Tsdb.inMemory();
    List<Labels> metrics = series();
    Labels[] ls = metrics.toArray(new Labels[0]);
    long[] refs = new long[ls.length];
    double n = ls.length;
    int perSparse = INTERVALS / 50;
    Appender app = db.appender();
    long sparseRef = 0;
    int sparseL = -1;
    Labels sparse = null;
    for (int s = 0; s < INTERVALS; s++) {
      long ts = s * INTERVAL_MS;
      for (int i = 0; i < ls.length; i++) {
        refs[i] = app.append(refs[i], ls[i], ts, s + i / n);
      }
      if (s / perSparse != sparseL) { // a new sparse series every perSparse steps
        sparseL = s / perSparse;
        sparse = Labels.of("__name__", "sparse", "l", Integer.toString(sparseL));
        sparseRef = 0;
      }
      sparseRef = app.append(sparseRef, sparse, ts, s / n);
      app.commit();
    }
    return db;
  }
}
