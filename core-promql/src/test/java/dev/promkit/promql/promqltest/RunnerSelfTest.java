package dev.promkit.promql.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runner must catch broken expectations: each script below is a correct one mutated on purpose
 * (DESIGN.md: a wrong value, an extra or a missing series, a wrong error text, a wrong order under
 * {@code expect ordered}) and must be reported as failed, with the line and the reason.
 */
class RunnerSelfTest {
  private static final String LOAD = String.join("\n",
      "load 5m",
      "  http_requests{job=\"api\", instance=\"0\"} 0+10x10",
      "  http_requests{job=\"api\", instance=\"1\"} 0+20x10",
      "  http_requests{job=\"db\", instance=\"0\"} 0+30x10",
      "");

  private static EvalResult only(String script) {
    ScriptResult r = PromqlTestRunner.create().run("self.test", script);
    assertEquals(1, r.evals().size(), r.failureReport());
    return r.evals().get(0);
  }

  private static EvalResult failing(String script) {
    EvalResult e = only(script);
    assertFalse(e.passed(), "mutated script must fail: " + script);
    return e;
  }

  @Test
  void correctScriptPasses() {
    EvalResult e = only(LOAD + "\neval instant at 50m sum by (job) (http_requests)\n"
        + "  {job=\"api\"} 300\n  {job=\"db\"} 300\n");
    assertTrue(e.passed(), e.toString());
  }

  @Test
  void wrongValueIsReported() {
    EvalResult e = failing(LOAD + "\neval instant at 50m sum by (job) (http_requests)\n"
        + "  {job=\"api\"} 301\n  {job=\"db\"} 300\n");
    assertTrue(e.message().contains("expected 301") && e.message().contains("got 300"), e.message());
    assertEquals(6, e.line());
  }

  @Test
  void extraSeriesInResultIsReported() {
    EvalResult e = failing(LOAD + "\neval instant at 50m sum by (job) (http_requests)\n  {job=\"api\"} 300\n");
    assertTrue(e.message().contains("unexpected series {job=\"db\"}"), e.message());
  }

  @Test
  void missingSeriesIsReported() {
    EvalResult e = failing(LOAD + "\neval instant at 50m sum by (job) (http_requests)\n"
        + "  {job=\"api\"} 300\n  {job=\"db\"} 300\n  {job=\"web\"} 1\n");
    assertTrue(e.message().contains("missing series {job=\"web\"}"), e.message());
  }

  @Test
  void wrongErrorTextIsReported() {
    String ok = "\neval instant at 50m topk(NaN, http_requests)\n  expect fail msg: Parameter value is NaN\n";
    assertTrue(only(LOAD + ok).passed());
    EvalResult e = failing(LOAD + ok.replace("is NaN", "is nan"));
    assertTrue(e.message().contains("expected error \"Parameter value is nan\""), e.message());
  }

  @Test
  void missingErrorIsReported() {
    EvalResult e = failing(LOAD + "\neval instant at 50m sum(http_requests)\n  expect fail\n");
    assertTrue(e.message().startsWith("expected an error"), e.message());
  }

  @Test
  void wrongOrderUnderExpectOrderedIsReported() {
    String ok = "\neval instant at 50m sort_desc(http_requests)\n  expect ordered\n"
        + "  http_requests{job=\"db\", instance=\"0\"} 300\n"
        + "  http_requests{job=\"api\", instance=\"1\"} 200\n"
        + "  http_requests{job=\"api\", instance=\"0\"} 100\n";
    assertTrue(only(LOAD + ok).passed(), only(LOAD + ok).toString());
    String swapped = "\neval instant at 50m sort_desc(http_requests)\n  expect ordered\n"
        + "  http_requests{job=\"api\", instance=\"1\"} 200\n"
        + "  http_requests{job=\"db\", instance=\"0\"} 300\n"
        + "  http_requests{job=\"api\", instance=\"0\"} 100\n";
    EvalResult e = failing(LOAD + swapped);
    assertTrue(e.message().contains("position 1"), e.message());
    // Without "expect ordered" the same lines in any order pass.
    assertTrue(only(LOAD + swapped.replace("  expect ordered\n", "")).passed());
  }

  @Test
  void wrongRangeValueIsReported() {
    EvalResult e = failing(LOAD + "\neval range from 0 to 10m step 5m sum(http_requests)\n  {} 0 60 121\n");
    assertTrue(e.message().contains("expected"), e.message());
  }

  @Test
  void scalarVersusVectorIsReported() {
    assertTrue(only("eval instant at 0m 1 + 1\n  2\n").passed());
    assertFalse(only("eval instant at 0m 1 + 1\n  {} 2\n").passed());
    assertFalse(only("eval instant at 0m vector(2)\n  2\n").passed());
  }

  @Test
  void staleMarkerEqualsOnlyStaleMarker() {
    double stale = SeriesDesc.STALE_NAN;
    assertTrue(PromqlTestRunner.almostEqual(stale, stale));
    assertFalse(PromqlTestRunner.almostEqual(Double.NaN, stale));
    assertTrue(PromqlTestRunner.almostEqual(Double.NaN, Double.NaN));
    assertTrue(PromqlTestRunner.almostEqual(1.0, 1.0 + 1e-9));
    assertFalse(PromqlTestRunner.almostEqual(1.0, 1.0 + 1e-5));
    assertFalse(PromqlTestRunner.almostEqual(0.0, 1e-300));
  }

  @Test
  void missingWarningIsReported() {
    EvalResult e = failing(LOAD + "\neval instant at 50m sum(http_requests)\n  expect warn\n  {} 600\n");
    assertTrue(e.message().contains("expected warning"), e.message());
  }

  @Test
  void unexpectedInfoUnderNoInfoIsReported() {
    EvalResult e = failing(LOAD + "\neval instant at 50m rate(http_requests[10m])\n  expect no_info\n"
        + "  {job=\"api\", instance=\"0\"} 0.03333333333333333\n"
        + "  {job=\"api\", instance=\"1\"} 0.06666666666666667\n"
        + "  {job=\"db\", instance=\"0\"} 0.1\n");
    assertTrue(e.message().contains("metric might not be a counter"), e.message());
  }

  @Test
  void valueNotationExpandsAsTheCorpusDefines() {
    assertEquals(List.of(0.0, 10.0, 20.0), SeriesDesc.parseValues("0+10x2"));
    assertEquals(List.of(5.0, 5.0, 5.0, 5.0), SeriesDesc.parseValues("5x3"));
    assertEquals(List.of(-1.0, -3.0, -5.0), SeriesDesc.parseValues("-1-2x2"));
    assertEquals(3, SeriesDesc.parseValues("_x3").size());
    assertEquals(11, SeriesDesc.parseValues("0x10").size());
    assertEquals(SeriesDesc.HISTOGRAM, SeriesDesc.parseValues("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}x2").get(2));
    assertTrue(Double.isInfinite((Double) SeriesDesc.parseValues("-Inf").get(0)));
  }

  @Test
  void malformedScriptNamesFileAndLine() {
    ScriptException e = assertThrows(ScriptException.class,
        () -> PromqlTestRunner.create().run("bad.test", "load 5m\n  metric 1 2\n\nfrobnicate now\n"));
    assertTrue(e.getMessage().startsWith("bad.test:4:"), e.getMessage());
  }

  @Test
  void histogramExpectationsFailCleanly() {
    EvalResult e = failing("load 5m\n  h {{schema:0 sum:5 count:4 buckets:[1 2 1]}}x2\n\n"
        + "eval instant at 5m h\n  h {{schema:0 sum:5 count:4 buckets:[1 2 1]}}\n");
    assertTrue(e.message().startsWith(PromqlTestRunner.NO_HISTOGRAMS), e.message());
  }
}
