package dev.promkit.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.MemoryStorage;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A range query's answer at each step equals the instant query at that time: checks that the
 * engine's series-at-a-time and blocked evaluation paths (aggregations in blocks of steps, range
 * functions over in-place windows, cached label sets) give what a single step gives.
 */
@Tag("slow")
class RangeMatchesInstantTest {
  private static final long STEP = 15_000;
  private static final int STEPS = 150; // more than two aggregation blocks of steps

  private static MemoryStorage data() {
    MemoryStorage s = new MemoryStorage();
    Random r = new Random(11);
    Appender a = s.appender();
    for (int g = 0; g < 3; g++) {
      for (int i = 0; i < 7; i++) {
        Labels l = Labels.of("__name__", "m", "g", "g" + g, "i", Integer.toString(i), "le",
            i == 6 ? "+Inf" : Integer.toString(i));
        double v = 0;
        for (long t = 0; t < STEPS * STEP; t += 10_000) {
          if (r.nextInt(13) == 0) {
            continue; // gaps: some steps miss some series
          }
          v = r.nextInt(40) == 0 ? 0 : v + r.nextInt(5) + r.nextDouble(); // counter with resets
          a.append(0, l, t + r.nextInt(3_000), v);
        }
      }
    }
    a.commit();
    return s;
  }

  private static void assertRangeMatchesInstants(Engine e, MemoryStorage s, String q) {
    long end = (STEPS - 1) * STEP;
    Matrix m = (Matrix) e.rangeQuery(s, q, 0, end, STEP).value();
    Map<String, Double> fromRange = new TreeMap<>();
    for (Series ser : m) {
      ser.floats().forEach(p -> fromRange.put(p.t() + " " + ser.metric(), p.f()));
    }
    Map<String, Double> fromInstants = new TreeMap<>();
    for (long t = 0; t <= end; t += STEP) {
      for (Sample x : (Vector) e.instantQuery(s, q, t).value()) {
        fromInstants.put(t + " " + x.metric(), x.f());
      }
    }
    assertEquals(fromInstants, fromRange, q);
  }

  @Test
  void aggregationsRangeFunctionsAndLabelFunctionsAgreeWithInstantQueries() {
    Engine e = Engine.builder().build();
    MemoryStorage s = data();
    for (String q : new String[] {
        "sum by (le) (m)", "avg by (g) (m)", "count(m)", "max by (i) (m)", "stddev without (i) (m)",
        "quantile by (g) (0.3, m)", "topk by (g) (2, m)", "sum(rate(m[1m]))",
        "histogram_quantile(0.9, rate(m[2m]))", "changes(m[5m])", "increase(m[90s])",
        "count_values by (g) (\"v\", round(m))", "label_replace(m, \"x\", \"$1\", \"i\", \"(.*)\")",
        "m - on(g, i) group_left m{le=\"+Inf\"}", "m / ignoring(le) m", "-m", "abs(m) > 20"}) {
      assertRangeMatchesInstants(e, s, q);
    }
  }
}
