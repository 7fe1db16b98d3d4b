package dev.promkit.promql.promqltest;

import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.engine.QueryResult;
import dev.promkit.promql.parser.Call;
import dev.promkit.promql.parser.Expr;
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
import dev.promkit.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Plays {@code .test} scripts (Prometheus' PromQL test language, see the conformance corpus'
 * FORMAT.md) against an {@link Engine} and a storage, and reports every eval as passed or failed
 * with the reason (line, expected vs got).
 */
public final class PromqlTestRunner {
  /** Message of evals that need native histograms. */
  public static final String NO_HISTOGRAMS = "native histograms not supported";

  private final Engine engine;
  private final StorageFactory storage;
  private final boolean checkVariants;

  private PromqlTestRunner(Engine engine, StorageFactory storage, boolean checkVariants) {
    this.engine = engine;
    this.storage = storage;
    this.checkVariants = checkVariants;
  }

  /**
   * This runner without Prometheus' extra runs of each instant eval (selectors pinned with {@code @}
   * at other evaluation times, and the same query as a range query): only the main check.
   */
  public PromqlTestRunner withoutVariants() {
    return new PromqlTestRunner(engine, storage, false);
  }

  /**
   * A runner with the settings of Prometheus' own test suite: lookback 5m, 1m default subquery
   * step, all experimental features on, over the in-memory storage.
   */
  public static PromqlTestRunner create() {
    return create(StorageFactory.memory());
  }

  /** As {@link #create()}, over another storage. */
  public static PromqlTestRunner create(StorageFactory storage) {
    return new PromqlTestRunner(testEngine(), storage, true);
  }

  /** A runner with a given engine and storage. */
  public static PromqlTestRunner create(Engine engine, StorageFactory storage) {
    return new PromqlTestRunner(Objects.requireNonNull(engine), Objects.requireNonNull(storage), true);
  }

  /** The engine configuration Prometheus' test runner uses (lookback 5m, 10,000 samples, timeout 100 s, 1m subquery step). */
  public static Engine testEngine() {
    return Engine.builder()
        .lookbackDeltaMillis(5 * 60_000)
        .timeoutMillis(100_000)
        .maxSamples(10_000)
        .noStepSubqueryIntervalMillis(60_000)
        .build();
  }

  /** Runs a script file. */
  public ScriptResult run(Path file) throws IOException {
    return run(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Runs a script.
   *
   * @param name the name used in results (usually the file name)
   * @param text the script
   * @throws ScriptException when the script itself is malformed
   */
  public ScriptResult run(String name, String text) {
    Script script = Script.parse(name, text);
    List<EvalResult> results = new ArrayList<>();
    StorageFactory.TestStorage st = storage.create();
    List<Labels> histogramSeries = new ArrayList<>();
    try {
      for (Object cmd : script.commands) {
        if (cmd instanceof Script.Clear) {
          st.close();
          st = storage.create();
          histogramSeries.clear();
        } else if (cmd instanceof Script.Load) {
          load(st, (Script.Load) cmd, histogramSeries);
        } else {
          Script.Eval ev = (Script.Eval) cmd;
          String failure;
          try {
            failure = ev.expectsHistogram() ? NO_HISTOGRAMS + " (expected output holds a native histogram)" : check(st, ev);
          } catch (RuntimeException e) {
            failure = "runner/engine crash: " + e;
          }
          if (failure != null && !failure.startsWith(NO_HISTOGRAMS) && selectsAny(ev.expr, histogramSeries)) {
            failure = NO_HISTOGRAMS + " (the query reads series whose native histogram samples were skipped); "
                + failure;
          }
          results.add(new EvalResult(name, ev.line, ev.expr, failure == null, failure));
        }
      }
    } finally {
      st.close();
    }
    return new ScriptResult(name, results);
  }

  /** Appends a load block; native histogram samples are skipped and their series remembered. */
  private static void load(StorageFactory.TestStorage st, Script.Load load, List<Labels> histogramSeries) {
    if (load.nhcb) {
      for (Labels l : load.series.keySet()) {
        String name = l.metricName();
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
          if (name.endsWith(suffix)) {
            histogramSeries.add(l.toBuilder().set(Labels.METRIC_NAME, name.substring(0, name.length() - suffix.length()))
                .remove("le").build());
          }
        }
      }
    }
    Appender app = st.appendable().appender();
    for (Map.Entry<Labels, SeriesDesc> e : load.series.entrySet()) {
      SeriesDesc d = e.getValue();
      SeriesDesc sts = load.startTimestamps.get(e.getKey());
      for (int i = 0; i < d.values.size(); i++) {
        Object v = d.values.get(i);
        if (v == SeriesDesc.HISTOGRAM) {
          if (histogramSeries.isEmpty() || !histogramSeries.get(histogramSeries.size() - 1).equals(d.labels)) {
            histogramSeries.add(d.labels);
          }
          continue;
        }
        if (v == SeriesDesc.GAP) {
          continue;
        }
        long t = i * load.step;
        long stMillis = 0;
        if (sts != null && sts.values.get(i) instanceof Long) {
          stMillis = t + (Long) sts.values.get(i);
        }
        app.append(0, d.labels, stMillis, t, (Double) v);
      }
    }
    app.commit();
  }

  /** Whether any selector of the expression matches one of the series. */
  private boolean selectsAny(String text, List<Labels> series) {
    if (series.isEmpty()) {
      return false;
    }
    Expr e;
    try {
      e = engine.parse(text);
    } catch (PromQLException ex) {
      return false;
    }
    boolean[] hit = {false};
    e.walk(n -> {
      if (n instanceof VectorSelector) {
        for (Labels l : series) {
          if (((VectorSelector) n).matchers().stream().allMatch(m -> m.matches(l))) {
            hit[0] = true;
          }
        }
      }
    });
    return hit[0];
  }

  private String check(StorageFactory.TestStorage st, Script.Eval ev) {
    Expr expr;
    try {
      expr = engine.parse(ev.expr);
    } catch (PromQLException e) {
      return "the expression does not parse: " + e.getMessage();
    }
    if (ev.range) {
      return checkRun(st, ev, expr, true, ev.start, ev.end, ev.step);
    }
    long t = ev.rangeVector ? ev.rvEnd : ev.at;
    String r = checkInstant(st, ev, expr, t);
    if (r != null || !checkVariants || atUnsafe(expr)) {
      return r;
    }
    // Prometheus' runner also pins every selector to @ t and evaluates at other times: same expectations.
    Expr pinned = Pinning.pin(expr, t);
    long[] times = t == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * t, 0, t / 5, t, 10 * t};
    for (long at : times) {
      r = checkInstant(st, ev, pinned, at);
      if (r != null) {
        return "with every selector pinned to @ " + (t / 1000.0) + " and evaluated at " + (at / 1000.0) + "s: " + r;
      }
    }
    return null;
  }

  private String checkInstant(StorageFactory.TestStorage st, Script.Eval ev, Expr expr, long t) {
    String r = checkRun(st, ev, expr, false, t, t, 0);
    if (r != null || !checkVariants || ev.fail || ev.rangeVector || ev.expectString != null || usesQueryTime(ev.expr)) {
      return r;
    }
    // Range-mode check: the same query as a range query around t must agree at t.
    QueryResult res;
    try {
      res = engine.rangeQuery(st.queryable(), expr, ev.expr, t - 60_000, t + 60_000, 60_000);
    } catch (PromQLException e) {
      return "as a range query around " + (t / 1000.0) + "s it failed: " + e.getMessage();
    }
    if (ev.ordered) {
      return null;
    }
    Matrix m = (Matrix) res.value();
    Value atT;
    if (ev.scalar != null) {
      double f = Double.NaN;
      boolean found = false;
      if (!m.isEmpty()) {
        for (FPoint p : m.get(0).floats()) {
          if (p.t() == t) {
            f = p.f();
            found = true;
          }
        }
      }
      if (!found) {
        return "as a range query around " + (t / 1000.0) + "s: no scalar point at " + (t / 1000.0) + "s";
      }
      atT = new Scalar(t, f);
    } else {
      Vector v = new Vector();
      for (Series s : m) {
        for (FPoint p : s.floats()) {
          if (p.t() == t) {
            v.add(new Sample(s.metric(), t, p.f()));
          }
        }
      }
      atT = v;
    }
    String c = compare(ev, atT);
    return c == null ? null : "as a range query around " + (t / 1000.0) + "s: " + c;
  }

  private String checkRun(StorageFactory.TestStorage st, Script.Eval ev, Expr expr, boolean range, long start,
      long end, long step) {
    QueryResult res;
    try {
      if (range) {
        res = engine.rangeQuery(st.queryable(), expr, ev.expr, start, end, step);
      } else {
        res = engine.instantQuery(st.queryable(), expr, ev.expr, start);
      }
    } catch (PromQLException e) {
      String msg = e.getMessage();
      if (!ev.fail) {
        return "unexpected error: " + msg;
      }
      if (ev.failMsg != null && !ev.failMsg.equals(msg)) {
        return "expected error \"" + ev.failMsg + "\", got \"" + msg + "\"";
      }
      if (ev.failRegex != null && !ev.failRegex.matcher(msg).find()) {
        return "expected error matching /" + ev.failRegex + "/, got \"" + msg + "\"";
      }
      return null;
    }
    if (ev.fail) {
      return "expected an error, got a result: " + brief(res.value());
    }
    String a = checkAnnotations("warning", ev.warns, ev.noWarn, res.warnings());
    if (a != null) {
      return a;
    }
    a = checkAnnotations("info", ev.infos, ev.noInfo, res.infos());
    if (a != null) {
      return a;
    }
    return compare(ev, res.value());
  }

  private static final Pattern QUERY_TIME = Pattern.compile("\\b(start|end|range|step)\\s*\\(\\s*\\)");
  private static final Set<String> AT_UNSAFE = Set.of("time", "timestamp", "minute", "hour", "day_of_month",
      "day_of_week", "day_of_year", "days_in_month", "month", "year", "predict_linear", "start", "end", "range",
      "step");

  private static boolean usesQueryTime(String text) {
    return QUERY_TIME.matcher(text).find();
  }

  private static boolean atUnsafe(Expr e) {
    boolean[] found = {false};
    e.walk(n -> {
      if (n instanceof Call && AT_UNSAFE.contains(((Call) n).function().functionName())) {
        found[0] = true;
      }
    });
    return found[0];
  }

  private static String checkAnnotations(String kind, List<Script.AnnotationExpectation> exp, boolean none, List<String> got) {
    if (none && !got.isEmpty()) {
      return "expected no " + kind + " annotations, got " + got;
    }
    if (exp.isEmpty()) {
      return null;
    }
    if (got.isEmpty()) {
      return "expected " + kind + " annotations " + exp + ", got none";
    }
    for (Script.AnnotationExpectation e : exp) {
      if (got.stream().noneMatch(e::matches)) {
        return "expected a " + kind + " annotation " + e + ", got " + got;
      }
    }
    for (String g : got) {
      if (exp.stream().noneMatch(e -> e.matches(g))) {
        return "unexpected " + kind + " annotation \"" + g + "\" (expected " + exp + ")";
      }
    }
    return null;
  }

  private static String compare(Script.Eval ev, Value v) {
    if (ev.expectString != null) {
      if (!(v instanceof StringValue)) {
        return "expected string \"" + ev.expectString + "\", got " + brief(v);
      }
      String s = ((StringValue) v).s();
      return s.equals(ev.expectString) ? null : "expected string \"" + ev.expectString + "\", got \"" + s + "\"";
    }
    if (ev.scalar != null) {
      if (!(v instanceof Scalar)) {
        return "expected scalar " + ev.scalar + ", got " + brief(v);
      }
      double got = ((Scalar) v).v();
      return almostEqual(ev.scalar, got) ? null : "expected scalar " + fmt(ev.scalar) + ", got " + fmt(got);
    }
    if (ev.range || ev.rangeVector) {
      if (ev.ordered) {
        return "expect ordered cannot be checked on a matrix result";
      }
      if (!(v instanceof Matrix)) {
        return "expected a matrix, got " + brief(v);
      }
      long start = ev.range ? ev.start : ev.rvStart;
      long step = ev.range ? ev.step : ev.rvStep;
      return compareMatrix(ev, (Matrix) v, start, step);
    }
    if (v instanceof Scalar) {
      return "expected an instant vector, got scalar " + fmt(((Scalar) v).v());
    }
    if (!(v instanceof Vector)) {
      return "expected an instant vector, got " + brief(v);
    }
    return compareVector(ev, (Vector) v);
  }

  private static String compareVector(Script.Eval ev, Vector vec) {
    Map<Labels, Sample> got = new HashMap<>();
    for (Sample s : vec) {
      if (got.put(s.metric(), s) != null) {
        return "result holds the label set " + s.metric() + " twice";
      }
    }
    for (Map.Entry<Labels, SeriesDesc> e : ev.expected.entrySet()) {
      Sample s = got.get(e.getKey());
      if (s == null) {
        return "missing series " + e.getKey() + " (expected " + e.getValue().values.get(0) + "); got " + brief(vec);
      }
      Object exp = e.getValue().values.get(0);
      if (exp == SeriesDesc.GAP) {
        return "series " + e.getKey() + " expected no sample, got " + fmt(s.f());
      }
      if (s.h() != null) {
        return "series " + e.getKey() + ": expected float " + exp + ", got a histogram";
      }
      if (!almostEqual((Double) exp, s.f())) {
        return "series " + e.getKey() + ": expected " + fmt((Double) exp) + ", got " + fmt(s.f());
      }
    }
    for (Sample s : vec) {
      if (!ev.expected.containsKey(s.metric())) {
        return "unexpected series " + s.metric() + " " + fmt(s.f()) + " in result";
      }
    }
    if (ev.ordered) {
      for (int i = 0; i < vec.size(); i++) {
        if (!vec.get(i).metric().equals(ev.order.get(i))) {
          return "expected " + ev.order.get(i) + " at position " + (i + 1) + " of the ordered result, got "
              + vec.get(i).metric();
        }
      }
    }
    return null;
  }

  private static String compareMatrix(Script.Eval ev, Matrix m, long start, long step) {
    Map<Labels, Series> got = new HashMap<>();
    for (Series s : m) {
      if (got.put(s.metric(), s) != null) {
        return "result holds the label set " + s.metric() + " twice";
      }
    }
    for (Map.Entry<Labels, SeriesDesc> e : ev.expected.entrySet()) {
      Series s = got.get(e.getKey());
      if (s == null) {
        return "missing series " + e.getKey() + "; got " + brief(m);
      }
      List<FPoint> exp = new ArrayList<>();
      List<Object> vals = e.getValue().values;
      for (int i = 0; i < vals.size(); i++) {
        Object o = vals.get(i);
        if (o instanceof Double) {
          exp.add(new FPoint(start + i * step, (Double) o));
        }
      }
      List<FPoint> pts = s.floats();
      if (!s.histograms().isEmpty()) {
        return "series " + e.getKey() + ": got histogram points, expected floats";
      }
      if (pts.size() != exp.size()) {
        return "series " + e.getKey() + ": expected " + exp.size() + " points " + pointsText(exp) + ", got "
            + pts.size() + " " + pointsText(pts);
      }
      for (int i = 0; i < exp.size(); i++) {
        FPoint a = exp.get(i);
        FPoint b = pts.get(i);
        if (a.t() != b.t() || !almostEqual(a.f(), b.f())) {
          return "series " + e.getKey() + ": expected " + pointsText(exp) + ", got " + pointsText(pts);
        }
      }
    }
    for (Series s : m) {
      if (!ev.expected.containsKey(s.metric())) {
        return "unexpected series " + s.metric() + " " + pointsText(s.floats()) + " in result";
      }
    }
    return null;
  }

  private static String pointsText(List<FPoint> pts) {
    StringBuilder sb = new StringBuilder("[");
    for (FPoint p : pts) {
      if (sb.length() > 1) {
        sb.append(' ');
      }
      sb.append(fmt(p.f())).append('@').append(p.t() / 1000.0).append('s');
    }
    return sb.append(']').toString();
  }

  private static String brief(Value v) {
    if (v instanceof Scalar) {
      return "scalar " + fmt(((Scalar) v).v());
    }
    if (v instanceof StringValue) {
      return "string \"" + ((StringValue) v).s() + "\"";
    }
    if (v instanceof Vector) {
      StringBuilder sb = new StringBuilder("vector [");
      int n = 0;
      for (Sample s : (Vector) v) {
        if (n++ > 0) {
          sb.append(", ");
        }
        if (n > 10) {
          sb.append("… ").append(((Vector) v).size() - 10).append(" more");
          break;
        }
        sb.append(s.metric()).append(' ').append(fmt(s.f()));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Matrix) {
      StringBuilder sb = new StringBuilder("matrix [");
      int n = 0;
      for (Series s : (Matrix) v) {
        if (n++ > 0) {
          sb.append(", ");
        }
        if (n > 10) {
          sb.append("…");
          break;
        }
        sb.append(s.metric()).append(' ').append(pointsText(s.floats()));
      }
      return sb.append(']').toString();
    }
    return String.valueOf(v);
  }

  static String fmt(double d) {
    if (Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(SeriesDesc.STALE_NAN)) {
      return "stale";
    }
    return dev.promkit.promql.format.GoFloat.formatG(d); // as Go's %v
  }

  private static final double MIN_NORMAL = Double.MIN_NORMAL;

  /** FORMAT.md §6.5: stale only equals stale; NaN equals NaN; else relative tolerance 1e-6. */
  static boolean almostEqual(double e, double a) {
    boolean es = Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(SeriesDesc.STALE_NAN);
    boolean as = Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(SeriesDesc.STALE_NAN);
    if (es || as) {
      return es && as;
    }
    if (Double.isNaN(e) && Double.isNaN(a)) {
      return true;
    }
    if (e == a) {
      return true;
    }
    double absSum = Math.abs(e) + Math.abs(a);
    double diff = Math.abs(e - a);
    if (e == 0 || a == 0 || absSum < MIN_NORMAL) {
      return diff < 1e-6 * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
  }
}
