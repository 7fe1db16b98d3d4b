package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The printer writes Prometheus' canonical form, and its output parses back to the same tree. */
class PrinterTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
    "sum by(job)(rate(x[5m]))|sum by (job) (rate(x[5m]))",
    "sum(x) without(a,b)|sum without (a, b) (x)",
    "sum without() (x)|sum without () (x)",
    "sum by() (x)|sum(x)",
    "topk(3,x)|topk(3, x)",
    "a+on(b)group_left(c)d|a + on (b) group_left (c) d",
    "a / ignoring(x) group_right e|a / ignoring (x) group_right () e",
    "a>bool b|a > bool b",
    "a and on() b|a and on () b",
    "a + fill(0) b|a + fill (0) b",
    "a + fill_left(1) fill_right(1) b|a + fill (1) b",
    "a + ignoring() group_left b|a + ignoring () group_left () b",
    "foo{b=\"1\",a=\"2\"}|foo{a=\"2\",b=\"1\"}",
    "x @ 10 smoothed offset 1m|x @ 10.000 smoothed offset 1m",
    "x[1m] offset 1m @ 10 anchored|x[1m] anchored @ 10.000 offset 1m",
    "a + fill_left(5) fill_right(7) b|a + fill_left (5) fill_right (7) b",
    "a + fill(1e6) b|a + fill (1e+06) b",
    "foo{a='b'}@100 offset 5m|foo{a=\"b\"} @ 100.000 offset 5m",
    "foo offset -1h30m|foo offset -1h30m",
    "foo[90s] @ start()|foo[1m30s] @ start()",
    "rate(x[5m] anchored)|rate(x[5m] anchored)",
    "x smoothed|x smoothed",
    "x[10m:]|x[10m:]",
    "x[1h:5m] offset 1d|x[1h:5m] offset 1d",
    "{\"my.metric\"}|{__name__=\"my.metric\"}",
    "{\"a.b\"=\"c\", x=\"y\"}|{\"a.b\"=\"c\",x=\"y\"}",
    "sum by (\"a.b\") (x)|sum by (\"a.b\") (x)",
    "-(1)|-(1)",
    "-foo|-foo",
    "1000000|1000000",
    "1e21|1000000000000000000000",
    "123456|123456",
    "0.0001|0.0001",
    "0.00001|0.00001",
    "-Inf|-Inf",
    "nan|NaN",
    "0x10|16",
    "'a\\nb'|\"a\\nb\"",
    "x[26m+4m]|x[26m + 4m]",
    "x[30m+0s]|x[30m + 0s]",
    "x offset (100 + 2)|x offset (100 + 2)",
    "x offset -step()|x offset -step()",
    "x[min_of(step()+1,1h)]|x[min_of(step() + 1, 1h)]",
    "x </ 2|x </ 2",
    "label_join(x,\"a\",\",\",\"b\")|label_join(x, \"a\", \",\", \"b\")"
  })
  void printsCanonicalForm(String query, String printed) {
    assertEquals(printed, Parser.parse(query).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "a - (b - c)", "(a - b) - c", "-1 ^ 2", "(-1) ^ 2", "2 ^ -1", "a or b and c unless d",
    "sum by (job) (x) / on (job) group_left (instance) count(y)",
    "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))",
    "max_over_time(rate(x[1m])[5m:30s] @ 1609746000 offset -2m)",
    "x @ -1.5", "x offset -2 ^ 2", "x offset step() * 0", "count_values(\"a\\xc5z\", v)",
    "quantile(0.5, {__name__=~\"foo|bar\", job!=\"\"})", "absent(nonexistent{job=\"a\"})",
    "1 == bool 2", "time() - 1m", "vector(1) > bool 0"
  })
  void roundTripsToTheSameTree(String query) {
    Expr e = Parser.parse(query);
    Expr again = Parser.parse(e.toString());
    assertEquals(Asts.strip(e), Asts.strip(again), e.toString());
    assertEquals(e.toString(), again.toString());
  }

  @Test
  void prettyKeepsShortQueriesOnOneLine() {
    assertEquals("sum by (job) (rate(x[5m]))",
        Printer.pretty(Parser.parse("sum by(job)(rate(x[5m]))")));
  }

  @Test
  void prettySplitsLongCallsOneArgumentPerLine() {
    String q = "label_replace(up{job=\"api-server\",service=\"a:c\",zone=\"a-very-long-zone-name\"},"
        + " \"foo\", \"$1\", \"service\", \"(.*):.*\")";
    assertEquals("label_replace(\n"
        + "  up{job=\"api-server\",service=\"a:c\",zone=\"a-very-long-zone-name\"},\n"
        + "  \"foo\",\n"
        + "  \"$1\",\n"
        + "  \"service\",\n"
        + "  \"(.*):.*\"\n"
        + ")", Printer.pretty(Parser.parse(q)));
  }

  @Test
  void prettySplitsLongBinaryAndAggregationExpressions() {
    String lhs = "sum by (job) (rate(http_requests_total{job=\"a-rather-long-job-name\"}[5m]))";
    String rhs = "sum by (job) (rate(http_requests_total{job=\"another-long-job-name\"}[5m]))";
    Expr e = Parser.parse(lhs + " / on (job) group_left " + rhs);
    assertEquals("  " + lhs + "\n/ on (job) group_left ()\n  " + rhs, Printer.pretty(e));
    String longSum = "sum without (instance) (" + lhs + " + " + rhs + ")";
    assertEquals("sum without (instance) (\n"
        + "    " + lhs + "\n"
        + "  +\n"
        + "    " + rhs + "\n"
        + ")", Printer.pretty(Parser.parse(longSum)));
  }

  @Test
  void formatsDurationsWithLargestUnitsFirst() {
    assertEquals("1y2w3d4h5m6s7ms", Printer.formatDuration(
        365L * 86400000 + 14L * 86400000 + 3L * 86400000 + 4L * 3600000 + 5L * 60000 + 6007));
    assertEquals("0s", Printer.formatDuration(0));
    assertEquals("-5m", Printer.formatDuration(-300000));
  }

  @Test
  void numbersPrintGoShortestDigitsWhereJdk17DoesNot() {
    // JDK 17 Double.toString(1e23) is 9.999999999999999E22; Go prints these digits.
    assertEquals("100000000000000000000000", Printer.formatPlain(1e23));
    assertEquals("282879384806159000", Printer.formatPlain(2.82879384806159e17));
    assertEquals("1e+23", Printer.formatNumber(1e23));
    assertEquals("-2.82879384806159e+17", Printer.formatNumber(-2.82879384806159e17));
  }
}
