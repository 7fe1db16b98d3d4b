package dev.promkit.promql.functions;

import dev.promkit.promql.engine.FloatPoints;
import dev.promkit.promql.engine.FunctionContext;
import dev.promkit.promql.engine.FunctionImpl;
import dev.promkit.promql.engine.FunctionLibrary;
import dev.promkit.promql.engine.FunctionRegistry;
import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.engine.RangeFunctionImpl;
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
      "info", "evaluated by the engine itself: it selects the info series from storage");

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

  /**
   * Per-thread primitive view of the current series' points. The engine hands a range function one
   * window (a sub-list of one series' points) per step, and consecutive steps of a series overlap
   * almost entirely; so the converted arrays are kept across calls and only points new to the
   * window are converted (a sliding cache, keyed by the identity of the series' label set and
   * checked by the identity of the window's first and last cached points). Prefix counts of counter
   * resets, value changes and start-time overlaps make those exact integer differences.
   */
  static final class Scratch {
    private Labels key;
    private FPoint[] refs = new FPoint[64];
    long[] t = new long[64];
    double[] v = new double[64];
    long[] st = new long[64];
    /** resetsTo[i]: pairs (j-1, j) with j &lt;= i that are counter resets (value or start time). */
    private int[] resetsTo = new int[64];
    private int[] changesTo = new int[64];
    private int[] overlapsTo = new int[64];
    private int len;
    /** The current window is [from, to) of the arrays above. */
    int from;
    int to;
    /** Zero-based copies of the window for cores that read from index 0 (they may reorder). */
    long[] zt = new long[64];
    double[] zv = new double[64];
    double[] extra = new double[64];
    final double[] pair = new double[2];
    final double[] regression = new double[2];

    /** The series whose whole arrays {@link #t}/{@link #v}/{@link #st} currently are, or null. */
    private FloatPoints base;
    private long[] zeros = new long[64];
    private long[] ownT = t;
    private double[] ownV = v;
    private long[] ownSt = st;

    void fill(Labels metric, List<FPoint> w) {
      if (w instanceof FloatPoints.Window) {
        fillFromBase((FloatPoints.Window) w);
        return;
      }
      if (base != null) { // back to the copying cache
        base = null;
        t = ownT;
        v = ownV;
        st = ownSt;
        key = null;
        len = 0;
      }
      int n = w.size();
      if (n == 0) {
        from = 0;
        to = 0;
        return;
      }
      int k = metric == key && len > 0 ? find(w.get(0)) : -1;
      if (k >= 0) {
        int overlapEnd = Math.min(len, k + n);
        if (w.get(overlapEnd - 1 - k) != refs[overlapEnd - 1]) {
          k = -1; // not the cached list after all
        }
      }
      if (k < 0) {
        key = metric;
        len = 0;
        k = makeRoom(0, n);
        append(w, 0, n);
      } else if (len - k < n) {
        int have = len - k;
        k = makeRoom(k, n - have);
        append(w, have, n);
      }
      from = k;
      to = k + n;
    }

    /**
     * The engine's window over a series held in primitive arrays: read those arrays in place (no
     * copy); the prefix counts are computed once per series, over all of its points.
     */
    private void fillFromBase(FloatPoints.Window w) {
      FloatPoints b = w.base();
      if (b != base) {
        base = b;
        key = null;
        len = 0;
        int n = b.size();
        t = b.times();
        v = b.values();
        if (b.startTimes() != null) {
          st = b.startTimes();
        } else {
          if (zeros.length < n) {
            zeros = new long[Math.max(n, zeros.length * 2)];
          }
          st = zeros;
        }
        if (resetsTo.length < n) {
          int cap = Math.max(n, resetsTo.length * 2);
          resetsTo = new int[cap];
          changesTo = new int[cap];
          overlapsTo = new int[cap];
        }
        for (int i = 0; i < n; i++) {
          prefix(i);
        }
      }
      from = w.from();
      to = w.to();
    }

    /** Prefix counts at index i from those at i - 1. */
    private void prefix(int i) {
      if (i == 0) {
        resetsTo[i] = 0;
        changesTo[i] = 0;
        overlapsTo[i] = 0;
        return;
      }
      double prev = v[i - 1];
      double cur = v[i];
      boolean reset = cur < prev || RateFunctions.isStartTimestampReset(st[i - 1], t[i - 1], st[i], t[i]);
      boolean change = cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev));
      resetsTo[i] = resetsTo[i - 1] + (reset ? 1 : 0);
      changesTo[i] = changesTo[i - 1] + (change ? 1 : 0);
      boolean overlap = RateFunctions.startTimestampOverlaps(st[i - 1], t[i - 1], st[i]);
      overlapsTo[i] = overlapsTo[i - 1] + (overlap ? 1 : 0);
    }

    /** Cached index of {@code p} (binary search by time, then identity), or -1. */
    private int find(FPoint p) {
      int i = Arrays.binarySearch(t, 0, len, p.t());
      return i >= 0 && refs[i] == p ? i : -1;
    }

    /** Makes room for {@code extra} more points, dropping those before {@code keepFrom}; returns its new index. */
    private int makeRoom(int keepFrom, int extra) {
      int keep = len - keepFrom;
      if (len + extra <= t.length) {
        return keepFrom;
      }
      // Shift only when that frees at least half the capacity: amortised O(1) per appended point.
      int cap = keep + extra <= t.length / 2 ? t.length : Math.max(64, 2 * (keep + extra));
      refs = move(refs, keepFrom, keep, cap);
      t = move(t, keepFrom, keep, cap);
      v = move(v, keepFrom, keep, cap);
      st = move(st, keepFrom, keep, cap);
      ownT = t;
      ownV = v;
      ownSt = st;
      resetsTo = move(resetsTo, keepFrom, keep, cap);
      changesTo = move(changesTo, keepFrom, keep, cap);
      overlapsTo = move(overlapsTo, keepFrom, keep, cap);
      len = keep;
      return 0;
    }

    private static <A> A move(A src, int from, int count, int cap) {
      A dst = java.lang.reflect.Array.getLength(src) == cap ? src : newLike(src, cap);
      System.arraycopy(src, from, dst, 0, count);
      return dst;
    }

    @SuppressWarnings("unchecked")
    private static <A> A newLike(A src, int cap) {
      return (A) java.lang.reflect.Array.newInstance(src.getClass().getComponentType(), cap);
    }

    private void append(List<FPoint> w, int a, int b) {
      for (int j = a; j < b; j++) {
        FPoint p = w.get(j);
        int i = len++;
        refs[i] = p;
        t[i] = p.t();
        v[i] = p.f();
        st[i] = p.st();
        prefix(i);
      }
    }

    /** Counter resets between consecutive points of [a, b). */
    int resets(int a, int b) {
      return b - a < 2 ? 0 : resetsTo[b - 1] - resetsTo[a];
    }

    /** Value changes between consecutive points of [a, b). */
    int changes(int a, int b) {
      return b - a < 2 ? 0 : changesTo[b - 1] - changesTo[a];
    }

    /** Start-time overlaps between consecutive points of [a, b). */
    int overlaps(int a, int b) {
      return b - a < 2 ? 0 : overlapsTo[b - 1] - overlapsTo[a];
    }

    /** Copies the window to {@link #zt}/{@link #zv} from index 0; returns its length. */
    int zeroBased() {
      int n = to - from;
      if (zt.length < n) {
        int cap = Math.max(n, zt.length * 2);
        zt = new long[cap];
        zv = new double[cap];
        extra = new double[cap];
      }
      System.arraycopy(t, from, zt, 0, n);
      System.arraycopy(v, from, zv, 0, n);
      return n;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * Output labels of a label function by input Labels (identity), for one call: the engine hands
   * the same Labels objects at every step, so the regex runs once per series, and the output is
   * the same Labels object at every step too (cheap for the engine to collect).
   */
  static final class LabelMemo {
    private FunctionContext owner;
    private Object rule;
    private final java.util.IdentityHashMap<Labels, Labels> memo = new java.util.IdentityHashMap<>();

    LabelMemo forCall(FunctionContext ctx, Object rule) {
      if (ctx != owner || rule != this.rule) {
        owner = ctx;
        this.rule = rule;
        memo.clear();
      }
      return this;
    }

    Labels get(Labels in) {
      return memo.get(in);
    }

    void put(Labels in, Labels out) {
      if (memo.size() >= 1 << 16) { // inputs with fresh Labels at every step: keep it bounded
        memo.clear();
      }
      memo.put(in, out);
    }
  }

  private static final ThreadLocal<LabelMemo> LABEL_MEMO = ThreadLocal.withInitial(LabelMemo::new);

  /** A core over one series' window [from, to) of the scratch arrays; false for "no point at this step". */
  @FunctionalInterface
  private interface WindowCore {
    boolean compute(Scratch s, int from, int to, List<Value> args, FunctionContext ctx, double[] out);
  }

  /** A core over one series' float points from index 0; returns false for "no point at this step". */
  @FunctionalInterface
  private interface RangeCore {
    boolean compute(long[] t, double[] v, int n, Scratch s, List<Value> args, FunctionContext ctx, double[] out);
  }

  private static FunctionImpl window(int matrixArg, WindowCore core) {
    return new RangeFunctionImpl() {
      @Override
      public boolean compute(List<Value> args, FunctionContext ctx, double[] out) {
        Matrix m = (Matrix) args.get(matrixArg);
        if (m.isEmpty()) {
          return false;
        }
        Series series = m.get(0);
        Scratch s = SCRATCH.get();
        s.fill(series.metric(), series.floats());
        return core.compute(s, s.from, s.to, args, ctx, out);
      }

      @Override
      public Vector call(List<Value> args, FunctionContext ctx) {
        Vector result = new Vector(1);
        double[] out = new double[2];
        if (compute(args, ctx, out)) {
          Series series = ((Matrix) args.get(matrixArg)).get(0);
          result.add(new Sample(series.metric(), ctx.timestamp(), out[0], null, true));
        }
        return result;
      }
    };
  }

  private static FunctionImpl range(int matrixArg, RangeCore core) {
    return window(matrixArg, (s, from, to, args, ctx, out) -> {
      int n = s.zeroBased();
      return core.compute(s.zt, s.zv, n, s, args, ctx, out);
    });
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
    r.register("irate", window(0, (s, from, to, args, ctx, out) -> {
      if (!RateFunctions.instantValueHasResult(s.t, from, to)) {
        return false;
      }
      out[0] = RateFunctions.instantValue(s.t, s.v, s.st, from, to, true);
      return true;
    }));
    r.register("idelta", window(0, (s, from, to, args, ctx, out) -> {
      if (!RateFunctions.instantValueHasResult(s.t, from, to)) {
        return false;
      }
      out[0] = RateFunctions.instantValue(s.t, s.v, s.st, from, to, false);
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
    return window(0, (s, from, to, args, ctx, out) -> {
      long rangeEnd = ctx.windowEnd();
      long rangeStart = rangeEnd - ctx.rangeMillis();
      double rangeSeconds = ctx.rangeMillis() / 1000.0;
      if (ctx.anchored() || ctx.smoothed()) {
        int n = s.zeroBased();
        if (!RateFunctions.extendedRateHasResult(s.zt, n, rangeStart, rangeEnd, ctx.smoothed())) {
          return false;
        }
        out[0] = RateFunctions.extendedRate(
            s.zt, s.zv, n, rangeStart, rangeEnd, rangeSeconds, ctx.smoothed(), isCounter, isRate);
        return true;
      }
      if (!RateFunctions.extrapolatedRateHasResult(s.t, s.st, from, to, rangeStart, isCounter)) {
        return false;
      }
      if (isCounter && s.overlaps(from, to) > 0) {
        ctx.warn(startTimeOverlap(((Matrix) args.get(0)).get(0).metric()), 0);
      }
      // The prefix count says exactly whether the reset-correction loop would add anything.
      out[0] = RateFunctions.extrapolatedRate(s.t, s.v, s.st, from, to, rangeStart, rangeEnd,
          rangeSeconds, isCounter, isRate, isCounter && s.resets(from, to) > 0);
      return true;
    });
  }

  private static String startTimeOverlap(Labels metric) {
    return "sample has start time that overlaps with previous sample timestamp for metric \""
        + metric.metricName() + "\"";
  }

  private static FunctionImpl counting(boolean resets) {
    return window(0, (s, from, to, args, ctx, out) -> {
      long rangeStart = ctx.windowEnd() - ctx.rangeMillis();
      int first = RateFunctions.firstIndexForCounting(s.t, from, to, rangeStart, ctx.anchored());
      if (first < 0) {
        return false;
      }
      out[0] = resets ? s.resets(first, to) : s.changes(first, to);
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
    // The engine hands start_timestamp each selected sample stamped with its start time.
    r.register("start_timestamp", (args, ctx) -> {
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
        LabelMemo memo = LABEL_MEMO.get().forCall(ctx, replace);
        for (Sample s : in) {
          Labels l = memo.get(s.metric());
          if (l == null) {
            try {
              l = replace.apply(s.metric());
            } catch (IllegalArgumentException e) {
              throw new PromQLException(e.getMessage(), e);
            }
            memo.put(s.metric(), l);
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
