package dev.promkit.promql.engine;

import dev.promkit.promql.parser.AggregateExpr;
import dev.promkit.promql.parser.AtPreprocessor;
import dev.promkit.promql.parser.BinaryExpr;
import dev.promkit.promql.parser.Call;
import dev.promkit.promql.parser.DurationExpr;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.parser.Function;
import dev.promkit.promql.parser.MatrixSelector;
import dev.promkit.promql.parser.NumberLiteral;
import dev.promkit.promql.parser.ParenExpr;
import dev.promkit.promql.parser.StringLiteral;
import dev.promkit.promql.parser.SubqueryExpr;
import dev.promkit.promql.parser.TokenType;
import dev.promkit.promql.parser.UnaryExpr;
import dev.promkit.promql.parser.VectorSelector;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.StringValue;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an expression over the steps {@code start, start+interval, ..., end}, as Prometheus'
 * evaluator: every instant-vector or scalar node yields a {@link Matrix} holding, per output
 * series, one point per step where it has a value. One method per node type.
 */
final class Evaluator {
  /** Message of errors caused by native histogram data. */
  static final String NO_HISTOGRAMS = "native histograms not supported";
  /** Stale marker bits. */
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  final QueryState qs;
  final long start;
  final long end;
  final long interval;

  Evaluator(QueryState qs, long start, long end, long interval) {
    this.qs = qs;
    this.start = start;
    this.end = end;
    this.interval = interval;
  }

  int numSteps() {
    return (int) ((end - start) / interval) + 1;
  }

  /**
   * Initial capacity of a series' output point list: one point per step at most, and at most
   * {@code perPoint} steps per input point (so sparse series in long queries stay small).
   */
  static int capacity(int steps, long inputPoints, long perPoint) {
    long bound = perPoint <= 0 ? steps : inputPoints * perPoint;
    if (bound < 0 || bound > steps) { // overflow or more than one point per step
      return steps;
    }
    return (int) Math.max(bound, 1);
  }

  static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
  }

  /** Evaluates a node: a Matrix for everything but strings. */
  Value eval(Expr e) {
    qs.checkTimeout();
    if (end < start) {
      return new Matrix();
    }
    if (e instanceof ParenExpr) {
      return eval(((ParenExpr) e).expr());
    }
    if (e instanceof NumberLiteral) {
      double v = ((NumberLiteral) e).value();
      return rangeEval((in, ts) -> one(Labels.empty(), ts, v));
    }
    if (e instanceof StringLiteral) {
      return new StringValue(start, ((StringLiteral) e).value());
    }
    if (e instanceof VectorSelector) {
      return evalVectorSelector((VectorSelector) e);
    }
    if (e instanceof MatrixSelector) {
      return evalMatrixSelectorInstant((MatrixSelector) e);
    }
    if (e instanceof SubqueryExpr) {
      return evalSubquery((SubqueryExpr) e).matrix;
    }
    if (e instanceof UnaryExpr) {
      return evalUnary((UnaryExpr) e);
    }
    if (e instanceof BinaryExpr) {
      return new BinaryOps(this).eval((BinaryExpr) e);
    }
    if (e instanceof AggregateExpr) {
      return new Aggregations(this).eval((AggregateExpr) e);
    }
    if (e instanceof Call) {
      return new FunctionCalls(this).eval((Call) e);
    }
    throw new IllegalStateException("unhandled expression of type " + e.getClass().getSimpleName());
  }

  private static Vector one(Labels l, long ts, double v) {
    Vector out = new Vector(1);
    out.add(new Sample(l, ts, v));
    return out;
  }

  Matrix evalMatrix(Expr e) {
    Value v = eval(e);
    if (!(v instanceof Matrix)) {
      throw new IllegalStateException("expected a matrix from " + e + ", got " + v.typeName());
    }
    return (Matrix) v;
  }

  // ---------------------------------------------------------------------------------------------
  // Step-wise evaluation

  /** One step of a node computed from its inputs' vectors at that step. */
  interface StepFn {
    Vector apply(Vector[] in, long ts);
  }

  /** Evaluates the inputs (null entries, e.g. strings, are skipped) and calls fn at every step. */
  Matrix rangeEval(StepFn fn, Expr... inputs) {
    Matrix[] ms = new Matrix[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] != null && inputs[i].type() != dev.promkit.promql.parser.ValueType.STRING) {
        ms[i] = evalMatrix(inputs[i]);
      }
    }
    return rangeEvalMatrices(fn, ms);
  }

  /** As {@link #rangeEval} over already evaluated inputs. */
  Matrix rangeEvalMatrices(StepFn fn, Matrix[] ms) {
    int[][] cursors = new int[ms.length][];
    for (int i = 0; i < ms.length; i++) {
      cursors[i] = ms[i] == null ? null : new int[ms[i].size()];
    }
    Vector[] in = new Vector[ms.length];
    if (start == end) {
      for (int i = 0; i < ms.length; i++) {
        in[i] = ms[i] == null ? null : gather(start, ms[i], cursors[i]);
      }
      Vector out = fn.apply(in, start);
      releaseInputs(ms);
      qs.addSamples(out.size());
      Matrix mat = new Matrix();
      for (Sample s : out) {
        FloatPoints pts = new FloatPoints(1);
        pts.add(start, s.f());
        mat.add(new Series(s.metric(), pts, new ArrayList<>(0), s.dropName()));
      }
      return mat;
    }
    Map<Labels, Series> out = new LinkedHashMap<>();
    // Most step functions hand back their inputs' Labels objects: an identity lookup first skips
    // hashing and comparing label sets for each output point.
    IdentityHashMap<Labels, Series> byIdentity = new IdentityHashMap<>();
    int steps = numSteps();
    int inputSeries = 0;
    for (Matrix m : ms) {
      inputSeries += m == null ? 0 : m.size();
    }
    int step = 0;
    Labels[] posLabels = new Labels[Math.min(inputSeries + 1, 1024)];
    Series[] posSeries = new Series[posLabels.length];
    for (long ts = start; ts <= end; ts += interval, step++) {
      qs.checkTimeout();
      for (int i = 0; i < ms.length; i++) {
        in[i] = ms[i] == null ? null : gather(ts, ms[i], cursors[i]);
      }
      Vector res = fn.apply(in, ts);
      qs.addSamples(res.size());
      if (posLabels.length < res.size()) {
        posLabels = Arrays.copyOf(posLabels, Math.max(res.size(), 2 * posLabels.length));
        posSeries = Arrays.copyOf(posSeries, posLabels.length);
      }
      for (int k = 0, rn = res.size(); k < rn; k++) {
        Sample s = res.get(k);
        // step functions mostly return the same series in the same order at every step: the output
        // series of position k last time is checked by identity before any map
        Series ss = posLabels[k] == s.metric() ? posSeries[k] : byIdentity.get(s.metric());
        if (ss == null) {
          ss = out.get(s.metric());
          if (ss == null) {
            // the first (about as many as the inputs) output series get room for every remaining step;
            // beyond that (e.g. count_values: a series per value) start small to bound memory
            int cap = out.size() <= inputSeries ? steps - step : Math.min(steps - step, 2);
            ss = new Series(s.metric(), new FloatPoints(cap), new ArrayList<>(0), s.dropName());
            out.put(s.metric(), ss);
          }
          if (byIdentity.size() < 4 * inputSeries + 64) { // bounded: fresh Labels at every step are not worth keeping
            byIdentity.put(s.metric(), ss);
          }
        }
        posLabels[k] = s.metric();
        posSeries[k] = ss;
        FloatPoints fp = (FloatPoints) ss.floats();
        int np = fp.size();
        if (np > 0 && fp.t(np - 1) == ts) {
          throw new PromQLException("vector cannot contain metrics with the same labelset");
        }
        fp.add(ts, s.f());
      }
    }
    releaseInputs(ms);
    return new Matrix(out.values());
  }

  /** Inputs of a node are no longer held once its result exists. */
  private void releaseInputs(Matrix[] ms) {
    for (Matrix m : ms) {
      if (m != null) {
        qs.releaseSamples(points(m));
      }
    }
  }

  /** Number of points held by these series. */
  static long points(List<Series> m) {
    long n = 0;
    for (Series s : m) {
      n += s.floats().size();
    }
    return n;
  }

  /** The samples of a matrix at step ts; cursors advance monotonically with ts. */
  static Vector gather(long ts, Matrix m, int[] cur) {
    Vector v = new Vector(m.size());
    for (int j = 0, ms = m.size(); j < ms; j++) {
      Series s = m.get(j);
      List<FPoint> pts = s.floats();
      int c = cur[j];
      int n = pts.size();
      if (pts instanceof FloatPoints) {
        FloatPoints fp = (FloatPoints) pts;
        while (c < n && fp.t(c) < ts) {
          c++;
        }
        cur[j] = c;
        if (c < n && fp.t(c) == ts) {
          v.add(new Sample(s.metric(), ts, fp.f(c), null, s.dropName()));
        }
        continue;
      }
      while (c < n && pts.get(c).t() < ts) {
        c++;
      }
      cur[j] = c;
      if (c < n && pts.get(c).t() == ts) {
        v.add(new Sample(s.metric(), ts, pts.get(c).f(), null, s.dropName()));
      }
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------------
  // Selectors

  /** Raw samples of one series, loaded from storage. */
  static final class RawSeries {
    final Labels labels;
    long[] t = new long[16];
    double[] v = new double[16];
    long[] st; // start timestamps; null while all are unknown (0)
    int n;

    RawSeries(Labels labels) {
      this.labels = labels;
    }

    /** A copy of the buffer's samples, arrays of exactly its size. */
    RawSeries(Labels labels, SampleBuffer buf) {
      this.labels = labels;
      this.n = buf.size();
      this.t = Arrays.copyOf(buf.times(), n);
      this.v = Arrays.copyOf(buf.values(), n);
      this.st = buf.startTimes() == null ? null : Arrays.copyOf(buf.startTimes(), n);
    }

    void add(long ts, double val, long startTs) {
      if (n == t.length) {
        t = Arrays.copyOf(t, n * 2);
        v = Arrays.copyOf(v, n * 2);
        if (st != null) {
          st = Arrays.copyOf(st, n * 2);
        }
      }
      if (startTs != 0 && st == null) {
        st = new long[t.length];
      }
      if (st != null) {
        st[n] = startTs;
      }
      t[n] = ts;
      v[n++] = val;
    }

    /** Index of the last sample with timestamp &lt;= ts, or -1. */
    int lastAtOrBefore(long ts) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (t[mid] <= ts) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo - 1;
    }
  }

  long offsetOf(VectorSelector vs) {
    return durationMillis(vs.offsetExpr(), vs.offsetMs(), true);
  }

  Long atOf(VectorSelector vs) {
    return at(vs.timestampMs(), vs.startOrEnd());
  }

  Long at(Long ts, AtPreprocessor p) {
    if (p == AtPreprocessor.START) {
      return qs.queryStart;
    }
    if (p == AtPreprocessor.END) {
      return qs.queryEnd;
    }
    return ts;
  }

  long durationMillis(DurationExpr expr, long constant, boolean allowNegative) {
    if (expr == null || expr.isConstant()) {
      return constant;
    }
    try {
      return expr.toMillis(qs.queryStep, qs.queryEnd - qs.queryStart, allowNegative);
    } catch (IllegalArgumentException e) {
      throw new PromQLException(e.getMessage(), e);
    }
  }

  long rangeOf(MatrixSelector ms) {
    return durationMillis(ms.rangeExpr(), ms.rangeMs(), false);
  }

  /** Loads the series a selector matches, with samples in [mint, maxt]. */
  List<RawSeries> select(VectorSelector vs, long mint, long maxt, long range, String func) {
    List<RawSeries> out = new ArrayList<>();
    LabelMatcher[] matchers = vs.matchers().toArray(new LabelMatcher[0]);
    try (Querier q = qs.queryable.querier(mint, maxt)) {
      SeriesSet set = q.select(true, new SelectHints(mint, maxt, interval, range, func), matchers);
      SampleBuffer buf = null; // one buffer for all series, sized by the first: series of one selector tend to be alike
      while (set.next()) {
        qs.checkTimeout();
        dev.promkit.tsdb.storage.Series s = set.at();
        if (buf == null) {
          buf = new SampleBuffer(16);
        }
        buf.clear();
        if (!s.readFloats(mint, maxt, buf)) { // the bulk path: no call chain per sample
          if (buf.error() != null) {
            throw new PromQLException("expanding series: " + buf.error().getMessage(), buf.error());
          }
          throw new PromQLException(NO_HISTOGRAMS + " (series " + s.labels() + ")");
        }
        out.add(new RawSeries(s.labels(), buf));
      }
      if (set.err() != null) {
        throw new PromQLException("expanding series: " + set.err().getMessage(), set.err());
      }
      for (String w : set.warnings()) {
        qs.annotations.warn(w, -1, -1);
      }
    }
    return out;
  }

  /**
   * Loads the timestamps and start timestamps of every sample (float or histogram) a selector
   * matches in [mint, maxt], for {@code start_timestamp}; {@code v} holds 0, or NaN for a stale float.
   */
  List<RawSeries> selectStartTimes(VectorSelector vs, long mint, long maxt) {
    List<RawSeries> out = new ArrayList<>();
    LabelMatcher[] matchers = vs.matchers().toArray(new LabelMatcher[0]);
    try (Querier q = qs.queryable.querier(mint, maxt)) {
      SeriesSet set = q.select(true, new SelectHints(mint, maxt, interval, 0, "start_timestamp"), matchers);
      ChunkIterator it = null;
      while (set.next()) {
        qs.checkTimeout();
        dev.promkit.tsdb.storage.Series s = set.at();
        RawSeries rs = new RawSeries(s.labels());
        it = s.iterator(it);
        ValueType vt;
        while ((vt = it.next()) != ValueType.NONE) {
          long ts = it.atT();
          if (ts >= mint && ts <= maxt) {
            // only staleness matters here: a stale float keeps its NaN, anything else reads as 0
            double v = vt == ValueType.FLOAT && isStale(it.atV()) ? it.atV() : 0;
            rs.add(ts, v, it.atST());
          }
        }
        if (it.err() != null) {
          throw new PromQLException("expanding series: " + it.err().getMessage(), it.err());
        }
        out.add(rs);
      }
      if (set.err() != null) {
        throw new PromQLException("expanding series: " + set.err().getMessage(), set.err());
      }
      for (String w : set.warnings()) {
        qs.annotations.warn(w, -1, -1);
      }
    }
    return out;
  }

  private Matrix evalVectorSelector(VectorSelector vs) {
    long off = offsetOf(vs);
    Long at = atOf(vs);
    long lb = qs.opts.lookbackDeltaMillis();
    long refStart = (at != null ? at : start) - off;
    long refEnd = (at != null ? at : end) - off;
    if (vs.smoothed()) {
      return smoothSeries(vs, off, at);
    }
    List<RawSeries> raw = select(vs, refStart - lb + 1, refEnd, 0, null);
    Matrix out = new Matrix();
    int steps = numSteps();
    boolean fixed = at != null;
    long atRef = fixed ? at - off : 0;
    for (RawSeries rs : raw) {
      int cap = capacity(steps, rs.n, lb / interval + 1);
      long[] pt = new long[cap]; // written directly: no bounds or growth check per step
      double[] pv = new double[cap];
      int np = 0;
      long[] rt = rs.t;
      double[] rv = rs.v;
      int rn = rs.n;
      int i = -1; // index of the last sample at or before ref; ref never decreases, so it only advances
      for (long ts = start; ts <= end; ts += interval) {
        long ref = fixed ? atRef : ts - off;
        while (i + 1 < rn && rt[i + 1] <= ref) {
          i++;
        }
        if (i >= 0 && rt[i] > ref - lb && Double.doubleToRawLongBits(rv[i]) != STALE_NAN_BITS) {
          if (np == pt.length) {
            pt = Arrays.copyOf(pt, Math.min(steps, 2 * np));
            pv = Arrays.copyOf(pv, pt.length);
          }
          pt[np] = ts;
          pv[np++] = rv[i];
        }
      }
      if (np > 0) {
        out.add(new Series(rs.labels, FloatPoints.wrap(pt, pv, null, np), new ArrayList<>(0), false));
      }
    }
    qs.addSamples(points(out));
    return out;
  }

  /** The 3.x {@code smoothed} instant selector: the value interpolated at each step. */
  private Matrix smoothSeries(VectorSelector vs, long off, Long at) {
    long lb = qs.opts.lookbackDeltaMillis();
    long refStart = (at != null ? at : start) - off;
    long refEnd = (at != null ? at : end) - off;
    List<RawSeries> raw = select(vs, refStart - lb + 1, refEnd + lb, 0, null);
    Matrix out = new Matrix();
    for (RawSeries rs : raw) {
      List<FPoint> pts = new ArrayList<>();
      for (long ts = start; ts <= end; ts += interval) {
        long ref = (at != null ? at : ts) - off;
        // samples in (ref - lb, ref + lb], stale markers skipped
        int prev = -1;
        int next = -1;
        for (int i = 0; i < rs.n; i++) {
          if (rs.t[i] <= ref - lb || isStale(rs.v[i])) {
            continue;
          }
          if (rs.t[i] > ref + lb) {
            break;
          }
          if (rs.t[i] < ref) {
            prev = i;
          } else if (next < 0) {
            next = i;
          }
        }
        if (next >= 0 && rs.t[next] == ref) {
          pts.add(new FPoint(ts, rs.v[next]));
        } else if (prev >= 0 && next >= 0) {
          double f = rs.v[prev] + (rs.v[next] - rs.v[prev]) * (ref - rs.t[prev]) / (double) (rs.t[next] - rs.t[prev]);
          pts.add(new FPoint(ts, f));
        } else if (prev >= 0) {
          pts.add(new FPoint(ts, rs.v[prev]));
        }
      }
      if (!pts.isEmpty()) {
        out.add(new Series(rs.labels, pts, new ArrayList<>(0), false));
      }
    }
    qs.addSamples(points(out));
    return out;
  }

  /** Points of a raw series without stale markers. */
  private static FloatPoints points(RawSeries rs) {
    int firstStale = 0;
    while (firstStale < rs.n && !isStale(rs.v[firstStale])) {
      firstStale++;
    }
    if (firstStale == rs.n) { // no stale marker (the usual case): the raw arrays become the points
      return FloatPoints.wrap(rs.t, rs.v, rs.st, rs.n);
    }
    FloatPoints pts = new FloatPoints(rs.n);
    for (int i = 0; i < rs.n; i++) {
      if (!isStale(rs.v[i])) {
        if (rs.st == null) {
          pts.add(rs.t[i], rs.v[i]);
        } else {
          pts.add(rs.t[i], rs.v[i], rs.st[i]);
        }
      }
    }
    return pts;
  }

  /** A range-vector selector evaluated at the (single) evaluation time: an instant query's result. */
  private Matrix evalMatrixSelectorInstant(MatrixSelector ms) {
    RangeSource src = rangeSource(ms, null);
    Matrix out = new Matrix();
    long ref = src.windowEnd(start);
    for (Series s : src.series) {
      List<FPoint> w = window(s.floats(), ref - src.range - src.extraBefore, ref + src.extraAfter);
      if (!w.isEmpty()) {
        out.add(new Series(s.metric(), new ArrayList<>(w), new ArrayList<>(0), false));
      }
    }
    if (src.counted) {
      qs.releaseSamples(points(src.series));
    }
    qs.addSamples(points(out));
    return out;
  }

  /** Points with from &lt; t &lt;= to (binary search; points sorted by time). */
  static List<FPoint> window(List<FPoint> pts, long from, long to) {
    int lo = firstAfter(pts, from);
    int hi = firstAfter(pts, to);
    return pts.subList(lo, Math.max(lo, hi));
  }

  static int firstAfter(List<FPoint> pts, long t) {
    int lo = 0;
    int hi = pts.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (FloatPoints.timeAt(pts, mid) <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The series behind a range-vector argument and how to cut the window of each step. */
  final class RangeSource {
    List<Series> series;
    long range;
    long offset;
    Long at;
    boolean anchored;
    boolean smoothed;
    long extraBefore;
    long extraAfter;
    boolean counted; // a subquery's points count as held; a selector's raw samples do not

    long windowEnd(long ts) {
      return (at != null ? at : ts) - offset;
    }
  }

  /** Subquery result with its timing. */
  static final class SubqueryResult {
    Matrix matrix;
    long range;
    long offset;
    Long at;
  }

  RangeSource rangeSource(Expr arg, String func) {
    RangeSource src = new RangeSource();
    while (arg instanceof ParenExpr) {
      arg = ((ParenExpr) arg).expr();
    }
    if (arg instanceof MatrixSelector) {
      MatrixSelector ms = (MatrixSelector) arg;
      VectorSelector vs = ms.vectorSelector();
      src.range = rangeOf(ms);
      src.offset = offsetOf(vs);
      src.at = atOf(vs);
      src.anchored = vs.anchored();
      src.smoothed = vs.smoothed();
      long lb = qs.opts.lookbackDeltaMillis();
      if (src.anchored || src.smoothed) {
        src.extraBefore = lb;
      }
      if (src.smoothed) {
        src.extraAfter = lb;
      }
      long refStart = src.windowEnd(start);
      long refEnd = src.windowEnd(end);
      List<RawSeries> raw = select(vs, refStart - src.range - src.extraBefore + 1, refEnd + src.extraAfter,
          src.range, func);
      src.series = new ArrayList<>(raw.size());
      for (RawSeries rs : raw) {
        src.series.add(new Series(rs.labels, points(rs), new ArrayList<>(0), false));
      }
      return src;
    }
    if (arg instanceof SubqueryExpr) {
      SubqueryResult r = evalSubquery((SubqueryExpr) arg);
      src.series = r.matrix;
      src.counted = true;
      src.range = r.range;
      src.offset = r.offset;
      src.at = r.at;
      return src;
    }
    throw new IllegalStateException("not a range vector: " + arg);
  }

  SubqueryResult evalSubquery(SubqueryExpr sq) {
    SubqueryResult r = new SubqueryResult();
    r.range = durationMillis(sq.rangeExpr(), sq.rangeMs(), false);
    r.offset = durationMillis(sq.offsetExpr(), sq.offsetMs(), true);
    r.at = at(sq.timestampMs(), sq.startOrEnd());
    long step = durationMillis(sq.stepExpr(), sq.stepMs(), false);
    if (step <= 0) {
      step = qs.opts.noStepSubqueryIntervalMillis();
    }
    long evStart = r.at != null ? r.at : start;
    long evEnd = r.at != null ? r.at : end;
    long newEnd = evEnd - r.offset;
    long base = evStart - r.offset - r.range;
    // Go's integer division truncates; the first step is the first multiple of step after base.
    long newStart = step * (base / step);
    if (newStart <= base) {
      newStart += step;
    }
    Evaluator child = new Evaluator(qs, newStart, newEnd, step);
    r.matrix = child.evalMatrix(sq.expr());
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // Unary

  private Matrix evalUnary(UnaryExpr u) {
    Matrix m = evalMatrix(u.expr());
    if (u.op() == TokenType.SUB) {
      for (Series s : m) {
        s.setDropName(true);
        List<FPoint> pts = s.floats();
        if (pts instanceof FloatPoints) {
          FloatPoints fp = (FloatPoints) pts;
          for (int i = 0, n = fp.size(); i < n; i++) {
            fp.setF(i, -fp.f(i));
          }
          continue;
        }
        for (int i = 0; i < pts.size(); i++) {
          pts.set(i, new FPoint(pts.get(i).t(), -pts.get(i).f()));
        }
      }
    }
    return m;
  }

  static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr) {
      e = ((ParenExpr) e).expr();
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // Result clean-up (delayed name removal)

  /** Removes names marked for removal, then merges series that became equal (error on overlap). */
  static Matrix cleanup(Matrix mat) {
    for (Series s : mat) {
      if (s.dropName()) {
        s.setMetric(dropMetricName(s.metric()));
        s.setDropName(false);
      }
    }
    if (mat.size() <= 1) {
      return mat;
    }
    Map<Labels, Series> merged = new LinkedHashMap<>();
    boolean dup = false;
    for (Series s : mat) {
      Series prev = merged.get(s.metric());
      if (prev == null) {
        merged.put(s.metric(), s);
        continue;
      }
      dup = true;
      List<FPoint> all = new ArrayList<>(prev.floats());
      all.addAll(s.floats());
      all.sort((a, b) -> Long.compare(a.t(), b.t()));
      for (int i = 1; i < all.size(); i++) {
        if (all.get(i).t() == all.get(i - 1).t()) {
          throw new PromQLException("vector cannot contain metrics with the same labelset");
        }
      }
      merged.put(s.metric(), new Series(s.metric(), all, new ArrayList<>(0), false));
    }
    return dup ? new Matrix(merged.values()) : mat;
  }

  /** Drops {@code __name__}, {@code __type__} and {@code __unit__}. */
  static Labels dropMetricName(Labels l) {
    if (!l.has(Labels.METRIC_NAME) && !l.has("__type__") && !l.has("__unit__")) {
      return l;
    }
    return l.without(Labels.METRIC_NAME, "__type__", "__unit__");
  }
}
