package dev.promkit.promql.engine;

import dev.promkit.promql.format.GoFloat;
import dev.promkit.promql.parser.AggregateExpr;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.parser.StringLiteral;
import dev.promkit.promql.parser.TokenType;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Aggregation operators, with Prometheus' numerics (Kahan sums, incremental mean on overflow, Welford variance). */
final class Aggregations {
  private final Evaluator ev;

  Aggregations(Evaluator ev) {
    this.ev = ev;
  }

  Matrix eval(AggregateExpr e) {
    TokenType op = e.op();
    List<String> grouping = new ArrayList<>(new TreeSet<>(e.grouping()));
    if (op == TokenType.COUNT_VALUES) {
      return countValues(e, grouping);
    }
    double[] params = null;
    if (e.param() != null && op != TokenType.COUNT_VALUES) {
      params = paramValues(e.param());
    }
    Matrix input = ev.evalMatrix(e.expr());
    // Map each input series to its group.
    Map<Labels, Integer> groupIndex = new LinkedHashMap<>();
    List<Labels> groupLabels = new ArrayList<>();
    int[] seriesGroup = new int[input.size()];
    for (int i = 0; i < input.size(); i++) {
      Labels gl = groupingLabels(input.get(i).metric(), grouping, e.without());
      Integer gi = groupIndex.get(gl);
      if (gi == null) {
        gi = groupLabels.size();
        groupIndex.put(gl, gi);
        groupLabels.add(gl);
      }
      seriesGroup[i] = gi;
    }
    switch (op) {
      case TOPK:
      case BOTTOMK:
      case LIMITK:
      case LIMIT_RATIO:
        return aggregateK(e, params, input, seriesGroup, groupLabels.size());
      default:
        break;
    }
    if (op == TokenType.QUANTILE) {
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      boolean nan = false;
      for (double p : params) {
        nan |= Double.isNaN(p);
        max = Math.max(max, p);
        min = Math.min(min, p);
      }
      Expr pe = e.param();
      if (nan) {
        ev.qs.annotations.warn("quantile value should be between 0 and 1, got NaN", pe.positionRange().start(),
            pe.positionRange().end());
      }
      if (max > 1) {
        ev.qs.annotations.warn("quantile value should be between 0 and 1, got " + GoFormat.g(max),
            pe.positionRange().start(), pe.positionRange().end());
      }
      if (min < 0) {
        ev.qs.annotations.warn("quantile value should be between 0 and 1, got " + GoFormat.g(min),
            pe.positionRange().start(), pe.positionRange().end());
      }
    }
    int ng = groupLabels.size();
    List<Series> result = new ArrayList<>(ng);
    int steps = ev.numSteps();
    for (Labels gl : groupLabels) {
      result.add(new Series(gl, new FloatPoints(steps), new ArrayList<>(0), false));
    }
    // Steps go in blocks: each series' points of a block are read in one pass (sequential memory)
    // into a running group per (group, step of the block). Per cell the series still arrive in input
    // order, so every sum sees its terms in the order Prometheus adds them.
    int block = Math.max(1, Math.min(64, 4096 / Math.max(1, ng)));
    Group[][] cells = new Group[ng][block];
    for (Group[] row : cells) {
      for (int j = 0; j < block; j++) {
        row[j] = new Group();
      }
    }
    int[] cursors = new int[input.size()];
    FloatPoints[] inPts = pointsOf(input);
    boolean[] drops = new boolean[inPts.length];
    for (int si = 0; si < drops.length; si++) {
      drops[si] = input.get(si).dropName();
    }
    long interval = ev.interval;
    for (int s0 = 0; s0 < steps; s0 += block) {
      ev.qs.checkTimeout();
      int nb = Math.min(block, steps - s0);
      long blockStart = ev.start + s0 * interval;
      for (Group[] row : cells) {
        for (int j = 0; j < nb; j++) {
          row[j].seen = false;
        }
      }
      for (int si = 0; si < inPts.length; si++) {
        FloatPoints pts = inPts[si];
        int n = pts.size();
        int c = cursors[si];
        Group[] row = cells[seriesGroup[si]];
        boolean drop = drops[si];
        for (int j = 0; j < nb && c < n; j++) {
          long ts = blockStart + j * interval;
          while (c < n && pts.t(c) < ts) {
            c++;
          }
          if (c >= n || pts.t(c) != ts) {
            continue;
          }
          double f = pts.f(c);
          Group g = row[j];
          if (!g.seen) {
            g.init(op, f, drop);
            continue;
          }
          if (drop) {
            g.dropName = true;
          }
          g.add(op, f);
        }
        cursors[si] = c;
      }
      for (int j = 0; j < nb; j++) {
        long ts = blockStart + j * interval;
        for (int gi = 0; gi < ng; gi++) {
          Group g = cells[gi][j];
          if (!g.seen) {
            continue;
          }
          double v = g.result(op, params == null ? 0 : params[s0 + j]);
          Series out = result.get(gi);
          ((FloatPoints) out.floats()).add(ts, v);
          out.setDropName(g.dropName);
        }
      }
    }
    ev.qs.releaseSamples(Evaluator.points(input));
    Matrix out = new Matrix();
    for (Series s : result) {
      if (!s.floats().isEmpty()) {
        ev.qs.addSamples(s.floats().size());
        out.add(s);
      }
    }
    return out;
  }

  /** The point lists of a matrix's series as FloatPoints (converted when another list). */
  static FloatPoints[] pointsOf(List<Series> m) {
    FloatPoints[] out = new FloatPoints[m.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = FloatPoints.of(m.get(i).floats());
    }
    return out;
  }

  /** The parameter's value at every step. */
  private double[] paramValues(Expr param) {
    Matrix m = ev.evalMatrix(param);
    double[] out = new double[ev.numSteps()];
    Arrays.fill(out, Double.NaN);
    if (!m.isEmpty()) {
      for (FPoint p : m.get(0).floats()) {
        int i = (int) ((p.t() - ev.start) / ev.interval);
        if (i >= 0 && i < out.length) {
          out[i] = p.f();
        }
      }
    }
    return out;
  }

  static Labels groupingLabels(Labels metric, List<String> grouping, boolean without) {
    if (without) {
      Set<String> drop = new HashSet<>(grouping);
      drop.add(Labels.METRIC_NAME);
      Labels.Builder b = new Labels.Builder();
      for (int i = 0; i < metric.size(); i++) {
        if (!drop.contains(metric.name(i))) {
          b.set(metric.name(i), metric.value(i));
        }
      }
      return b.build();
    }
    if (grouping.isEmpty()) {
      return Labels.empty();
    }
    Labels.Builder b = new Labels.Builder();
    for (String n : grouping) {
      String v = metric.get(n);
      if (!v.isEmpty()) {
        b.set(n, v);
      }
    }
    return b.build();
  }

  /** Kahan-Babuska summation step: returns the new sum; c[0] holds the compensation. */
  static double kahanSumInc(double inc, double sum, double[] c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c[0] = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c[0] += (sum - t) + inc;
    } else {
      c[0] += (inc - t) + sum;
    }
    return t;
  }

  /** Running state of one group at one step. */
  private static final class Group {
    boolean seen;
    boolean dropName;
    double value;
    double mean;
    final double[] kahan = new double[1];
    double count;
    boolean incrementalMean;
    double[] heap = new double[8];
    int heapN;

    void init(TokenType op, double f, boolean drop) {
      seen = true;
      dropName = drop;
      value = f;
      mean = f;
      kahan[0] = 0;
      count = 1;
      incrementalMean = false;
      heapN = 0;
      switch (op) {
        case STDVAR:
        case STDDEV:
          value = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
          break;
        case QUANTILE:
          push(f);
          break;
        case GROUP:
          value = 1;
          break;
        default:
          break;
      }
    }

    void push(double f) {
      if (heapN == heap.length) {
        heap = Arrays.copyOf(heap, heapN * 2);
      }
      heap[heapN++] = f;
    }

    void add(TokenType op, double f) {
      switch (op) {
        case SUM:
          value = kahanSumInc(f, value, kahan);
          break;
        case AVG:
          count++;
          if (!incrementalMean) {
            double[] c = {kahan[0]};
            double nv = kahanSumInc(f, value, c);
            if (!Double.isInfinite(nv)) {
              value = nv;
              kahan[0] = c[0];
              break;
            }
            incrementalMean = true;
            mean = value / (count - 1);
            kahan[0] /= count - 1;
          }
          double q = (count - 1) / count;
          double[] c2 = {q * kahan[0]};
          mean = kahanSumInc(f / count, q * mean, c2);
          kahan[0] = c2[0];
          break;
        case GROUP:
          break;
        case MAX:
          if (value < f || Double.isNaN(value)) {
            value = f;
          }
          break;
        case MIN:
          if (value > f || Double.isNaN(value)) {
            value = f;
          }
          break;
        case COUNT:
          count++;
          break;
        case STDVAR:
        case STDDEV: {
          count++;
          double delta = f - mean;
          mean += delta / count;
          value += delta * (f - mean);
          break;
        }
        case QUANTILE:
          push(f);
          break;
        default:
          throw new IllegalStateException("expected aggregation operator but got " + op);
      }
    }

    double result(TokenType op, double param) {
      switch (op) {
        case AVG:
          if (incrementalMean) {
            return mean + kahan[0];
          }
          return value / count + kahan[0] / count;
        case COUNT:
          return count;
        case STDVAR:
          return value / count;
        case STDDEV:
          return Math.sqrt(value / count);
        case QUANTILE:
          return quantile(param, Arrays.copyOf(heap, heapN));
        case SUM:
          return value + kahan[0];
        default:
          return value;
      }
    }
  }

  /** Prometheus' quantile over values (sorted here), with linear interpolation. */
  static double quantile(double q, double[] values) {
    int n = values.length;
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    // Java sorts NaN last; Prometheus' heap order puts NaN first, so rotate the NaNs to the front.
    Arrays.sort(values);
    int nans = 0;
    while (nans < n && Double.isNaN(values[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0) {
      double[] v = new double[n];
      Arrays.fill(v, 0, nans, Double.NaN);
      System.arraycopy(values, 0, v, nans, n - nans);
      values = v;
    }
    double rank = q * (n - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[lower] * (1 - weight) + values[upper] * weight;
  }

  // ---------------------------------------------------------------------------------------------
  // topk, bottomk, limitk, limit_ratio

  private Matrix aggregateK(AggregateExpr e, double[] params, Matrix input, int[] seriesGroup, int ng) {
    TokenType op = e.op();
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    boolean nan = false;
    for (double p : params) {
      nan |= Double.isNaN(p);
      if (!Double.isNaN(p)) {
        max = Math.max(max, p);
        min = Math.min(min, p);
      }
    }
    Matrix empty = new Matrix();
    if (op == TokenType.LIMIT_RATIO) {
      if (max == 0 && min == 0 && !nan) {
        return empty;
      }
      if (nan) {
        throw new PromQLException("Ratio value is NaN");
      }
      Expr pe = e.param();
      if (max > 1) {
        ev.qs.annotations.warn("ratio value should be between -1 and 1, got " + GoFormat.g(max) + ", capping to 1",
            pe.positionRange().start(), pe.positionRange().end());
      }
      if (min < -1) {
        ev.qs.annotations.warn("ratio value should be between -1 and 1, got " + GoFormat.g(min) + ", capping to -1",
            pe.positionRange().start(), pe.positionRange().end());
      }
    } else {
      if (!nan && max < 1) {
        return empty;
      }
      if (nan) {
        // Prometheus: a NaN parameter is only an error when some k is >= 1 ... it checks Max() first.
        if (max < 1 && max != Double.NEGATIVE_INFINITY) {
          return empty;
        }
        throw new PromQLException("Parameter value is NaN");
      }
      if (min <= -0x1p63) {
        throw new PromQLException("Scalar value " + GoFormat.g(min) + " underflows int64");
      }
      if (max >= 0x1p63) {
        throw new PromQLException("Scalar value " + GoFormat.g(max) + " overflows int64");
      }
    }
    int ns = input.size();
    // Each group keeps at most min(largest k, its series count) samples a step, in its own slice
    // [offset[g], offset[g] + that) of a step's row of flat arrays: a row fits in ns entries.
    long kMax = op == TokenType.LIMIT_RATIO ? ns : Math.min((long) max, ns);
    KSelect sel = new KSelect(op, input, seriesGroup, ng, kMax, ev.numSteps(), ev.start == ev.end);
    long interval = ev.interval;
    for (int s0 = 0; s0 < sel.steps; s0 += sel.block) {
      ev.qs.checkTimeout();
      int nb = Math.min(sel.block, sel.steps - s0);
      long blockStart = ev.start + s0 * interval;
      sel.setParams(params, s0, nb);
      // one small method per operator: each keeps its own JIT profile (a bottomk after a topk does not
      // deoptimize the topk loop) and compiles quickly
      switch (op) {
        case TOPK:
        case BOTTOMK:
          sel.gatherHeap(nb, blockStart, interval);
          break;
        case LIMITK:
          sel.gatherLimit(nb, blockStart, interval);
          break;
        default:
          sel.gatherRatio(nb, blockStart, interval);
          break;
      }
      sel.emit(nb, blockStart, interval);
    }
    ev.qs.releaseSamples(Evaluator.points(input));
    ev.qs.addSamples(Evaluator.points(sel.result));
    return sel.result;
  }

  /** State of topk, bottomk, limitk and limit_ratio over a block of steps: flat arrays reused across blocks. */
  private static final class KSelect {
    final Matrix input;
    final FloatPoints[] inPts;
    final int[] cursors;
    final int[] seriesGroup;
    final int[] groupSize;
    final int ng;
    final int ns;
    final long kMax;
    final int[] offset;
    final int row;
    final int steps;
    final int block;
    final boolean heap;
    /** -1 for bottomk, which is topk of the negated values: the same heap order, NaN rule and replace rule. */
    final double sign;
    final boolean instant;
    final int[] kept;
    final int[] keptSeries;
    final double[] keptValue;
    final long[] sortKey;
    final int[] order;
    final int[] sortTmp;
    final int[] ks;
    final double[] ratios;
    final boolean[] skips;
    final double[] ratioOffset;
    final int[] outSlot;
    final FloatPoints[] outPts;
    final Matrix result = new Matrix();

    KSelect(TokenType op, Matrix input, int[] seriesGroup, int ng, long kMax, int steps, boolean instant) {
      this.input = input;
      this.inPts = pointsOf(input);
      this.ns = input.size();
      this.cursors = new int[ns];
      this.seriesGroup = seriesGroup;
      this.ng = ng;
      this.kMax = kMax;
      this.steps = steps;
      this.instant = instant;
      groupSize = new int[ng];
      for (int g : seriesGroup) {
        groupSize[g]++;
      }
      offset = new int[ng];
      int r = 0;
      for (int g = 0; g < ng; g++) {
        offset[g] = r;
        r += (int) Math.min(kMax, groupSize[g]);
      }
      row = r;
      // Steps go in blocks with a row per step, so that each series' points of a block are read in one
      // sequential pass; per (group, step) the series still arrive in input order, as Prometheus adds them.
      block = Math.max(1, Math.min(64, Math.min(steps, 32768 / Math.max(1, row))));
      heap = op == TokenType.TOPK || op == TokenType.BOTTOMK;
      sign = op == TokenType.BOTTOMK ? -1 : 1;
      kept = new int[block * ng];
      keptSeries = new int[block * row];
      keptValue = new double[block * row];
      sortKey = new long[row];
      order = new int[row];
      sortTmp = new int[row];
      ks = new int[block];
      ratios = new double[block];
      skips = new boolean[block];
      if (op == TokenType.LIMIT_RATIO) {
        ratioOffset = new double[ns]; // the label hash is the same at every step: one per series, not per sample
        for (int si = 0; si < ns; si++) {
          ratioOffset[si] = ratioOffset(input.get(si).metric());
        }
      } else {
        ratioOffset = null;
      }
      // Range: the output points per input series (the first one with its labels, as a map by labels
      // would merge them), the output series in the order of their first point.
      outSlot = instant ? null : outputSlots(input);
      outPts = instant ? null : new FloatPoints[ns];
    }

    /** k (or the ratio) of the block's steps, and whether a step selects nothing. */
    void setParams(double[] params, int s0, int nb) {
      for (int j = 0; j < nb; j++) {
        double p = params[s0 + j];
        if (ratioOffset != null) {
          skips[j] = p == 0;
          ratios[j] = Math.max(-1, Math.min(1, p));
        } else {
          long k = Math.min((long) p, ns);
          skips[j] = k < 1;
          ks[j] = (int) Math.max(0, k);
        }
      }
      Arrays.fill(kept, 0);
    }

    void gatherHeap(int nb, long blockStart, long interval) {
      for (int si = 0; si < ns; si++) {
        FloatPoints pts = inPts[si];
        int n = pts.size();
        int c = cursors[si];
        int g = seriesGroup[si];
        for (int j = 0; j < nb && c < n; j++) {
          long ts = blockStart + j * interval;
          while (c < n && pts.t(c) < ts) {
            c++;
          }
          if (c < n && pts.t(c) == ts && !skips[j]) {
            int at = j * ng + g;
            // times ±1 instead of a branch on the operator (exact; a NaN stays the same NaN)
            kept[at] = heapAdd(keptSeries, keptValue, j * row + offset[g], kept[at], ks[j], si, pts.f(c) * sign);
          }
        }
        cursors[si] = c;
      }
    }

    void gatherLimit(int nb, long blockStart, long interval) {
      for (int si = 0; si < ns; si++) {
        FloatPoints pts = inPts[si];
        int n = pts.size();
        int c = cursors[si];
        int g = seriesGroup[si];
        for (int j = 0; j < nb && c < n; j++) {
          long ts = blockStart + j * interval;
          while (c < n && pts.t(c) < ts) {
            c++;
          }
          int at = j * ng + g;
          if (c < n && pts.t(c) == ts && !skips[j] && kept[at] < ks[j]) {
            int o = j * row + offset[g] + kept[at]++;
            keptSeries[o] = si;
            keptValue[o] = pts.f(c);
          }
        }
        cursors[si] = c;
      }
    }

    void gatherRatio(int nb, long blockStart, long interval) {
      for (int si = 0; si < ns; si++) {
        FloatPoints pts = inPts[si];
        int n = pts.size();
        int c = cursors[si];
        int g = seriesGroup[si];
        double off = ratioOffset[si];
        for (int j = 0; j < nb && c < n; j++) {
          long ts = blockStart + j * interval;
          while (c < n && pts.t(c) < ts) {
            c++;
          }
          if (c < n && pts.t(c) == ts && !skips[j] && ratioIn(ratios[j], off)) {
            int at = j * ng + g;
            int o = j * row + offset[g] + kept[at]++;
            keptSeries[o] = si;
            keptValue[o] = pts.f(c);
          }
        }
        cursors[si] = c;
      }
    }

    /** Appends the block's kept samples to the output: groups in order, in a group the operator's order. */
    void emit(int nb, long blockStart, long interval) {
      for (int j = 0; j < nb; j++) {
        long ts = blockStart + j * interval;
        for (int g = 0; g < ng; g++) {
          int m = kept[j * ng + g];
          if (m == 0) {
            continue;
          }
          int o = j * row + offset[g];
          if (heap) {
            sortKept(keptValue, o, m, sortKey, order, sortTmp);
          } else {
            for (int i = 0; i < m; i++) {
              order[i] = o + i;
            }
          }
          for (int i = 0; i < m; i++) {
            int pos = order[i];
            int si = keptSeries[pos];
            double v = keptValue[pos] * sign;
            if (instant) {
              FloatPoints pts = new FloatPoints(1);
              pts.add(ts, v);
              Series in = input.get(si);
              result.add(new Series(in.metric(), pts, new ArrayList<>(0), in.dropName()));
              continue;
            }
            int slot = outSlot[si];
            FloatPoints pts = outPts[slot];
            if (pts == null) {
              // when its group's slice holds the whole group, a series keeps (about) every later point
              // of its input: room for them, instead of doubling from 16
              int rest = inPts[si].size() - cursors[si] + nb - j;
              pts = new FloatPoints(kMax >= groupSize[seriesGroup[si]] ? Math.max(rest, 16) : 16);
              outPts[slot] = pts;
              Series in = input.get(si);
              result.add(new Series(in.metric(), pts, new ArrayList<>(0), in.dropName()));
            }
            pts.add(ts, v);
          }
        }
      }
    }
  }

  /** Per input series, the index of the first input series with equal labels. */
  private static int[] outputSlots(Matrix input) {
    int[] slot = new int[input.size()];
    Map<Labels, Integer> first = new HashMap<>(input.size() * 2);
    for (int si = 0; si < slot.length; si++) {
      Integer prev = first.putIfAbsent(input.get(si).metric(), si);
      slot[si] = prev == null ? si : prev;
    }
    return slot;
  }

  /**
   * Prometheus' bounded topk heap (Go container/heap) in the slice {@code [o, o + n)}: push while
   * below k, else replace the root (the weakest kept sample) when the new value beats it. Returns
   * the new size.
   */
  static int heapAdd(int[] ids, double[] vals, int o, int n, int k, int id, double v) {
    if (n < k) {
      ids[o + n] = id;
      vals[o + n] = v;
      up(ids, vals, o, n);
      return n + 1;
    }
    double root = vals[o];
    if (root < v || (Double.isNaN(root) && !Double.isNaN(v))) {
      ids[o] = id;
      vals[o] = v;
      down(ids, vals, o, 0, n); // Go guards this with k > 1; with one entry it does nothing anyway
    }
    return n;
  }

  /** The heap's "Less" of topk: a NaN is smallest. */
  private static boolean less(double a, double b) {
    return Double.isNaN(a) || a < b;
  }

  private static void up(int[] ids, double[] vals, int o, int j) {
    while (j > 0) {
      int i = (j - 1) / 2;
      if (!less(vals[o + j], vals[o + i])) {
        break;
      }
      swap(ids, vals, o + i, o + j);
      j = i;
    }
  }

  private static void down(int[] ids, double[] vals, int o, int i, int n) {
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less(vals[o + j2], vals[o + j1])) {
        j = j2;
      }
      if (!less(vals[o + j], vals[o + i])) {
        break;
      }
      swap(ids, vals, o + i, o + j);
      i = j;
    }
  }

  private static void swap(int[] ids, double[] vals, int a, int b) {
    int id = ids[a];
    ids[a] = ids[b];
    ids[b] = id;
    double v = vals[a];
    vals[a] = vals[b];
    vals[b] = v;
  }

  /**
   * Fills {@code order[0, n)} with the positions of the kept values {@code vals[o, o + n)} in output
   * order: descending, NaN last, equal values in heap order (a stable sort, as Prometheus').
   */
  static void sortKept(double[] vals, int o, int n, long[] key, int[] order, int[] tmp) {
    for (int i = 0; i < n; i++) {
      key[i] = sortKey(vals[o + i]);
      order[i] = i;
    }
    if (n > 1) {
      sortByKey(order, key, 0, n, tmp);
    }
    for (int i = 0; i < n; i++) {
      order[i] += o;
    }
  }

  /**
   * A long whose signed order is the output order of a value: Double.compare's order reversed
   * (so -0.0 after 0.0), NaN after everything.
   */
  static long sortKey(double v) {
    if (Double.isNaN(v)) {
      return Long.MAX_VALUE;
    }
    long bits = Double.doubleToRawLongBits(v);
    // flipping the magnitude bits of negatives makes the signed long order Double.compare's order;
    // ~ reverses it (and never gives MAX_VALUE: that would need the bits of a NaN)
    return ~(bits ^ ((bits >> 63) & Long.MAX_VALUE));
  }

  /** Stable sort of the positions {@code a[from, to)} by {@code key[position]}: short runs by insertion, merged. */
  private static void sortByKey(int[] a, long[] key, int from, int to, int[] tmp) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int x = a[i];
        long kx = key[x];
        int j = i - 1;
        while (j >= from && key[a[j]] > kx) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sortByKey(a, key, from, mid, tmp);
    sortByKey(a, key, mid, to, tmp);
    if (key[a[mid - 1]] <= key[a[mid]]) {
      return;
    }
    System.arraycopy(a, from, tmp, from, mid - from);
    int i = from;
    int j = mid;
    int d = from;
    while (i < mid && j < to) {
      // the right run goes first only when strictly smaller: equal keys keep their order
      a[d++] = key[a[j]] < key[tmp[i]] ? a[j++] : tmp[i++];
    }
    while (i < mid) {
      a[d++] = tmp[i++];
    }
  }

  /** Where a label set falls in [0, 1) for limit_ratio's sampling: its hash as a fraction of 2^64. */
  private static double ratioOffset(Labels l) {
    return unsignedToDouble(LabelsHash.hash(l)) / 0x1p64;
  }

  /** Prometheus' limit_ratio sampling: a series is in when its offset falls in the ratio's slice of [0, 1). */
  private static boolean ratioIn(double ratio, double offset) {
    return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1.0 + ratio);
  }

  private static double unsignedToDouble(long v) {
    double d = (double) (v >>> 1) * 2.0;
    return d + (v & 1);
  }

  // ---------------------------------------------------------------------------------------------
  // count_values

  private Matrix countValues(AggregateExpr e, List<String> grouping) {
    Expr pe = Evaluator.unwrap(e.param());
    String label = ((StringLiteral) pe).value();
    if (!isValidLabelName(label)) {
      throw new PromQLException("invalid label name " + dev.promkit.promql.parser.GoStrings.quote(label));
    }
    List<String> g = new ArrayList<>(grouping);
    if (!e.without()) {
      g.add(label);
      g = new ArrayList<>(new TreeSet<>(g));
    }
    List<String> grp = g;
    boolean without = e.without();
    // Without: the value label survives unless dropped itself. By: it is one of the grouping labels.
    boolean keepLabel = !without || (!grouping.contains(label) && !Labels.METRIC_NAME.equals(label));
    List<String> baseGrouping = new ArrayList<>(grp);
    if (!without) {
      baseGrouping.remove(label);
    }
    // Per input series (the same Labels instance at every step): its group labels without the value
    // label, computed once, and the output labels per value seen, so that repeated values reuse them.
    Map<Labels, ValueLabels> perSeries = new IdentityHashMap<>();
    return ev.rangeEval((in, ts) -> {
      Map<Labels, int[]> counts = new LinkedHashMap<>();
      for (Sample s : in[0]) {
        ValueLabels vl = perSeries.get(s.metric());
        if (vl == null) {
          if (perSeries.size() >= ValueLabels.MAX_CACHED) {
            perSeries.clear(); // inputs with fresh Labels at every step: keep the cache bounded
          }
          vl = new ValueLabels(groupingLabels(s.metric(), baseGrouping, without), label, keepLabel);
          perSeries.put(s.metric(), vl);
        }
        counts.computeIfAbsent(vl.labelsFor(s.f()), x -> new int[1])[0]++;
      }
      Vector out = new Vector(counts.size());
      for (Map.Entry<Labels, int[]> en : counts.entrySet()) {
        out.add(new Sample(en.getKey(), ts, en.getValue()[0]));
      }
      return out;
    }, e.expr());
  }

  /** count_values' output labels of one input series, by sample value. */
  private static final class ValueLabels {
    private final Labels base;
    private final boolean keepLabel;
    static final int MAX_CACHED = 1 << 16;
    private static final int CACHE_BITS = 5;
    private static final int CACHE_SLOTS = 1 << CACHE_BITS;
    /** Direct-mapped cache of output labels by value bits: no boxing, no collision chains. */
    private long[] cachedBits;
    private Labels[] cached;
    /** base with the value label set (to a placeholder), and where that label's value sits in it. */
    private final String[] template;
    private final int valueIndex;

    ValueLabels(Labels base, String label, boolean keepLabel) {
      this.base = base;
      this.keepLabel = keepLabel;
      this.template = base.toBuilder().set(label, "_").build().toArray();
      int at = -1;
      for (int i = 0; i < template.length; i += 2) {
        if (template[i].equals(label)) {
          at = i + 1;
        }
      }
      this.valueIndex = at;
    }

    Labels labelsFor(double f) {
      if (!keepLabel) {
        return base;
      }
      // equal bits give equal text (NaNs with other payloads give equal Labels, which is all that counts)
      long bits = Double.doubleToRawLongBits(f);
      if (cached == null) {
        cachedBits = new long[CACHE_SLOTS];
        cached = new Labels[CACHE_SLOTS];
      }
      long mixed = bits * 0x9E3779B97F4A7C15L; // Fibonacci hashing: the top bits depend on every bit
      int slot = (int) (mixed >>> (64 - CACHE_BITS));
      Labels l = cached[slot];
      if (l != null && cachedBits[slot] == bits) {
        return l;
      }
      // the label's slot is known: copy the sorted array and fill in the value, no builder or sort
      String[] nv = template.clone();
      nv[valueIndex] = formatValue(f);
      l = Labels.fromSortedArray(nv);
      cachedBits[slot] = bits;
      cached[slot] = l;
      return l;
    }
  }

  private static boolean isValidLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return false;
      }
    }
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
  }

  /** Go's strconv.FormatFloat(f, 'f', -1, 64), as count_values labels its output. */
  static String formatValue(double f) {
    return GoFloat.formatF(f);
  }
}
