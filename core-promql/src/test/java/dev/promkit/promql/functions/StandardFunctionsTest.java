package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.engine.FunctionImpl;
import dev.promkit.promql.engine.FunctionRegistry;
import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.parser.Function;
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
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardFunctionsTest {
  private static FunctionRegistry registry() {
    FunctionRegistry r = new FunctionRegistry();
    new StandardFunctions().registerAll(r);
    return r;
  }

  private static FunctionImpl fn(String name) {
    FunctionImpl f = registry().lookup(name);
    assertNotNull(f, name);
    return f;
  }

  @Test
  void everyFunctionTableEntryHasAnImplementationOrAStatedReason() {
    FunctionRegistry r = registry();
    for (Function f : Function.values()) {
      String name = f.functionName();
      assertTrue(r.lookup(name) != null ^ StandardFunctions.NOT_IMPLEMENTED.containsKey(name), name);
    }
    for (String name : r.names()) {
      assertNotNull(Function.byName(name), "registered name not in the function table: " + name);
    }
  }

  @Test
  void queryTimeFunctionsReadTheQuery() {
    FakeContext ctx = new FakeContext(20_000) {
      @Override public long queryStart() { return 10_000; }
      @Override public long queryEnd() { return 40_000; }
      @Override public long queryStep() { return 5_000; }
    };
    assertEquals(10.0, fn("start").call(List.of(), ctx).get(0).f());
    assertEquals(40.0, fn("end").call(List.of(), ctx).get(0).f());
    assertEquals(5.0, fn("step").call(List.of(), ctx).get(0).f());
    assertEquals(30.0, fn("range").call(List.of(), ctx).get(0).f());
    assertEquals(2.0, fn("max_of").call(List.of(new Scalar(0, 1), new Scalar(0, 2)), ctx).get(0).f());
    assertEquals(1.0, fn("min_of").call(List.of(new Scalar(0, 1), new Scalar(0, 2)), ctx).get(0).f());
  }

  @Test
  void serviceLoaderFindsTheLibrary() {
    assertNotNull(FunctionRegistry.standard().lookup("rate"));
  }

  private static Matrix series(Labels l, long[] t, double[] v) {
    List<FPoint> pts = new ArrayList<>();
    for (int i = 0; i < t.length; i++) {
      pts.add(new FPoint(t[i], v[i]));
    }
    Matrix m = new Matrix();
    m.add(new Series(l, pts, new ArrayList<>(), false));
    return m;
  }

  @Test
  void rateReadsWindowFromContext() {
    FakeContext ctx = new FakeContext(60_000);
    ctx.range = 60_000;
    Matrix m = series(Labels.of("__name__", "x_total"), new long[] {10_000, 20_000, 30_000, 40_000, 50_000, 60_000},
        new double[] {10, 20, 30, 40, 50, 60});
    Vector out = fn("rate").call(List.of(m), ctx);
    assertEquals(1, out.size());
    assertEquals(1.0, out.get(0).f(), 1e-12);
    Matrix one = series(Labels.empty(), new long[] {60_000}, new double[] {1});
    assertTrue(fn("rate").call(List.of(one), ctx).isEmpty(), "one point: no rate");
  }

  @Test
  void quantileOverTimeWarnsAboutItsScalarArgument() {
    FakeContext ctx = new FakeContext(60_000);
    Matrix m = series(Labels.empty(), new long[] {1, 2}, new double[] {1, 2});
    Vector out = fn("quantile_over_time").call(List.of(new Scalar(0, 2), m), ctx);
    assertEquals(Double.POSITIVE_INFINITY, out.get(0).f());
    assertEquals(List.of("0:quantile value should be between 0 and 1, got 2"), ctx.warnings);
  }

  private static Vector vec(Sample... s) {
    return new Vector(List.of(s));
  }

  @Test
  void histogramQuantileGroupsByLabelsWithoutLeAndWarnsOnBadLe() {
    FakeContext ctx = new FakeContext(0);
    Vector in = vec(
        new Sample(Labels.of("__name__", "h_bucket", "le", "1", "job", "a"), 0, 10),
        new Sample(Labels.of("__name__", "h_bucket", "le", "+Inf", "job", "a"), 0, 20),
        new Sample(Labels.of("__name__", "h_bucket", "le", "1", "job", "b"), 0, 5),
        new Sample(Labels.of("__name__", "h_bucket", "le", "+Inf", "job", "b"), 0, 5),
        new Sample(Labels.of("__name__", "h_bucket", "le", "Hello World", "job", "c"), 0, 5));
    Vector out = fn("histogram_quantile").call(List.of(new Scalar(0, 0.5), in), ctx);
    assertEquals(2, out.size());
    assertEquals(Labels.of("__name__", "h_bucket", "job", "a"), out.get(0).metric());
    assertTrue(out.get(0).dropName());
    assertEquals(1.0, out.get(0).f());
    assertEquals(0.5, out.get(1).f());
    assertEquals(List.of("1:bucket label \"le\" is missing or has a malformed value of \"Hello World\""
        + " for metric name \"h_bucket\""), ctx.warnings);
  }

  @Test
  void histogramQuantileNotesForcedMonotonicity() {
    FakeContext ctx = new FakeContext(0);
    Vector in = vec(
        new Sample(Labels.of("le", "1"), 0, 10),
        new Sample(Labels.of("le", "2"), 0, 5),
        new Sample(Labels.of("le", "+Inf"), 0, 20));
    fn("histogram_quantile").call(List.of(new Scalar(0, 0.5), in), ctx);
    assertEquals(1, ctx.infos.size());
    assertTrue(ctx.infos.get(0).startsWith("1:input to histogram_quantile needed to be fixed for monotonicity"));
  }

  @Test
  void histogramQuantilesLabelsEachQuantile() {
    FakeContext ctx = new FakeContext(0);
    Vector in = vec(new Sample(Labels.of("le", "1"), 0, 10), new Sample(Labels.of("le", "+Inf"), 0, 10));
    Vector out = fn("histogram_quantiles").call(
        List.of(in, new StringValue(0, "q"), new Scalar(0, 0.5), new Scalar(0, 1)), ctx);
    assertEquals(Labels.of("q", "0.5"), out.get(0).metric());
    assertEquals(Labels.of("q", "1.0"), out.get(1).metric());
  }

  @Test
  void labelReplaceFailsAsQueryErrorOnBadRegex() {
    FakeContext ctx = new FakeContext(0);
    List<Value> args = List.of(vec(new Sample(Labels.of("a", "b"), 0, 1)), new StringValue(0, "dst"),
        new StringValue(0, "$1"), new StringValue(0, "a"), new StringValue(0, "(.*"));
    PromQLException e = assertThrows(PromQLException.class, () -> fn("label_replace").call(args, ctx));
    assertEquals("invalid regular expression in label_replace(): (.*", e.getMessage());
  }

  @Test
  void labelReplaceOfNameKeepsTheName() {
    FakeContext ctx = new FakeContext(0);
    FunctionImpl f = fn("label_replace");
    Sample s = new Sample(Labels.of("__name__", "a", "x", "y"), 0, 1, true);
    Vector out = f.call(List.of(vec(s), new StringValue(0, "__name__"), new StringValue(0, "b"),
        new StringValue(0, "x"), new StringValue(0, ".*")), ctx);
    assertEquals("b", out.get(0).metric().metricName());
    assertEquals(false, out.get(0).dropName());
  }

  @Test
  void mathFunctionsDropNameAndSkipNothingForFloats() {
    FakeContext ctx = new FakeContext(0);
    Vector out = fn("abs").call(List.of(vec(new Sample(Labels.of("__name__", "m"), 0, -2))), ctx);
    assertEquals(2.0, out.get(0).f());
    assertTrue(out.get(0).dropName());
    assertTrue(fn("clamp").call(List.of(vec(new Sample(Labels.empty(), 0, 1)), new Scalar(0, 2), new Scalar(0, 1)), ctx)
        .isEmpty(), "max < min gives nothing");
  }

  @Test
  void dateFunctionsWithoutArgumentUseEvaluationTime() {
    FakeContext ctx = new FakeContext(1136239445_999L);
    assertEquals(2006.0, fn("year").call(List.of(), ctx).get(0).f());
    assertEquals(4.0, fn("minute").call(List.of(), ctx).get(0).f());
  }

  @Test
  void doubleExponentialSmoothingRejectsBadFactorsAsQueryError() {
    FakeContext ctx = new FakeContext(0);
    Matrix m = series(Labels.empty(), new long[] {1, 2}, new double[] {1, 2});
    PromQLException e = assertThrows(PromQLException.class, () -> fn("double_exponential_smoothing")
        .call(List.of(m, new Scalar(0, 0.5), new Scalar(0, 1)), ctx));
    assertEquals("invalid trend factor. Expected: 0 < tf < 1, got: 1.000000", e.getMessage());
  }

  @Test
  void scalarOfOneElementOrNaN() {
    FakeContext ctx = new FakeContext(0);
    assertEquals(3.0, fn("scalar").call(List.of(vec(new Sample(Labels.empty(), 0, 3))), ctx).get(0).f());
    assertTrue(Double.isNaN(fn("scalar").call(List.of(vec()), ctx).get(0).f()));
    assertTrue(Double.isNaN(fn("scalar").call(
        List.of(vec(new Sample(Labels.of("a", "1"), 0, 3), new Sample(Labels.of("a", "2"), 0, 4))), ctx).get(0).f()));
  }
}
