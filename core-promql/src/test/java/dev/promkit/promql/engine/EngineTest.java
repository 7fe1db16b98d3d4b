package dev.promkit.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import org.junit.jupiter.api.Test;

class EngineTest {
  private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

  private static MemoryStorage storage(String name, long stepMs, double... values) {
    MemoryStorage s = new MemoryStorage();
    Appender a = s.appender();
    for (int i = 0; i < values.length; i++) {
      a.append(0, Labels.of("__name__", name, "job", "a"), i * stepMs, values[i]);
    }
    a.commit();
    return s;
  }

  private static Vector instant(Engine e, Queryable q, String query, long t) {
    return (Vector) e.instantQuery(q, query, t).value();
  }

  @Test
  void countValuesLabelsValuesWithGoShortestFixedDigits() {
    Engine e = Engine.builder().build();
    MemoryStorage s = new MemoryStorage();
    Appender a = s.appender();
    a.append(0, Labels.of("__name__", "m", "i", "1"), 0, 1e23);
    a.append(0, Labels.of("__name__", "m", "i", "2"), 0, 2.82879384806159e17);
    a.append(0, Labels.of("__name__", "m", "i", "3"), 0, 0.1 + 0.2);
    a.append(0, Labels.of("__name__", "m", "i", "4"), 0, -0.0);
    a.commit();
    java.util.Set<String> got = new java.util.TreeSet<>();
    for (dev.promkit.promql.value.Sample x : instant(e, s, "count_values(\"v\", m)", 0)) {
      got.add(x.metric().get("v"));
    }
    assertEquals(new java.util.TreeSet<>(java.util.List.of("100000000000000000000000", "282879384806159000",
        "0.30000000000000004", "-0")), got);
  }

  @Test
  void instantSelectorSeesTheNewestSampleWithinTheLookbackDelta() {
    Engine e = Engine.builder().lookbackDeltaMillis(60_000).build();
    MemoryStorage s = storage("m", 10_000, 1, 2, 3);
    assertEquals(3, instant(e, s, "m", 79_999).get(0).f());
    assertTrue(instant(e, s, "m", 80_000).isEmpty(), "sample at 20s is exactly one lookback old");
  }

  @Test
  void startTimestampGivesTheSelectedSamplesStartTimeInSecondsAndDropsTheName() {
    Engine e = Engine.builder().build();
    MemoryStorage s = new MemoryStorage();
    Appender a = s.appender();
    a.append(0, Labels.of("__name__", "m", "job", "a"), 1_500, 10_000, 1);
    a.append(0, Labels.of("__name__", "m", "job", "a"), 20_000, 2);
    a.commit();
    Vector v = instant(e, s, "start_timestamp(m)", 15_000);
    assertEquals(1, v.size());
    assertEquals(1.5, v.get(0).f());
    assertEquals(Labels.of("job", "a"), v.get(0).metric());
    assertEquals(0, instant(e, s, "start_timestamp(m)", 20_000).get(0).f(), "unknown start time reads as 0");
    assertTrue(instant(e, s, "start_timestamp(m * 1)", 15_000).isEmpty(), "an expression has no start times");
  }

  @Test
  void staleMarkerEndsTheSeriesAtOnce() {
    Engine e = Engine.builder().build();
    MemoryStorage s = storage("m", 10_000, 1, STALE, 3);
    assertEquals(1, instant(e, s, "m", 5_000).get(0).f());
    assertTrue(instant(e, s, "m", 15_000).isEmpty(), "the marker at 10s hides the sample at 0s");
    assertEquals(3, instant(e, s, "m", 20_000).get(0).f());
  }

  @Test
  void rangeWindowIsOpenOnTheLeft() {
    Engine e = Engine.builder().build();
    MemoryStorage s = storage("m", 10_000, 1, 1, 1, 1);
    Matrix m = (Matrix) e.instantQuery(s, "m[20s]", 30_000).value();
    assertEquals(2, m.get(0).floats().size(), "(10s, 30s] holds the samples at 20s and 30s");
  }

  @Test
  void arithmeticDropsTheNameAndComparisonKeepsIt() {
    Engine e = Engine.builder().build();
    MemoryStorage s = storage("m", 10_000, 5);
    assertEquals(Labels.of("job", "a"), instant(e, s, "m * 2", 0).get(0).metric());
    assertEquals(Labels.of("__name__", "m", "job", "a"), instant(e, s, "m > 1", 0).get(0).metric());
    assertEquals(Labels.of("job", "a"), instant(e, s, "m > bool 1", 0).get(0).metric());
  }

  @Test
  void oneToOneMatchWithManyLeftSeriesNeedsGroupLeft() {
    Engine e = Engine.builder().build();
    MemoryStorage s = new MemoryStorage();
    Appender a = s.appender();
    a.append(0, Labels.of("__name__", "l", "job", "a", "i", "1"), 0, 1);
    a.append(0, Labels.of("__name__", "l", "job", "a", "i", "2"), 0, 2);
    a.append(0, Labels.of("__name__", "r", "job", "a"), 0, 10);
    a.commit();
    PromQLException ex = assertThrows(PromQLException.class, () -> e.instantQuery(s, "l * on(job) r", 0));
    assertEquals("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
        ex.getMessage());
    assertEquals(2, instant(e, s, "l * on(job) group_left r", 0).size());
  }

  @Test
  void tooManySamplesFailsWithPrometheusMessage() {
    Engine e = Engine.builder().maxSamples(5).build();
    MemoryStorage s = storage("m", 1_000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    PromQLException ex = assertThrows(PromQLException.class, () -> e.instantQuery(s, "m[1m]", 10_000));
    assertEquals("query processing would load too many samples into memory in query execution", ex.getMessage());
  }

  @Test
  void samplesReleasedByFinishedNodesDoNotCountAgainstTheLimit() {
    Engine e = Engine.builder().maxSamples(30).build();
    MemoryStorage s = new MemoryStorage();
    Appender a = s.appender();
    for (int i = 0; i < 10; i++) {
      for (int t = 0; t < 4; t++) {
        a.append(0, Labels.of("__name__", "m", "i", Integer.toString(i)), t * 10_000L, i);
      }
    }
    a.commit();
    // Each sum holds 10 samples, then 1: four sums never hold more than 30 at once.
    assertEquals(180, instant(e, s, "sum(m) + sum(m) + sum(m) + sum(m)", 30_000).get(0).f());
    // A range vector of 10 series x 4 samples holds 40.
    assertThrows(PromQLException.class, () -> e.instantQuery(s, "m[1m]", 30_000));
  }

  @Test
  void slowStorageTimesOutWithPrometheusMessage() {
    Engine e = Engine.builder().timeoutMillis(5).build();
    MemoryStorage s = storage("m", 1_000, 1);
    Queryable slow = (mint, maxt) -> {
      Querier q = s.querier(mint, maxt);
      try {
        Thread.sleep(30);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return q;
    };
    PromQLException ex = assertThrows(PromQLException.class, () -> e.instantQuery(slow, "m + m", 0));
    assertEquals("query timed out in expression evaluation", ex.getMessage());
  }

  @Test
  void rangeQueryRejectsRangeVectorExpressions() {
    Engine e = Engine.builder().build();
    PromQLException ex = assertThrows(PromQLException.class,
        () -> e.rangeQuery(new MemoryStorage(), "m[5m]", 0, 60_000, 10_000));
    assertTrue(ex.getMessage().startsWith("invalid expression type \"range vector\" for range query"), ex.getMessage());
  }

  @Test
  void parseErrorsComeBackAsQueryErrors() {
    Engine e = Engine.builder().build();
    PromQLException ex = assertThrows(PromQLException.class, () -> e.instantQuery(new MemoryStorage(), "sum(", 0));
    assertTrue(ex.getMessage().contains("parse error"), ex.getMessage());
  }

  @Test
  void subqueryStepsAreAlignedToMultiplesOfTheStep() {
    Engine e = Engine.builder().build();
    MemoryStorage s = storage("m", 1_000, new double[120]);
    // [1m:25s] at 100s: window (40s, 100s], steps aligned to 0 -> 50s, 75s, 100s.
    Matrix m = (Matrix) e.instantQuery(s, "m[1m:25s]", 100_000).value();
    assertEquals(3, m.get(0).floats().size());
    assertEquals(50_000, m.get(0).floats().get(0).t());
  }

  @Test
  void scalarExpressionsGiveScalars() {
    Engine e = Engine.builder().build();
    Scalar sc = (Scalar) e.instantQuery(new MemoryStorage(), "2 ^ 10 % 7", 0).value();
    assertEquals(Math.pow(2, 10) % 7, sc.v());
  }

  @Test
  void unregisteredFunctionFailsWithClearMessage() {
    Engine e = Engine.builder().functions(new FunctionRegistry()).build();
    PromQLException ex = assertThrows(PromQLException.class, () -> e.instantQuery(new MemoryStorage(), "abs(m)", 0));
    assertTrue(ex.getMessage().contains("\"abs\" is not implemented"), ex.getMessage());
  }
}
