package dev.promkit.promql.engine;

import dev.promkit.promql.parser.Call;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.parser.Function;
import dev.promkit.promql.parser.MatrixSelector;
import dev.promkit.promql.parser.StringLiteral;
import dev.promkit.promql.parser.VectorSelector;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.StringValue;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Function calls: looks up the {@link FunctionImpl}, feeds it argument values step by step (and,
 * for a range-vector argument, series by series), and handles the functions that need the
 * evaluator itself: {@code absent}, {@code absent_over_time}, {@code timestamp} over a selector and
 * {@code info}.
 */
final class FunctionCalls {
  private static final Set<String> ANCHORED_SAFE = Set.of("changes", "delta", "increase", "rate", "resets");
  private static final Set<String> SMOOTHED_SAFE = Set.of("delta", "increase", "rate");

  private final Evaluator ev;

  FunctionCalls(Evaluator ev) {
    this.ev = ev;
  }


  /** The evaluator's view handed to function implementations; reset before every call. */
  final class Ctx implements FunctionContext {
    final Call call;
    long ts;
    long range;
    long offset;
    long windowEnd;
    boolean anchored;
    boolean smoothed;

    Ctx(Call call) {
      this.call = call;
    }

    @Override
    public String name() {
      return call.function().functionName();
    }

    @Override
    public long timestamp() {
      return ts;
    }

    @Override
    public long rangeMillis() {
      return range;
    }

    @Override
    public long offsetMillis() {
      return offset;
    }

    @Override
    public long windowEnd() {
      return windowEnd;
    }

    @Override
    public boolean anchored() {
      return anchored;
    }

    @Override
    public boolean smoothed() {
      return smoothed;
    }

    @Override
    public long lookbackDeltaMillis() {
      return ev.qs.opts.lookbackDeltaMillis();
    }

    @Override
    public long queryStart() {
      return ev.qs.queryStart;
    }

    @Override
    public long queryEnd() {
      return ev.qs.queryEnd;
    }

    @Override
    public long queryStep() {
      return ev.qs.queryStep;
    }

    @Override
    public void warn(String message, int arg) {
      Expr e = arg < 0 || arg >= call.args().size() ? call : call.args().get(arg);
      ev.qs.annotations.warn(message, e.positionRange().start(), e.positionRange().end());
    }

    @Override
    public void info(String message, int arg) {
      Expr e = arg < 0 || arg >= call.args().size() ? call : call.args().get(arg);
      ev.qs.annotations.info(message, e.positionRange().start(), e.positionRange().end());
    }
  }

  private FunctionImpl impl(Call c) {
    String name = c.function().functionName();
    FunctionImpl impl = ev.qs.opts.functions().lookup(name);
    if (impl == null) {
      throw new PromQLException("function \"" + name + "\" is not implemented in promkit yet");
    }
    return impl;
  }

  Matrix eval(Call c) {
    Function f = c.function();
    String name = f.functionName();
    List<Expr> args = c.args();
    int matrixArg = -1;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).type() == dev.promkit.promql.parser.ValueType.MATRIX) {
        matrixArg = i;
        break;
      }
    }
    if (name.equals("absent")) {
      return evalAbsent(c);
    }
    if (name.equals("info")) {
      return new InfoFunction(ev).eval(c);
    }
    if (matrixArg >= 0) {
      return evalRangeCall(c, matrixArg);
    }
    FunctionImpl impl = impl(c);
    if (name.equals("start_timestamp")) {
      Expr arg = Evaluator.unwrap(args.get(0));
      // only a selector's samples carry a start timestamp; any other expression yields nothing
      return arg instanceof VectorSelector ? evalStartTimestamp(c, (VectorSelector) arg, impl) : new Matrix();
    }
    if (name.equals("timestamp") && Evaluator.unwrap(args.get(0)) instanceof VectorSelector) {
      return evalTimestamp(c, (VectorSelector) Evaluator.unwrap(args.get(0)), impl);
    }
    Expr[] inputs = args.toArray(new Expr[0]);
    Ctx ctx = new Ctx(c);
    boolean scalarResult = f.returnType() == dev.promkit.promql.parser.ValueType.SCALAR;
    return ev.rangeEval((in, ts) -> {
      List<Value> vals = new ArrayList<>(in.length);
      for (int i = 0; i < in.length; i++) {
        vals.add(argValue(args.get(i), in[i], ts));
      }
      ctx.ts = ts;
      ctx.windowEnd = ts;
      Vector out = impl.call(vals, ctx);
      if (scalarResult && !out.isEmpty()) {
        Vector v = new Vector(1);
        v.add(new Sample(Labels.empty(), ts, out.get(0).f()));
        return v;
      }
      return out;
    }, inputs);
  }

  private static Value argValue(Expr arg, Vector v, long ts) {
    dev.promkit.promql.parser.ValueType t = arg.type();
    if (t == dev.promkit.promql.parser.ValueType.STRING) {
      Expr u = Evaluator.unwrap(arg);
      return new StringValue(ts, ((StringLiteral) u).value());
    }
    if (t == dev.promkit.promql.parser.ValueType.SCALAR) {
      return new Scalar(ts, v.isEmpty() ? Double.NaN : v.get(0).f());
    }
    return v;
  }

  /** {@code timestamp(selector)}: the samples' own timestamps, not the step's. */
  private Matrix evalTimestamp(Call c, VectorSelector vs, FunctionImpl impl) {
    long off = ev.offsetOf(vs);
    Long at = ev.atOf(vs);
    long lb = ev.qs.opts.lookbackDeltaMillis();
    long refStart = (at != null ? at : ev.start) - off;
    long refEnd = (at != null ? at : ev.end) - off;
    List<Evaluator.RawSeries> raw = ev.select(vs, refStart - lb + 1, refEnd, 0, "timestamp");
    Ctx ctx = new Ctx(c);
    Matrix result = ev.rangeEvalMatrices((in, ts) -> {
      Vector v = new Vector(raw.size());
      long ref = (at != null ? at : ts) - off;
      for (Evaluator.RawSeries rs : raw) {
        int i = rs.lastAtOrBefore(ref);
        if (i >= 0 && rs.t[i] > ref - lb && !Evaluator.isStale(rs.v[i])) {
          v.add(new Sample(rs.labels, rs.t[i], rs.v[i]));
        }
      }
      ctx.ts = ts;
      ctx.windowEnd = ts;
      List<Value> vals = new ArrayList<>(1);
      vals.add(v);
      return impl.call(vals, ctx);
    }, new Matrix[0]);
    return result;
  }

  /**
   * {@code start_timestamp(selector)}: the function sees each selected sample stamped with its
   * start timestamp ({@link Sample#t()}); an unknown start time reads as 0.
   */
  private Matrix evalStartTimestamp(Call c, VectorSelector vs, FunctionImpl impl) {
    long off = ev.offsetOf(vs);
    Long at = ev.atOf(vs);
    long lb = ev.qs.opts.lookbackDeltaMillis();
    long refStart = (at != null ? at : ev.start) - off;
    long refEnd = (at != null ? at : ev.end) - off;
    List<Evaluator.RawSeries> raw = ev.selectStartTimes(vs, refStart - lb + 1, refEnd);
    Ctx ctx = new Ctx(c);
    return ev.rangeEvalMatrices((in, ts) -> {
      Vector v = new Vector(raw.size());
      long ref = (at != null ? at : ts) - off;
      for (Evaluator.RawSeries rs : raw) {
        int i = rs.lastAtOrBefore(ref);
        if (i >= 0 && rs.t[i] > ref - lb && !Evaluator.isStale(rs.v[i])) {
          // an unknown start time is 0, which start_timestamp reports as such
          v.add(new Sample(rs.labels, rs.st == null ? 0 : rs.st[i], rs.v[i]));
        }
      }
      ctx.ts = ts;
      ctx.windowEnd = ts;
      List<Value> vals = new ArrayList<>(1);
      vals.add(v);
      return impl.call(vals, ctx);
    }, new Matrix[0]);
  }

  /** Functions over a range vector: once per input series and step. */
  private Matrix evalRangeCall(Call c, int matrixArg) {
    String name = c.function().functionName();
    List<Expr> args = c.args();
    Expr marg = Evaluator.unwrap(args.get(matrixArg));
    if (marg instanceof MatrixSelector) {
      VectorSelector vs = ((MatrixSelector) marg).vectorSelector();
      if (vs.anchored() && !ANCHORED_SAFE.contains(name)) {
        throw new PromQLException("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with " + name);
      }
      if (vs.smoothed() && !SMOOTHED_SAFE.contains(name)) {
        throw new PromQLException("smoothed modifier can only be used with: delta, increase, rate - not with " + name);
      }
    }
    boolean absentOverTime = name.equals("absent_over_time");
    FunctionImpl impl = absentOverTime ? null : impl(c);
    // Non-matrix arguments (scalars, strings) evaluated over all steps first.
    Matrix[] others = new Matrix[args.size()];
    for (int i = 0; i < args.size(); i++) {
      if (i != matrixArg && args.get(i).type() != dev.promkit.promql.parser.ValueType.STRING) {
        others[i] = ev.evalMatrix(args.get(i));
      }
    }
    Evaluator.RangeSource src = ev.rangeSource(args.get(matrixArg), name);
    boolean dropName = !(name.equals("last_over_time") || name.equals("first_over_time"));
    Ctx ctx = new Ctx(c);
    ctx.range = src.range;
    ctx.offset = src.offset;
    ctx.anchored = src.anchored;
    ctx.smoothed = src.smoothed;
    Matrix out = new Matrix();
    int steps = ev.numSteps();
    boolean counterCheck = name.equals("rate") || name.equals("increase");
    List<Value> vals = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      vals.add(null);
    }
    RangeFunctionImpl rangeImpl = impl instanceof RangeFunctionImpl ? (RangeFunctionImpl) impl : null;
    double[] value = new double[2];
    Matrix windowArg = new Matrix(); // one window view per series, moved along it step by step
    windowArg.add(null);
    for (Series s : src.series) {
      ev.qs.checkTimeout();
      FloatPoints all = FloatPoints.of(s.floats());
      int n = all.size();
      // a point lies in at most span/interval + 1 windows: bounds the list for sparse series
      long span = src.range + src.extraBefore + src.extraAfter;
      FloatPoints pts = new FloatPoints(Evaluator.capacity(steps, n, span / ev.interval + 1));
      FloatPoints.Window w = all.window(0, 0);
      windowArg.set(0, new Series(s.metric(), w, new ArrayList<>(0), s.dropName()));
      int lo = 0; // windows only move forward with ts: two monotonic cursors, no binary search
      int hi = 0;
      for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
        long ref = src.windowEnd(ts);
        long from = ref - src.range - src.extraBefore;
        long to = ref + src.extraAfter;
        while (lo < n && all.t(lo) <= from) {
          lo++;
        }
        if (hi < lo) {
          hi = lo;
        }
        while (hi < n && all.t(hi) <= to) {
          hi++;
        }
        if (hi <= lo) {
          continue;
        }
        w.set(lo, hi);
        // The window is held while the function runs, as in Prometheus' accounting.
        ev.qs.addSamples(hi - lo);
        ev.qs.releaseSamples(hi - lo);
        if (absentOverTime) {
          pts.add(ts, 1);
          continue;
        }
        for (int i = 0; i < args.size(); i++) {
          if (i == matrixArg) {
            vals.set(i, windowArg);
          } else if (others[i] != null) {
            vals.set(i, new Scalar(ts, valueAt(others[i], ts)));
          } else {
            vals.set(i, new StringValue(ts, ((StringLiteral) Evaluator.unwrap(args.get(i))).value()));
          }
        }
        ctx.ts = ts;
        ctx.windowEnd = ref;
        if (rangeImpl != null) {
          if (rangeImpl.compute(vals, ctx, value)) {
            pts.add(ts, value[0]);
          }
          continue;
        }
        Vector r = impl.call(vals, ctx);
        if (!r.isEmpty()) {
          pts.add(ts, r.get(0).f());
        }
      }
      if (!pts.isEmpty()) {
        ev.qs.addSamples(pts.size());
        out.add(new Series(s.metric(), pts, new ArrayList<>(0), dropName || s.dropName()));
        if (counterCheck) {
          String metricName = s.metric().metricName();
          if (!metricName.isEmpty() && !metricName.endsWith("_total") && !metricName.endsWith("_sum")
              && !metricName.endsWith("_count") && !metricName.endsWith("_bucket")) {
            Expr a0 = args.get(0);
            ev.qs.annotations.info("metric might not be a counter, name does not ev.end in _total/_sum/_count/_bucket: \""
                + metricName + "\"", a0.positionRange().start(), a0.positionRange().end());
          }
        }
      }
    }
    if (src.counted) {
      ev.qs.releaseSamples(Evaluator.points(src.series));
    }
    for (Matrix m : others) {
      if (m != null) {
        ev.qs.releaseSamples(Evaluator.points(m));
      }
    }
    if (absentOverTime) {
      return absentOverTime(c, out);
    }
    return out;
  }

  private static double valueAt(Matrix scalar, long ts) {
    if (scalar.isEmpty()) {
      return Double.NaN;
    }
    List<FPoint> pts = scalar.get(0).floats();
    int i = Evaluator.firstAfter(pts, ts) - 1;
    return i >= 0 && FloatPoints.timeAt(pts, i) == ts ? FloatPoints.valueAt(pts, i) : Double.NaN;
  }

  private Matrix absentOverTime(Call c, Matrix present) {
    Set<Long> found = new java.util.HashSet<>();
    for (Series s : present) {
      for (FPoint p : s.floats()) {
        found.add(p.t());
      }
    }
    FloatPoints pts = new FloatPoints(16);
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
      if (!found.contains(ts)) {
        pts.add(ts, 1);
      }
    }
    Matrix out = new Matrix();
    if (!pts.isEmpty()) {
      out.add(new Series(absentLabels(c.args().get(0)), pts, new ArrayList<>(0), true));
    }
    return out;
  }

  private Matrix evalAbsent(Call c) {
    Labels l = absentLabels(c.args().get(0));
    return ev.rangeEval((in, ts) -> {
      Vector v = new Vector(1);
      if (in[0].isEmpty()) {
        v.add(new Sample(l, ts, 1, null, true));
      }
      return v;
    }, c.args().get(0));
  }

  /** Labels of absent()'s output: the equality matchers of a selector argument, except the name. */
  static Labels absentLabels(Expr arg) {
    Expr e = Evaluator.unwrap(arg);
    List<LabelMatcher> ms;
    if (e instanceof MatrixSelector) {
      ms = ((MatrixSelector) e).vectorSelector().matchers();
    } else if (e instanceof VectorSelector) {
      ms = ((VectorSelector) e).matchers();
    } else {
      return Labels.empty();
    }
    // As Prometheus: the first equality matcher of a name sets its label; any other matcher on
    // that name (a second equality included) removes it for good.
    Labels.Builder b = new Labels.Builder();
    Set<String> seen = new java.util.HashSet<>();
    for (LabelMatcher m : ms) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == LabelMatcher.Type.EQ && seen.add(m.name())) {
        b.set(m.name(), m.value());
      } else {
        b.remove(m.name());
      }
    }
    return b.build();
  }
}
