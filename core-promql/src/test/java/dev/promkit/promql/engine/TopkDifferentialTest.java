package dev.promkit.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.parser.TokenType;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Series;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Randomized differential test of topk, bottomk, limitk and limit_ratio against a plain reference:
 * the list-and-record algorithm the engine used before its primitive rewrite (Prometheus' Go heap
 * with its Less and replace rules, a stable sort of the heap's array, output series in the order of
 * their first point). Values come from a small pool full of ties, NaN, ±Inf and ±0, series have
 * gaps, groups come and go, and k (or the ratio) changes from step to step through {@code scalar()}:
 * which sample wins a tie, where a NaN goes, the order of an instant result and of the unsorted range
 * matrix (as an enclosing expression sees it), each point's value bits and each series' dropName
 * must all be the reference's.
 */
class TopkDifferentialTest {
  private static final long STEP = 600_000; // longer than the 5m lookback: a missing sample is a gap
  private static final long START = 1_000 * STEP;
  private static final EngineOptions OPTS =
      new EngineOptions(300_000, 60_000, 50_000_000, 60_000, FunctionRegistry.standard());
  private static final Engine PARSER = Engine.builder().build();
  private static final double[] POOL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
      1, 1, 2, 2, 2, 3, -1, -1, 1e308, -1e308, 0.5};

  @Test
  void topkBottomkLimitkAndLimitRatioMatchTheReferenceOnRandomData() {
    int compared = 0;
    for (long seed = 1; seed <= 400; seed++) {
      compared += runCase(seed);
    }
    assertTrue(compared > 2000, "too few non-empty comparisons: " + compared);
  }

  /** One random data set, every operator, grouping, inner expression and range/instant; returns the comparisons. */
  private static int runCase(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed); // java.util.Random starts alike for seeds 1, 2, ...
    int ns = 1 + rnd.nextInt(rnd.nextBoolean() ? 6 : 40); // above 16 kept samples the sort merges runs
    int ngroups = 1 + rnd.nextInt(3);
    int steps = rnd.nextBoolean() ? 24 : 150; // 150: the engine's blocks of 64 steps, and a partial one
    MemoryStorage storage = new MemoryStorage();
    Appender app = storage.appender();
    double gapRate = rnd.nextInt(3) * 0.15;
    for (int i = 0; i < ns; i++) {
      Labels l = Labels.of("__name__", "x", "l", String.format("%02d", i), "g", "g" + rnd.nextInt(ngroups));
      for (int s = 0; s < steps; s++) {
        if (rnd.nextDouble() >= gapRate) {
          double v = rnd.nextInt(4) == 0 ? rnd.nextInt(5) - 2 : POOL[rnd.nextInt(POOL.length)];
          app.append(0, l, START + s * STEP, v);
        }
      }
    }
    // the parameters, one sample a step: k (counts around the series count) and a ratio
    double[] ks = new double[steps];
    double[] ratios = new double[steps];
    double[] kPool = {-1, 0, 0.5, 1, 1.9, 2, 3, 5, ns - 1, ns, ns + 3, 100};
    double[] rPool = {-1.5, -1, -0.7, -0.3, 0, 0.2, 0.5, 0.9, 1, 2};
    int fixedK = rnd.nextInt(3) == 0 ? rnd.nextInt(ns + 3) : -1;
    for (int s = 0; s < steps; s++) {
      ks[s] = fixedK >= 0 ? fixedK : kPool[rnd.nextInt(kPool.length)];
      ratios[s] = rPool[rnd.nextInt(rPool.length)];
      app.append(0, Labels.of("__name__", "k"), START + s * STEP, ks[s]);
      app.append(0, Labels.of("__name__", "r"), START + s * STEP, ratios[s]);
    }
    app.commit();
    int compared = 0;
    String[] inners = {"x", "-x", "x * 1"}; // -x and x * 1 carry dropName
    String[] groupings = {"", " by (g)", " without (l)"};
    TokenType[] ops = {TokenType.TOPK, TokenType.BOTTOMK, TokenType.LIMITK, TokenType.LIMIT_RATIO};
    for (TokenType op : ops) {
      String name = op.toString().toLowerCase(java.util.Locale.ROOT);
      String param = op == TokenType.LIMIT_RATIO ? "scalar(r)" : "scalar(k)";
      double[] params = op == TokenType.LIMIT_RATIO ? ratios : ks;
      String inner = inners[rnd.nextInt(inners.length)];
      String grouping = groupings[rnd.nextInt(groupings.length)];
      String query = name + grouping + " (" + param + ", " + inner + ")";
      // range over every step, and an instant query at a random step (the order of its samples is visible)
      compared += compare(seed, query, op, inner, grouping, params, storage, START, START + (steps - 1) * STEP);
      int at = rnd.nextInt(steps);
      compared += compare(seed, query, op, inner, grouping, new double[] {params[at]}, storage,
          START + at * STEP, START + at * STEP);
    }
    return compared;
  }

  private static int compare(long seed, String query, TokenType op, String inner, String grouping, double[] params,
      MemoryStorage storage, long start, long end) {
    Matrix input = evaluator(storage, start, end).evalMatrix(PARSER.parse(inner));
    Matrix got = evaluator(storage, start, end).evalMatrix(PARSER.parse(query));
    Matrix want = reference(op, params, input, groups(input, !grouping.isEmpty()), start, end);
    String where = "seed " + seed + ", " + query + " over [" + start + ", " + end + "]";
    assertEquals(render(want), render(got), where);
    return want.isEmpty() ? 0 : 1;
  }

  private static Evaluator evaluator(MemoryStorage storage, long start, long end) {
    return new Evaluator(new QueryState(storage, OPTS, start, end, start == end ? 0 : STEP), start, end,
        start == end ? 1 : STEP);
  }

  /** Group of each input series: by its "g" label (both groupings used reduce to it), else one group. */
  private static int[] groups(Matrix input, boolean byG) {
    Map<String, Integer> index = new LinkedHashMap<>();
    int[] out = new int[input.size()];
    for (int i = 0; i < out.length; i++) {
      String g = byG ? input.get(i).metric().get("g") : "";
      Integer gi = index.get(g);
      if (gi == null) {
        gi = index.size();
        index.put(g, gi);
      }
      out[i] = gi;
    }
    return out;
  }

  /** Series in order, each with its labels, dropName and points (values as bits, so NaN and -0.0 count). */
  private static String render(Matrix m) {
    StringBuilder sb = new StringBuilder();
    for (Series s : m) {
      sb.append(s.metric()).append(s.dropName() ? " drop" : "").append(':');
      for (FPoint p : s.floats()) {
        sb.append(' ').append(p.t()).append('=').append(p.f()).append('/')
            .append(Long.toHexString(Double.doubleToLongBits(p.f())));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  // -----------------------------------------------------------------------------------------------
  // The reference: the engine's former per-step lists of Sample records.

  private static Matrix reference(TokenType op, double[] params, Matrix input, int[] seriesGroup, long start,
      long end) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (double p : params) {
      max = Math.max(max, p);
      min = Math.min(min, p);
    }
    if (op == TokenType.LIMIT_RATIO ? max == 0 && min == 0 : max < 1) {
      return new Matrix();
    }
    int ng = 0;
    for (int g : seriesGroup) {
      ng = Math.max(ng, g + 1);
    }
    boolean instant = start == end;
    Map<Labels, Series> seriess = new LinkedHashMap<>();
    Matrix instantOut = new Matrix();
    int[] cursors = new int[input.size()];
    int step = 0;
    for (long ts = start; ts <= end; ts += STEP, step++) {
      double p = params[step];
      List<List<Sample>> groups = new ArrayList<>();
      for (int i = 0; i < ng; i++) {
        groups.add(new ArrayList<>());
      }
      long k = Math.min((long) p, input.size());
      double r = Math.max(-1, Math.min(1, p));
      boolean skip = op == TokenType.LIMIT_RATIO ? p == 0 : k < 1;
      for (int si = 0; si < input.size() && !skip; si++) {
        Series s = input.get(si);
        Sample smp = null;
        List<FPoint> pts = s.floats();
        while (cursors[si] < pts.size() && pts.get(cursors[si]).t() < ts) {
          cursors[si]++;
        }
        if (cursors[si] < pts.size() && pts.get(cursors[si]).t() == ts) {
          smp = new Sample(s.metric(), ts, pts.get(cursors[si]).f(), null, s.dropName());
        }
        if (smp == null) {
          continue;
        }
        List<Sample> g = groups.get(seriesGroup[si]);
        if (op == TokenType.TOPK) {
          heapAdd(g, smp, k, (a, b) -> Double.isNaN(a.f()) || a.f() < b.f(), true);
        } else if (op == TokenType.BOTTOMK) {
          heapAdd(g, smp, k, (a, b) -> Double.isNaN(a.f()) || a.f() > b.f(), false);
        } else if (op == TokenType.LIMITK) {
          if (g.size() < k) {
            g.add(smp);
          }
        } else {
          double offset = unsignedToDouble(LabelsHash.hash(smp.metric())) / 0x1p64;
          if ((r >= 0 && offset < r) || (r < 0 && offset >= 1.0 + r)) {
            g.add(smp);
          }
        }
      }
      for (List<Sample> g : groups) {
        if (op == TokenType.TOPK) {
          g.sort(order(true)); // List.sort is stable: equal values keep the heap's order
        } else if (op == TokenType.BOTTOMK) {
          g.sort(order(false));
        }
        for (Sample smp : g) {
          if (instant) {
            List<FPoint> pts = new ArrayList<>();
            pts.add(new FPoint(ts, smp.f(), 0));
            instantOut.add(new Series(smp.metric(), pts, new ArrayList<>(0), smp.dropName()));
          } else {
            seriess.computeIfAbsent(smp.metric(),
                l -> new Series(l, new ArrayList<>(), new ArrayList<>(0), smp.dropName()))
                .floats().add(new FPoint(ts, smp.f(), 0));
          }
        }
      }
    }
    return instant ? instantOut : new Matrix(seriess.values());
  }

  private interface Less {
    boolean less(Sample a, Sample b);
  }

  private static void heapAdd(List<Sample> h, Sample s, long k, Less less, boolean top) {
    if (h.size() < k) {
      h.add(s);
      int j = h.size() - 1;
      while (j > 0) { // Go's heap.up
        int i = (j - 1) / 2;
        if (!less.less(h.get(j), h.get(i))) {
          break;
        }
        swap(h, i, j);
        j = i;
      }
      return;
    }
    double root = h.get(0).f();
    if ((top ? root < s.f() : root > s.f()) || (Double.isNaN(root) && !Double.isNaN(s.f()))) {
      h.set(0, s);
      int i = 0;
      while (k > 1) { // Go's heap.down
        int j = 2 * i + 1;
        if (j >= h.size()) {
          break;
        }
        if (j + 1 < h.size() && less.less(h.get(j + 1), h.get(j))) {
          j++;
        }
        if (!less.less(h.get(j), h.get(i))) {
          break;
        }
        swap(h, i, j);
        i = j;
      }
    }
  }

  private static void swap(List<Sample> h, int i, int j) {
    Sample t = h.get(i);
    h.set(i, h.get(j));
    h.set(j, t);
  }

  /** topk: descending, bottomk: ascending (Double.compare, so -0.0 below 0.0); NaN last in both. */
  private static Comparator<Sample> order(boolean descending) {
    return (a, b) -> {
      boolean an = Double.isNaN(a.f());
      boolean bn = Double.isNaN(b.f());
      if (an || bn) {
        return Boolean.compare(an, bn);
      }
      return descending ? Double.compare(b.f(), a.f()) : Double.compare(a.f(), b.f());
    };
  }

  private static double unsignedToDouble(long v) {
    return (double) (v >>> 1) * 2.0 + (v & 1);
  }
}
