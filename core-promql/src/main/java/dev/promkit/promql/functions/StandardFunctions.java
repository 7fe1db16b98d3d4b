package dev.promkit.promql.functions;

import dev.promkit.promql.engine.FunctionContext;
import dev.promkit.promql.engine.FunctionImpl;
import dev.promkit.promql.engine.FunctionLibrary;
import dev.promkit.promql.engine.FunctionRegistry;
import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.StringValue;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Every PromQL function promkit implements, registered into a {@link FunctionRegistry}; found by
 * {@link FunctionRegistry#standard()} through {@link java.util.ServiceLoader}.
 *
 * <p>The numerical work lives in per-family classes of this package ({@code RateFunctions},
 * {@code OverTimeFunctions}, {@code MathFunctions}, {@code TimeFunctions}, {@code LabelFunctions},
 * {@code HistogramFunctions}, {@code SortFunctions}, {@code MiscFunctions}) as static methods over
 * primitive arrays and label sets; this class only adapts them to the engine's values.
 */
public final class StandardFunctions implements FunctionLibrary {
  /** Functions PromQL defines that this library leaves out, with the reason. */
  static final Map<String, String> NOT_IMPLEMENTED = Map.of(
      "info", "evaluated by the engine itself: it selects the info series from storage",
      "start_timestamp", "experimental; the engine's sample model carries no start timestamps yet");

  /** Creates the library (used by {@link java.util.ServiceLoader}). */
  public StandardFunctions() {}

  @Override
  public void registerAll(FunctionRegistry r) {
    registerRates(r);
    registerOverTime(r);
    registerMath(r);
    registerTime(r);
    registerLabels(r);
    registerHistograms(r);
    registerSortAndMisc(r);
  }

  // ---------------------------------------------------------------- range-vector plumbing

  /** Per-thread scratch arrays for a series' points: no allocation per call once grown. */
  private static final class Scratch {
    long[] t = new long[64];
    double[] v = new double[64];
    long[] st = new long[64];
    double[] extra = new double[64];
    final double[] pair = new double[2];
    final double[] regression = new double[2];

    void fill(List<FPoint> pts) {
      int n = pts.size();
      if (t.length < n) {
        int cap = Math.max(n, t.length * 2);
        t = new long[cap];
        v = new double[cap];
        st = new long[cap];
        extra = new double[cap];
      }
      for (int i = 0; i < n; i++) {
        FPoint p = pts.get(i);
        t[i] = p.t();
        v[i] = p.f();
        st[i] = p.st();
      }
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** A core over one series' float points; returns false for "no point at this step". */
  @FunctionalInterface
  private interface RangeCore {
    boolean compute(long[] t, double[] v, int n, Scratch s, List<Value> args, FunctionContext ctx, double[] out);
  }

  private static FunctionImpl range(int matrixArg, RangeCore core) {
    return (args, ctx) -> {
      Matrix m = (Matrix) args.get(matrixArg);
      Vector result = new Vector(1);
      if (m.isEmpty()) {
        return result;
      }
      Series series = m.get(0);
      List<FPoint> pts = series.floats();
      Scratch s = SCRATCH.get();
      s.fill(pts);
      double[] out = s.pair;
      if (core.compute(s.t, s.v, pts.size(), s, args, ctx, out)) {
        result.add(new Sample(series.metric(), ctx.timestamp(), out[0], null, true));
      }
      return result;
    };
  }

  /** A core that needs at least one float point. */
  @FunctionalInterface
  private interface SimpleRangeCore {
    double compute(long[] t, double[] v, int n);
  }

  private static FunctionImpl overTime(SimpleRangeCore core) {
    return range(0, (t, v, n, s, args, ctx, out) -> {
      if (n == 0) {
        return false;
      }
      out[0] = core.compute(t, v, n);
      return true;
    });
  }

  private static double scalarArg(List<Value> args, int i) {
    return ((Scalar) args.get(i)).v();
  }

  private static String stringArg(List<Value> args, int i) {
    return ((StringValue) args.get(i)).s();
  }

  // ---------------------------------------------------------------- families

  private static void registerRates(FunctionRegistry r) {
    r.register("rate", extrapolated(true, true));
    r.register("increase", extrapolated(true, false));
    r.register("delta", extrapolated(false, false));
    r.register("irate", range(0, (t, v, n, s, args, ctx, out) -> {
      if (!RateFunctions.instantValueHasResult(t, n)) {
        return false;
      }
      out[0] = RateFunctions.instantValue(t, v, s.st, n, true);
      return true;
    }));
    r.register("idelta", range(0, (t, v, n, s, args, ctx, out) -> {
      if (!RateFunctions.instantValueHasResult(t, n)) {
        return false;
      }
      out[0] = RateFunctions.instantValue(t, v, s.st, n, false);
      return true;
    }));
    r.register("deriv", range(0, (t, v, n, s, args, ctx, out) -> {
      if (n < 2) {
        return false;
      }
      out[0] = RateFunctions.deriv(t, v, n, s.regression);
      return true;
    }));
    r.register("predict_linear", range(0, (t, v, n, s, args, ctx, out) -> {
      if (n < 2) {
        return false;
      }
      out[0] = RateFunctions.predictLinear(t, v, n, ctx.timestamp(), scalarArg(args, 1), s.regression);
      return true;
    }));
    r.register("resets", counting(true));
    r.register("changes", counting(false));
  }

  private static FunctionImpl extrapolated(boolean isCounter, boolean isRate) {
    return range(0, (t, v, n, s, args, ctx, out) -> {
      long rangeEnd = ctx.windowEnd();
      long rangeStart = rangeEnd - ctx.rangeMillis();
      double rangeSeconds = ctx.rangeMillis() / 1000.0;
      if (ctx.anchored() || ctx.smoothed()) {
        if (!RateFunctions.extendedRateHasResult(t, n, rangeStart, rangeEnd, ctx.smoothed())) {
          return false;
        }
        out[0] = RateFunctions.extendedRate(
            t, v, n, rangeStart, rangeEnd, rangeSeconds, ctx.smoothed(), isCounter, isRate);
        return true;
      }
      if (!RateFunctions.extrapolatedRateHasResult(t, s.st, n, rangeStart, isCounter)) {
        return false;
      }
      if (isCounter && RateFunctions.startTimestampsOverlap(t, s.st, n)) {
        ctx.warn(startTimeOverlap(((Matrix) args.get(0)).get(0).metric()), 0);
      }
      out[0] = RateFunctions.extrapolatedRate(
          t, v, s.st, n, rangeStart, rangeEnd, rangeSeconds, isCounter, isRate);
      return true;
    });
  }

  private static String startTimeOverlap(Labels metric) {
    return "sample has start time that overlaps with previous sample timestamp for metric \""
        + metric.metricName() + "\"";
  }

  private static FunctionImpl counting(boolean resets) {
    return range(0, (t, v, n, s, args, ctx, out) -> {
      long rangeStart = ctx.windowEnd() - ctx.rangeMillis();
      int from = RateFunctions.firstIndexForCounting(t, n, rangeStart, ctx.anchored());
      if (from < 0) {
        return false;
      }
      out[0] = resets ? RateFunctions.resets(t, v, s.st, from, n) : RateFunctions.changes(v, from, n);
      return true;
    });
  }

  private static void registerOverTime(FunctionRegistry r) {
    r.register("avg_over_time", overTime((t, v, n) -> OverTimeFunctions.avg(v, n)));
    r.register("sum_over_time", overTime((t, v, n) -> OverTimeFunctions.sum(v, n)));
    r.register("count_over_time", overTime((t, v, n) -> OverTimeFunctions.count(n)));
    r.register("min_over_time", overTime((t, v, n) -> OverTimeFunctions.min(v, n)));
    r.register("max_over_time", overTime((t, v, n) -> OverTimeFunctions.max(v, n)));
    r.register("stddev_over_time", overTime((t, v, n) -> OverTimeFunctions.stddev(v, n)));
    r.register("stdvar_over_time", overTime((t, v, n) -> OverTimeFunctions.stdvar(v, n)));
    r.register("last_over_time", overTime((t, v, n) -> OverTimeFunctions.last(v, n)));
    r.register("first_over_time", overTime((t, v, n) -> OverTimeFunctions.first(v)));
    r.register("present_over_time", overTime((t, v, n) -> OverTimeFunctions.present()));
    r.register("mad_over_time", range(0, (t, v, n, s, args, ctx, out) -> {
      if (n == 0) {
        return false;
      }
      out[0] = OverTimeFunctions.mad(v, n, s.extra);
      return true;
    }));
    r.register("ts_of_min_over_time", overTime(OverTimeFunctions::tsOfMin));
    r.register("ts_of_max_over_time", overTime(OverTimeFunctions::tsOfMax));
    r.register("ts_of_first_over_time", overTime((t, v, n) -> OverTimeFunctions.tsOfFirst(t)));
    r.register("ts_of_last_over_time", overTime((t, v, n) -> OverTimeFunctions.tsOfLast(t, n)));
    // Called only for series with points; the evaluator turns "no series at all" into the 1.
    r.register("absent_over_time", overTime((t, v, n) -> 1));
    r.register("quantile_over_time", range(1, (t, v, n, s, args, ctx, out) -> {
      if (n == 0) {
        return false;
      }
      double q = scalarArg(args, 0);
      if (HistogramFunctions.quantileOutOfRange(q)) {
        ctx.warn(HistogramFunctions.invalidQuantile(q), 0);
      }
      out[0] = OverTimeFunctions.quantileOverTime(q, v, n, s.extra);
      return true;
    }));
    r.register("double_exponential_smoothing", range(0, (t, v, n, s, args, ctx, out) -> {
      double sf = scalarArg(args, 1);
      double tf = scalarArg(args, 2);
      try {
        MiscFunctions.validateFactors(sf, tf);
      } catch (IllegalArgumentException e) {
        throw new PromQLException(e.getMessage(), e);
      }
      if (n < 2) {
        return false;
      }
      out[0] = MiscFunctions.doubleExponentialSmoothing(v, n, sf, tf);
      return true;
    }));
  }

  /** Applies {@code op} to every float sample, marking the name for removal. */
  static Vector mapFloats(Vector in, DoubleUnaryOperator op) {
    Vector out = new Vector(in.size());
    for (Sample s : in) {
      if (s.h() == null) {
        out.add(new Sample(s.metric(), s.t(), op.applyAsDouble(s.f()), null, true));
      }
    }
    return out;
  }

  private static void registerMath(FunctionRegistry r) {
    for (Map.Entry<String, DoubleUnaryOperator> e : MathFunctions.UNARY.entrySet()) {
      DoubleUnaryOperator op = e.getValue();
      r.register(e.getKey(), (args, ctx) -> mapFloats((Vector) args.get(0), op));
    }
    r.register("round", (args, ctx) -> {
      double toNearest = args.size() >= 2 ? scalarArg(args, 1) : 1;
      return mapFloats((Vector) args.get(0), x -> MathFunctions.round(x, toNearest));
    });
    r.register("clamp", (args, ctx) -> clamp((Vector) args.get(0), scalarArg(args, 1), scalarArg(args, 2)));
    r.register("clamp_min", (args, ctx) ->
        clamp((Vector) args.get(0), scalarArg(args, 1), Double.POSITIVE_INFINITY));
    r.register("clamp_max", (args, ctx) ->
        clamp((Vector) args.get(0), Double.NEGATIVE_INFINITY, scalarArg(args, 1)));
    r.register("pi", (args, ctx) -> single(ctx, Math.PI));
  }

  private static Vector clamp(Vector in, double min, double max) {
    if (max < min) {
      return new Vector();
    }
    return mapFloats(in, x -> MathFunctions.clamp(x, min, max));
  }

  private static Vector single(FunctionContext ctx, double v) {
    Vector out = new Vector(1);
    out.add(new Sample(Labels.empty(), ctx.timestamp(), v));
    return out;
  }

  private static void registerTime(FunctionRegistry r) {
    r.register("time", (args, ctx) -> single(ctx, ctx.timestamp() / 1000.0));
    r.register("timestamp", (args, ctx) -> {
      Vector in = (Vector) args.get(0);
      Vector out = new Vector(in.size());
      for (Sample s : in) {
        out.add(new Sample(s.metric(), s.t(), s.t() / 1000.0, null, true));
      }
      return out;
    });
    for (TimeFunctions.Part part : TimeFunctions.Part.values()) {
      r.register(part.functionName, (args, ctx) -> {
        if (args.isEmpty()) {
          // Whole seconds of the evaluation time, truncated as Go's integer division.
          return single(ctx, TimeFunctions.field(part, ctx.timestamp() / 1000));
        }
        return mapFloats((Vector) args.get(0), part::of);
      });
    }
  }

  private static void registerLabels(FunctionRegistry r) {
    r.register("label_replace", new FunctionImpl() {
      // The arguments are literals: validate and compile once per distinct set, not per step.
      private volatile Object[] cache;

      @Override
      public Vector call(List<Value> args, FunctionContext ctx) {
        String dst = stringArg(args, 1);
        String repl = stringArg(args, 2);
        String src = stringArg(args, 3);
        String regex = stringArg(args, 4);
        Object[] c = cache;
        LabelFunctions.Replace replace;
        if (c != null && c[0].equals(dst) && c[1].equals(repl) && c[2].equals(src) && c[3].equals(regex)) {
          replace = (LabelFunctions.Replace) c[4];
        } else {
          try {
            replace = LabelFunctions.labelReplace(dst, repl, src, regex);
          } catch (IllegalArgumentException e) {
            throw new PromQLException(e.getMessage(), e);
          }
          cache = new Object[] {dst, repl, src, regex, replace};
        }
        Vector in = (Vector) args.get(0);
        Vector out = new Vector(in.size());
        boolean dstIsName = dst.equals(Labels.METRIC_NAME);
        for (Sample s : in) {
          Labels l;
          try {
            l = replace.apply(s.metric());
          } catch (IllegalArgumentException e) {
            throw new PromQLException(e.getMessage(), e);
          }
          if (l == s.metric()) {
            out.add(s);
          } else {
            out.add(new Sample(l, s.t(), s.f(), s.h(), !dstIsName && s.dropName()));
          }
        }
        return out;
      }
    });
    r.register("label_join", (args, ctx) -> {
      String dst = stringArg(args, 1);
      String sep = stringArg(args, 2);
      String[] srcs = new String[args.size() - 3];
      for (int i = 3; i < args.size(); i++) {
        srcs[i - 3] = stringArg(args, i);
      }
      try {
        LabelFunctions.validateLabelJoin(dst, srcs);
      } catch (IllegalArgumentException e) {
        throw new PromQLException(e.getMessage(), e);
      }
      Vector in = (Vector) args.get(0);
      Vector out = new Vector(in.size());
      boolean dstIsName = dst.equals(Labels.METRIC_NAME);
      for (Sample s : in) {
        Labels l = LabelFunctions.labelJoin(s.metric(), dst, sep, srcs);
        out.add(new Sample(l, s.t(), s.f(), s.h(), !dstIsName && s.dropName()));
      }
      return out;
    });
  }

  private static void registerHistograms(FunctionRegistry r) {
    r.register("histogram_quantile", (args, ctx) ->
        HistogramFunctions.quantile(scalarArg(args, 0), (Vector) args.get(1), ctx));
    r.register("histogram_quantiles", (args, ctx) -> {
      double[] qs = new double[args.size() - 2];
      for (int i = 2; i < args.size(); i++) {
        qs[i - 2] = scalarArg(args, i);
      }
      return HistogramFunctions.quantiles((Vector) args.get(0), stringArg(args, 1), qs, ctx);
    });
    r.register("histogram_fraction", (args, ctx) ->
        HistogramFunctions.fraction(scalarArg(args, 0), scalarArg(args, 1), (Vector) args.get(2), ctx));
    // These read native histograms only; float samples are skipped, so today they yield nothing.
    for (String name : new String[] {
        "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar"}) {
      r.register(name, (args, ctx) -> new Vector());
    }
  }

  private static void registerSortAndMisc(FunctionRegistry r) {
    r.register("sort", (args, ctx) -> sorted((Vector) args.get(0), SortFunctions.BY_VALUE, true));
    r.register("sort_desc", (args, ctx) -> sorted((Vector) args.get(0), SortFunctions.BY_VALUE_DESC, true));
    r.register("sort_by_label", (args, ctx) -> sorted((Vector) args.get(0),
        SortFunctions.byLabels(stringArgsFrom(args, 1), false), false));
    r.register("sort_by_label_desc", (args, ctx) -> sorted((Vector) args.get(0),
        SortFunctions.byLabels(stringArgsFrom(args, 1), true), false));
    r.register("scalar", (args, ctx) -> {
      double value = Double.NaN;
      boolean found = false;
      for (Sample s : (Vector) args.get(0)) {
        if (s.h() == null) {
          if (found) {
            return single(ctx, Double.NaN);
          }
          found = true;
          value = s.f();
        }
      }
      return single(ctx, value);
    });
    r.register("vector", (args, ctx) -> single(ctx, scalarArg(args, 0)));
    r.register("max_of", (args, ctx) -> single(ctx, Math.max(scalarArg(args, 0), scalarArg(args, 1))));
    r.register("min_of", (args, ctx) -> single(ctx, Math.min(scalarArg(args, 0), scalarArg(args, 1))));
    // Properties of the query itself, constant over its steps.
    r.register("start", (args, ctx) -> single(ctx, ctx.queryStart() / 1000.0));
    r.register("end", (args, ctx) -> single(ctx, ctx.queryEnd() / 1000.0));
    r.register("step", (args, ctx) -> single(ctx, ctx.queryStep() / 1000.0));
    r.register("range", (args, ctx) -> single(ctx, (ctx.queryEnd() - ctx.queryStart()) / 1000.0));
    r.register("absent", (args, ctx) -> {
      if (!((Vector) args.get(0)).isEmpty()) {
        return new Vector();
      }
      // Labels from the argument's matchers need the argument expression; the evaluator adds them.
      return single(ctx, 1);
    });
  }

  private static List<String> stringArgsFrom(List<Value> args, int from) {
    List<String> out = new ArrayList<>(args.size() - from);
    for (int i = from; i < args.size(); i++) {
      out.add(stringArg(args, i));
    }
    return out;
  }

  private static Vector sorted(Vector in, java.util.Comparator<Sample> cmp, boolean floatsOnly) {
    Sample[] a = new Sample[in.size()];
    int n = 0;
    for (Sample s : in) {
      if (!floatsOnly || s.h() == null) {
        a[n++] = s;
      }
    }
    Arrays.sort(a, 0, n, cmp); // stable (TimSort)
    Vector out = new Vector(n);
    for (int i = 0; i < n; i++) {
      out.add(a[i]);
    }
    return out;
  }
}
