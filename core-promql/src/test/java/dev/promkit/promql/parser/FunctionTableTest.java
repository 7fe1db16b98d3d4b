package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The function table is complete, consistent and covers every function the corpus calls. */
class FunctionTableTest {
  @Test
  void everyEntryIsCompleteAndNamedLikeItsConstant() {
    for (Function f : Function.values()) {
      assertEquals(f.name().toLowerCase(Locale.ROOT), f.functionName());
      assertSame(f, Function.byName(f.functionName()));
      assertNotNull(f.returnType());
      assertNotEquals(ValueType.NONE, f.returnType());
      assertFalse(f.flags().contains(Function.Flag.NONE), f.functionName());
      if (f.variadic() != 0) {
        assertFalse(f.argTypes().isEmpty(), f.functionName() + " is variadic without arguments");
      }
      for (ValueType t : f.argTypes()) {
        assertNotEquals(ValueType.NONE, t);
      }
    }
  }

  @Test
  void holdsEveryPrometheus314Function() {
    String[] names = {"abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh",
        "atan", "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
        "cos", "cosh", "count_over_time", "days_in_month", "day_of_month", "day_of_week",
        "day_of_year", "deg", "delta", "deriv", "double_exponential_smoothing", "end", "exp",
        "first_over_time", "floor", "histogram_avg", "histogram_count", "histogram_fraction",
        "histogram_quantile", "histogram_quantiles", "histogram_stddev", "histogram_stdvar",
        "histogram_sum", "hour", "idelta", "increase", "info", "irate", "label_join",
        "label_replace", "last_over_time", "ln", "log10", "log2", "mad_over_time", "max_of",
        "max_over_time", "min_of", "min_over_time", "minute", "month", "pi", "predict_linear",
        "present_over_time", "quantile_over_time", "rad", "range", "rate", "resets", "round",
        "scalar", "sgn", "sin", "sinh", "sort", "sort_by_label", "sort_by_label_desc",
        "sort_desc", "sqrt", "start", "start_timestamp", "stddev_over_time", "stdvar_over_time",
        "step", "sum_over_time", "tan", "tanh", "time", "timestamp", "ts_of_first_over_time",
        "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time", "vector", "year"};
    for (String n : names) {
      assertNotNull(Function.byName(n), n);
    }
    assertEquals(names.length, Function.values().length);
  }

  @Test
  void everyFunctionTheCorpusCallsIsInTheTable() throws IOException {
    Set<String> called = new TreeSet<>();
    for (String[] e : CorpusParseTest.corpusExpressions()) {
      Parser.parse(e[1]).walk(x -> {
        if (x instanceof Call) {
          called.add(((Call) x).function().functionName());
        }
      });
    }
    assertTrue(called.size() > 70, "corpus calls " + called.size() + " functions: " + called);
  }

  @Test
  void experimentalFlagsMatchPrometheus() {
    Set<Function> experimental = EnumSet.noneOf(Function.class);
    for (Function f : Function.values()) {
      if (f.isExperimental()) {
        experimental.add(f);
      }
    }
    assertEquals(EnumSet.of(Function.DOUBLE_EXPONENTIAL_SMOOTHING, Function.END,
        Function.HISTOGRAM_QUANTILES, Function.INFO, Function.MAD_OVER_TIME, Function.MAX_OF,
        Function.MIN_OF, Function.RANGE, Function.SORT_BY_LABEL, Function.SORT_BY_LABEL_DESC,
        Function.START, Function.START_TIMESTAMP, Function.STEP, Function.TS_OF_FIRST_OVER_TIME,
        Function.TS_OF_LAST_OVER_TIME, Function.TS_OF_MAX_OVER_TIME,
        Function.TS_OF_MIN_OVER_TIME), experimental);
  }

  @Test
  void arityFollowsPrometheusVariadicRules() {
    assertEquals(1, Function.ROUND.minArgs());
    assertEquals(2, Function.ROUND.maxArgs());
    assertEquals(0, Function.HOUR.minArgs());
    assertEquals(1, Function.HOUR.maxArgs());
    assertEquals(3, Function.LABEL_JOIN.minArgs());
    assertEquals(Integer.MAX_VALUE, Function.LABEL_JOIN.maxArgs());
    assertEquals(ValueType.STRING, Function.LABEL_JOIN.argType(7));
    assertEquals(3, Function.HISTOGRAM_QUANTILES.minArgs());
    assertEquals(12, Function.HISTOGRAM_QUANTILES.maxArgs());
    assertEquals(5, Function.LABEL_REPLACE.minArgs());
    assertEquals(5, Function.LABEL_REPLACE.maxArgs());
    assertEquals(0, Function.TIME.maxArgs());
  }

  @Test
  void flagsCarryTheEngineSideTables() {
    assertEquals(EnumSet.of(Function.CHANGES, Function.DELTA, Function.INCREASE, Function.RATE,
        Function.RESETS), flagged(Function.Flag.ANCHORED_SAFE));
    assertEquals(EnumSet.of(Function.DELTA, Function.INCREASE, Function.RATE),
        flagged(Function.Flag.SMOOTHED_SAFE));
    assertEquals(EnumSet.of(Function.SORT, Function.SORT_DESC, Function.SORT_BY_LABEL,
        Function.SORT_BY_LABEL_DESC), flagged(Function.Flag.SORTS_OUTPUT));
    assertTrue(Function.TIMESTAMP.has(Function.Flag.AT_MODIFIER_UNSAFE));
    assertTrue(Function.PREDICT_LINEAR.has(Function.Flag.AT_MODIFIER_UNSAFE));
    assertFalse(Function.RATE.has(Function.Flag.AT_MODIFIER_UNSAFE));
  }

  private static Set<Function> flagged(Function.Flag flag) {
    Set<Function> out = EnumSet.noneOf(Function.class);
    for (Function f : Function.values()) {
      if (f.has(flag)) {
        out.add(f);
      }
    }
    return out;
  }
}
