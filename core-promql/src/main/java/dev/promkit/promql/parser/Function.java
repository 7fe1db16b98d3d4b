package dev.promkit.promql.parser;


import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every PromQL function of Prometheus 3.14 (main), with its signature and the facts the engine
 * needs about it. The parser type-checks calls from this table; the engine keys its
 * implementations by these constants (an {@link java.util.EnumMap}); no other code compares
 * function names.
 *
 * <p>Arity follows Prometheus: with {@code variadic == 0} a call takes exactly {@code
 * argTypes().size()} arguments; otherwise the last listed argument is optional, {@code variadic >
 * 0} more arguments may follow it (typed like the last one), and {@code variadic < 0} means any
 * number.
 */
public enum Function {
  /** {@code abs} */
  ABS("abs", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code absent} */
  ABSENT("absent", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code absent_over_time} */
  ABSENT_OVER_TIME("absent_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code acos} */
  ACOS("acos", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code acosh} */
  ACOSH("acosh", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code asin} */
  ASIN("asin", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code asinh} */
  ASINH("asinh", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code atan} */
  ATAN("atan", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code atanh} */
  ATANH("atanh", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code avg_over_time} */
  AVG_OVER_TIME("avg_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code ceil} */
  CEIL("ceil", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code changes} */
  CHANGES("changes", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.ANCHORED_SAFE)),
  /** {@code clamp} */
  CLAMP("clamp", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.SCALAR, ValueType.SCALAR), 0, EnumSet.of(Flag.NONE)),
  /** {@code clamp_max} */
  CLAMP_MAX("clamp_max", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.SCALAR), 0, EnumSet.of(Flag.NONE)),
  /** {@code clamp_min} */
  CLAMP_MIN("clamp_min", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.SCALAR), 0, EnumSet.of(Flag.NONE)),
  /** {@code cos} */
  COS("cos", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code cosh} */
  COSH("cosh", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code count_over_time} */
  COUNT_OVER_TIME("count_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code days_in_month} */
  DAYS_IN_MONTH("days_in_month", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code day_of_month} */
  DAY_OF_MONTH("day_of_month", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code day_of_week} */
  DAY_OF_WEEK("day_of_week", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code day_of_year} */
  DAY_OF_YEAR("day_of_year", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code deg} */
  DEG("deg", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code delta} */
  DELTA("delta", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.ANCHORED_SAFE, Flag.SMOOTHED_SAFE)),
  /** {@code deriv} */
  DERIV("deriv", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code double_exponential_smoothing} */
  DOUBLE_EXPONENTIAL_SMOOTHING("double_exponential_smoothing", ValueType.VECTOR, List.of(ValueType.MATRIX, ValueType.SCALAR, ValueType.SCALAR), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code end} */
  END("end", ValueType.SCALAR, List.of(), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL, Flag.QUERY_TIME)),
  /** {@code exp} */
  EXP("exp", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code first_over_time} */
  FIRST_OVER_TIME("first_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code floor} */
  FLOOR("floor", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code histogram_avg} */
  HISTOGRAM_AVG("histogram_avg", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code histogram_count} */
  HISTOGRAM_COUNT("histogram_count", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code histogram_fraction} */
  HISTOGRAM_FRACTION("histogram_fraction", ValueType.VECTOR, List.of(ValueType.SCALAR, ValueType.SCALAR, ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code histogram_quantile} */
  HISTOGRAM_QUANTILE("histogram_quantile", ValueType.VECTOR, List.of(ValueType.SCALAR, ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code histogram_quantiles} */
  HISTOGRAM_QUANTILES("histogram_quantiles", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.STRING, ValueType.SCALAR, ValueType.SCALAR), 9, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code histogram_stddev} */
  HISTOGRAM_STDDEV("histogram_stddev", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code histogram_stdvar} */
  HISTOGRAM_STDVAR("histogram_stdvar", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code histogram_sum} */
  HISTOGRAM_SUM("histogram_sum", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code hour} */
  HOUR("hour", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code idelta} */
  IDELTA("idelta", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code increase} */
  INCREASE("increase", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.ANCHORED_SAFE, Flag.SMOOTHED_SAFE)),
  /** {@code info} */
  INFO("info", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code irate} */
  IRATE("irate", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code label_join} */
  LABEL_JOIN("label_join", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING), -1, EnumSet.of(Flag.NONE, Flag.LABEL_MANIPULATION)),
  /** {@code label_replace} */
  LABEL_REPLACE("label_replace", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING, ValueType.STRING), 0, EnumSet.of(Flag.NONE, Flag.LABEL_MANIPULATION)),
  /** {@code last_over_time} */
  LAST_OVER_TIME("last_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code ln} */
  LN("ln", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code log10} */
  LOG10("log10", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code log2} */
  LOG2("log2", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code mad_over_time} */
  MAD_OVER_TIME("mad_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code max_of} */
  MAX_OF("max_of", ValueType.SCALAR, List.of(ValueType.SCALAR, ValueType.SCALAR), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code max_over_time} */
  MAX_OVER_TIME("max_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code min_of} */
  MIN_OF("min_of", ValueType.SCALAR, List.of(ValueType.SCALAR, ValueType.SCALAR), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code min_over_time} */
  MIN_OVER_TIME("min_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code minute} */
  MINUTE("minute", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code month} */
  MONTH("month", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code pi} */
  PI("pi", ValueType.SCALAR, List.of(), 0, EnumSet.of(Flag.NONE)),
  /** {@code predict_linear} */
  PREDICT_LINEAR("predict_linear", ValueType.VECTOR, List.of(ValueType.MATRIX, ValueType.SCALAR), 0, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code present_over_time} */
  PRESENT_OVER_TIME("present_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code quantile_over_time} */
  QUANTILE_OVER_TIME("quantile_over_time", ValueType.VECTOR, List.of(ValueType.SCALAR, ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code rad} */
  RAD("rad", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code range} */
  RANGE("range", ValueType.SCALAR, List.of(), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL, Flag.QUERY_TIME)),
  /** {@code rate} */
  RATE("rate", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.ANCHORED_SAFE, Flag.SMOOTHED_SAFE)),
  /** {@code resets} */
  RESETS("resets", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.ANCHORED_SAFE)),
  /** {@code round} */
  ROUND("round", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.SCALAR), 1, EnumSet.of(Flag.NONE)),
  /** {@code scalar} */
  SCALAR("scalar", ValueType.SCALAR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code sgn} */
  SGN("sgn", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code sin} */
  SIN("sin", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code sinh} */
  SINH("sinh", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code sort} */
  SORT("sort", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE, Flag.SORTS_OUTPUT)),
  /** {@code sort_by_label} */
  SORT_BY_LABEL("sort_by_label", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.STRING), -1, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL, Flag.SORTS_OUTPUT)),
  /** {@code sort_by_label_desc} */
  SORT_BY_LABEL_DESC("sort_by_label_desc", ValueType.VECTOR, List.of(ValueType.VECTOR, ValueType.STRING), -1, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL, Flag.SORTS_OUTPUT)),
  /** {@code sort_desc} */
  SORT_DESC("sort_desc", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE, Flag.SORTS_OUTPUT)),
  /** {@code sqrt} */
  SQRT("sqrt", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code start} */
  START("start", ValueType.SCALAR, List.of(), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL, Flag.QUERY_TIME)),
  /** {@code start_timestamp} */
  START_TIMESTAMP("start_timestamp", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL, Flag.RAW_SERIES)),
  /** {@code stddev_over_time} */
  STDDEV_OVER_TIME("stddev_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code stdvar_over_time} */
  STDVAR_OVER_TIME("stdvar_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code step} */
  STEP("step", ValueType.SCALAR, List.of(), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL, Flag.QUERY_TIME)),
  /** {@code sum_over_time} */
  SUM_OVER_TIME("sum_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE)),
  /** {@code tan} */
  TAN("tan", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code tanh} */
  TANH("tanh", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE)),
  /** {@code time} */
  TIME("time", ValueType.SCALAR, List.of(), 0, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE)),
  /** {@code timestamp} */
  TIMESTAMP("timestamp", ValueType.VECTOR, List.of(ValueType.VECTOR), 0, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE, Flag.RAW_SERIES)),
  /** {@code ts_of_first_over_time} */
  TS_OF_FIRST_OVER_TIME("ts_of_first_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code ts_of_last_over_time} */
  TS_OF_LAST_OVER_TIME("ts_of_last_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code ts_of_max_over_time} */
  TS_OF_MAX_OVER_TIME("ts_of_max_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code ts_of_min_over_time} */
  TS_OF_MIN_OVER_TIME("ts_of_min_over_time", ValueType.VECTOR, List.of(ValueType.MATRIX), 0, EnumSet.of(Flag.NONE, Flag.EXPERIMENTAL)),
  /** {@code vector} */
  VECTOR("vector", ValueType.VECTOR, List.of(ValueType.SCALAR), 0, EnumSet.of(Flag.NONE)),
  /** {@code year} */
  YEAR("year", ValueType.VECTOR, List.of(ValueType.VECTOR), 1, EnumSet.of(Flag.NONE, Flag.AT_MODIFIER_UNSAFE));

  /** Facts about a function beyond its signature. */
  public enum Flag {
    /** Placeholder so that {@code EnumSet.of} always has an argument; never reported. */
    NONE,
    /** Only available with {@link ParserOptions#enableExperimentalFunctions()}. */
    EXPERIMENTAL,
    /** Orders its output; range queries ignore the order (and Prometheus warns). */
    SORTS_OUTPUT,
    /**
     * Depends on the evaluation time or sample timestamps, so {@code @} pinning changes its
     * result (Prometheus' {@code AtModifierUnsafeFunctions}).
     */
    AT_MODIFIER_UNSAFE,
    /** Returns a property of the query itself: {@code start()}, {@code end()}, {@code step()}, {@code range()}. */
    QUERY_TIME,
    /** Needs the raw samples of a selector argument, with their own timestamps. */
    RAW_SERIES,
    /** Rewrites labels, keeping the metric name unless it is the target label. */
    LABEL_MANIPULATION,
    /** May take a range selector with the {@code anchored} modifier. */
    ANCHORED_SAFE,
    /** May take a range selector with the {@code smoothed} modifier. */
    SMOOTHED_SAFE
  }

  private static final Map<String, Function> BY_NAME = new HashMap<>();

  static {
    for (Function f : values()) {
      BY_NAME.put(f.name, f);
    }
  }

  private final String name;
  private final ValueType returnType;
  private final List<ValueType> argTypes;
  private final int variadic;
  private final Set<Flag> flags;

  Function(String name, ValueType returnType, List<ValueType> argTypes, int variadic,
      EnumSet<Flag> flags) {
    this.name = name;
    this.returnType = returnType;
    this.argTypes = argTypes;
    this.variadic = variadic;
    flags.remove(Flag.NONE);
    this.flags = Collections.unmodifiableSet(flags);
  }

  /** The function with this (case-sensitive) name, or null. */
  public static Function byName(String name) {
    return BY_NAME.get(name);
  }

  /** The name as written in PromQL. */
  public String functionName() {
    return name;
  }

  /** The type of the result. */
  public ValueType returnType() {
    return returnType;
  }

  /** The declared argument types. */
  public List<ValueType> argTypes() {
    return argTypes;
  }

  /** 0: fixed arity; n &gt; 0: up to n extra arguments; -1: unbounded (see the class comment). */
  public int variadic() {
    return variadic;
  }

  /** The fewest arguments a call may have. */
  public int minArgs() {
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
  }

  /** The most arguments a call may have, or {@link Integer#MAX_VALUE}. */
  public int maxArgs() {
    if (variadic == 0) {
      return argTypes.size();
    }
    return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
  }

  /** The expected type of argument {@code i} (extra variadic arguments repeat the last type). */
  public ValueType argType(int i) {
    return argTypes.get(Math.min(i, argTypes.size() - 1));
  }

  /** The flags. */
  public Set<Flag> flags() {
    return flags;
  }

  /** Whether a flag is set. */
  public boolean has(Flag flag) {
    return flags.contains(flag);
  }

  /** Whether the function needs {@link ParserOptions#enableExperimentalFunctions()}. */
  public boolean isExperimental() {
    return flags.contains(Flag.EXPERIMENTAL);
  }

  @Override
  public String toString() {
    return name;
  }
}
