package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What the parser builds, checked against Prometheus' behaviour. */
class ParserTest {
  private static Expr p(String q) {
    return Parser.parse(q);
  }

  private static Expr stripped(String q) {
    return Asts.strip(p(q));
  }

  private static double number(String q) {
    return assertInstanceOf(NumberLiteral.class, p(q)).value();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "1|1", ".5|0.5", "5.|5", "123.4567|123.4567", "5e-3|0.005", "5e3|5000", "12.34e+6|12340000",
    "0xc|12", "0x1F|31", "0755|493", "-0755|-493", "+5.5e-3|0.0055", "1_000|1000",
    "09|9", "1m|60", "1h30m|5400", "500ms|0.5", "- - 3|3"
  })
  void readsNumberLiteralsAsGoDoes(String query, double expected) {
    assertEquals(expected, number(query));
  }

  @Test
  void readsInfAndNanInAnyCase() {
    assertEquals(Double.POSITIVE_INFINITY, number("+Inf"));
    assertEquals(Double.POSITIVE_INFINITY, number("inF"));
    assertEquals(Double.NEGATIVE_INFINITY, number("-inf"));
    assertTrue(Double.isNaN(number("NaN")));
    assertTrue(Double.isNaN(number("nan")));
  }

  @Test
  void foldsUnaryMinusIntoNumberLiteralsOnly() {
    NumberLiteral n = assertInstanceOf(NumberLiteral.class, p("-1"));
    assertEquals(new PositionRange(0, 2), n.positionRange());
    UnaryExpr u = assertInstanceOf(UnaryExpr.class, p("-(1)"));
    assertEquals(TokenType.SUB, u.op());
    assertInstanceOf(UnaryExpr.class, p("-foo"));
  }

  @Test
  void powerBindsTighterThanUnaryMinus() {
    UnaryExpr u = assertInstanceOf(UnaryExpr.class, p("-1^2"));
    BinaryExpr pow = assertInstanceOf(BinaryExpr.class, u.expr());
    assertEquals(TokenType.POW, pow.op());
  }

  @Test
  void unaryMinusBindsTighterThanMultiplication() {
    BinaryExpr mul = assertInstanceOf(BinaryExpr.class, p("-a * b"));
    assertEquals(TokenType.MUL, mul.op());
    assertInstanceOf(UnaryExpr.class, mul.lhs());
  }

  @Test
  void multiplicationBindsTighterThanAddition() {
    BinaryExpr add = assertInstanceOf(BinaryExpr.class, p("a + b * c"));
    assertEquals(TokenType.ADD, add.op());
    assertEquals(TokenType.MUL, assertInstanceOf(BinaryExpr.class, add.rhs()).op());
  }

  @Test
  void powerIsRightAssociativeAndSubtractionLeftAssociative() {
    BinaryExpr pow = assertInstanceOf(BinaryExpr.class, p("a ^ b ^ c"));
    assertInstanceOf(VectorSelector.class, pow.lhs());
    assertInstanceOf(BinaryExpr.class, pow.rhs());
    BinaryExpr sub = assertInstanceOf(BinaryExpr.class, p("a - b - c"));
    assertInstanceOf(BinaryExpr.class, sub.lhs());
    assertInstanceOf(VectorSelector.class, sub.rhs());
  }

  @Test
  void orIsLowestThenAndUnlessThenComparisons() {
    BinaryExpr or = assertInstanceOf(BinaryExpr.class, p("a or b and c"));
    assertEquals(TokenType.LOR, or.op());
    assertEquals(TokenType.LAND, assertInstanceOf(BinaryExpr.class, or.rhs()).op());
    BinaryExpr unless = assertInstanceOf(BinaryExpr.class, p("a > b unless c"));
    assertEquals(TokenType.LUNLESS, unless.op());
    BinaryExpr eq = assertInstanceOf(BinaryExpr.class, p("a == b + c"));
    assertEquals(TokenType.EQLC, eq.op());
    BinaryExpr atan = assertInstanceOf(BinaryExpr.class, p("a + b atan2 c"));
    assertEquals(TokenType.ADD, atan.op());
  }

  @Test
  void scalarBinaryHasNoVectorMatchingAndScalarType() {
    BinaryExpr b = assertInstanceOf(BinaryExpr.class, p("1 + 2"));
    assertNull(b.matching());
    assertEquals(ValueType.SCALAR, b.type());
    assertNull(assertInstanceOf(BinaryExpr.class, p("foo * 2")).matching());
  }

  @Test
  void readsVectorMatchingModifiers() {
    BinaryExpr b = assertInstanceOf(BinaryExpr.class, p("a + on(b, c) group_left(d) e"));
    VectorMatching vm = b.matching();
    assertEquals(VectorMatching.Cardinality.MANY_TO_ONE, vm.card());
    assertTrue(vm.on());
    assertEquals(List.of("b", "c"), vm.matchingLabels());
    assertEquals(List.of("d"), vm.include());
    VectorMatching right = ((BinaryExpr) p("a / ignoring(x) group_right e")).matching();
    assertEquals(VectorMatching.Cardinality.ONE_TO_MANY, right.card());
    assertFalse(right.on());
    assertEquals(List.of(), right.include());
    assertEquals(VectorMatching.Cardinality.ONE_TO_ONE, ((BinaryExpr) p("a - b")).matching().card());
  }

  @Test
  void setOperatorsAreManyToMany() {
    assertEquals(VectorMatching.Cardinality.MANY_TO_MANY,
        ((BinaryExpr) p("a and on(x) b")).matching().card());
    assertEquals(VectorMatching.Cardinality.MANY_TO_MANY,
        ((BinaryExpr) p("a or b")).matching().card());
  }

  @Test
  void readsBoolModifier() {
    BinaryExpr b = assertInstanceOf(BinaryExpr.class, p("a > bool on(x) b"));
    assertTrue(b.returnBool());
    assertTrue(b.matching().on());
    assertTrue(((BinaryExpr) p("1 == bool 1")).returnBool());
  }

  @Test
  void readsFillModifiers() {
    VectorMatching both = ((BinaryExpr) p("a + fill(0) b")).matching();
    assertEquals(0.0, both.fillLeft());
    assertEquals(0.0, both.fillRight());
    VectorMatching sides = ((BinaryExpr) p("a + on(j) group_left fill_left(5) fill_right(-7) b"))
        .matching();
    assertEquals(5.0, sides.fillLeft());
    assertEquals(-7.0, sides.fillRight());
    assertEquals(VectorMatching.Cardinality.MANY_TO_ONE, sides.card());
    assertTrue(Double.isNaN(((BinaryExpr) p("a == bool fill(NaN) b")).matching().fillLeft()));
  }

  @Test
  void aggregationGroupingMayComeBeforeOrAfterTheArguments() {
    assertEquals(stripped("sum by (job) (x)"), stripped("sum(x) by (job)"));
    AggregateExpr a = assertInstanceOf(AggregateExpr.class, p("sum without (a, b,) (x)"));
    assertTrue(a.without());
    assertEquals(List.of("a", "b"), a.grouping());
    assertEquals(new PositionRange(0, 18), p("sum(x) by (job, i)").positionRange());
  }

  @Test
  void aggregationsWithParameterKeepIt() {
    AggregateExpr top = assertInstanceOf(AggregateExpr.class, p("topk(3, x)"));
    assertEquals(3.0, assertInstanceOf(NumberLiteral.class, top.param()).value());
    AggregateExpr cv = assertInstanceOf(AggregateExpr.class, p("count_values(\"v\", x)"));
    assertEquals("v", assertInstanceOf(StringLiteral.class, cv.param()).value());
    assertNotNull(((AggregateExpr) p("limit_ratio(0.5, x)")).param());
    assertNull(((AggregateExpr) p("group(x)")).param());
  }

  @Test
  void keywordsAndAggregatorNamesWorkAsMetricNames() {
    for (String name : new String[] {"sum", "by", "offset", "and", "start", "step", "without"}) {
      VectorSelector vs = assertInstanceOf(VectorSelector.class, p(name), name);
      assertEquals(name, vs.name());
    }
    assertEquals("sum", ((VectorSelector) p("sum{a=\"b\"}")).name());
  }

  @Test
  void selectorAppendsNameMatcherLast() {
    VectorSelector vs = assertInstanceOf(VectorSelector.class, p("foo{a=\"b\", c!~'d.*',}"));
    assertEquals("foo", vs.name());
    assertEquals(List.of(LabelMatcher.eq("a", "b"), LabelMatcher.nre("c", "d.*"),
        LabelMatcher.eq("__name__", "foo")), vs.matchers());
    assertEquals(new PositionRange(0, 21), vs.positionRange());
  }

  @Test
  void readsMetricNamesWithColons() {
    assertEquals("node_namespace_pod:kube_pod_info:",
        ((VectorSelector) p("node_namespace_pod:kube_pod_info:")).name());
  }

  @Test
  void readsQuotedUtf8MetricAndLabelNames() {
    VectorSelector vs = assertInstanceOf(VectorSelector.class, p("{\"my.metric\", \"a.b\"=\"c\"}"));
    assertEquals("", vs.name());
    assertEquals(List.of(LabelMatcher.eq("__name__", "my.metric"), LabelMatcher.eq("a.b", "c")),
        vs.matchers());
    assertEquals(List.of("foo.bar", "x"),
        ((AggregateExpr) p("sum by (\"foo.bar\", x) (y)")).grouping());
  }

  @Test
  void readsRangesWithUnitsAndUnitlessSeconds() {
    assertEquals(300_000, ((MatrixSelector) p("x[5m]")).rangeMs());
    assertEquals(90_000, ((MatrixSelector) p("x[1m30s]")).rangeMs());
    assertEquals(10_000, ((MatrixSelector) p("x[10]")).rangeMs());
    assertNull(((MatrixSelector) p("x[5m]")).rangeExpr());
  }

  @Test
  void readsSubqueriesWithAndWithoutStep() {
    SubqueryExpr s = assertInstanceOf(SubqueryExpr.class, p("rate(x[5m])[10m:1m]"));
    assertEquals(600_000, s.rangeMs());
    assertEquals(60_000, s.stepMs());
    assertInstanceOf(Call.class, s.expr());
    assertEquals(0, ((SubqueryExpr) p("x[10m:]")).stepMs());
  }

  @Test
  void offsetsAndAtModifiersLandOnTheSelector() {
    VectorSelector vs = assertInstanceOf(VectorSelector.class, p("foo offset -5m @ 1.5"));
    assertEquals(-300_000, vs.offsetMs());
    assertEquals(1500L, vs.timestampMs());
    assertEquals(new PositionRange(0, 20), vs.positionRange());
    MatrixSelector ms = assertInstanceOf(MatrixSelector.class, p("foo[5m] @ start() offset 1m"));
    assertEquals(AtPreprocessor.START, ms.vectorSelector().startOrEnd());
    assertEquals(60_000, ms.vectorSelector().offsetMs());
    SubqueryExpr sq = assertInstanceOf(SubqueryExpr.class, p("x[5m:] @ end() offset 10s"));
    assertEquals(AtPreprocessor.END, sq.startOrEnd());
    assertEquals(10_000, sq.offsetMs());
    assertEquals(100_000L, ((VectorSelector) p("x @ 1m40s")).timestampMs());
    assertEquals(-100_000L, ((VectorSelector) p("x @ -100")).timestampMs());
  }

  @Test
  void roundsAtTimestampsToMillisecondsHalfAwayFromZero() {
    assertEquals(3333L, ((VectorSelector) p("foo @ 3.3333")).timestampMs());
    assertEquals(3334L, ((VectorSelector) p("foo @ 3.3335")).timestampMs());
    assertEquals(300L, ((VectorSelector) p("foo @ .3")).timestampMs());
    assertEquals(10_000L, ((VectorSelector) p("foo @ 0xA")).timestampMs());
    assertEquals(-33_000L, ((VectorSelector) p("foo @ -3.3e1")).timestampMs());
  }

  @Test
  void parenthesisedDurationsNeedNoFeatureFlag() {
    Parser plain = new Parser();
    MatrixSelector ms = (MatrixSelector) plain.parseExpr("foo[(5s)]");
    assertEquals(5_000, ms.rangeMs());
    assertEquals(-5_000, ((VectorSelector) plain.parseExpr("foo offset -(5)")).offsetMs());
  }

  @Test
  void quotedNamesMayHoldEscapes() {
    VectorSelector vs = (VectorSelector) p("{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}");
    assertEquals(List.of(LabelMatcher.eq("__name__", "foo'bar"),
        LabelMatcher.eq("a\\dos\\path", "boo\\urns")), vs.matchers());
  }

  @Test
  void anchoredAndSmoothedLandOnTheSelector() {
    MatrixSelector ms = (MatrixSelector) ((Call) p("rate(x[5m] anchored)")).args().get(0);
    assertTrue(ms.vectorSelector().anchored());
    VectorSelector vs = assertInstanceOf(VectorSelector.class, p("x offset -100 smoothed"));
    assertTrue(vs.smoothed());
    assertEquals(-100_000, vs.offsetMs());
  }

  @Test
  void offsetTakesOnlyTheNextDurationTermLikePrometheus() {
    // metric offset 100 + 2 is (metric offset 100) + 2 (duration_expression.test)
    BinaryExpr b = assertInstanceOf(BinaryExpr.class, p("metric offset 100 + 2"));
    assertEquals(100_000, ((VectorSelector) b.lhs()).offsetMs());
    BinaryExpr pow = assertInstanceOf(BinaryExpr.class, p("metric offset -2 ^ 2"));
    assertEquals(-2_000, ((VectorSelector) pow.lhs()).offsetMs());
    VectorSelector paren = assertInstanceOf(VectorSelector.class, p("metric offset (2 * 2)"));
    assertEquals(4_000, paren.offsetMs());
    assertInstanceOf(DurationExpr.Paren.class, paren.offsetExpr());
    BinaryExpr step = assertInstanceOf(BinaryExpr.class, p("metric offset step()*0"));
    assertInstanceOf(DurationExpr.Step.class, ((VectorSelector) step.lhs()).offsetExpr());
  }

  @Test
  void durationExpressionsAreKeptAndEvaluatedPerQuery() {
    MatrixSelector ms = (MatrixSelector) ((Call) p("count_over_time(m[1+(STep()-5)*2])")).args()
        .get(0);
    assertFalse(ms.rangeExpr().isConstant());
    assertEquals(11_000, ms.rangeMs(10_000, 0));
    MatrixSelector constant = (MatrixSelector) ((Call) p("changes(m[30m1s-30m1s % 1m])")).args()
        .get(0);
    assertEquals(1_800_000, constant.rangeMs());
    assertTrue(constant.rangeExpr().isConstant());
    SubqueryExpr sq = assertInstanceOf(SubqueryExpr.class,
        p("m[29s+1s:((((8 - 2) / 3) * 7s) % 4) + 8000ms]"));
    assertEquals(30_000, sq.rangeMs());
    assertEquals(10_000, sq.stepMs());
    SubqueryExpr steps = (SubqueryExpr) p("m[step()*10:step()] offset -step()");
    assertEquals(50_000, steps.rangeMs(5_000, 0));
    assertEquals(5_000, steps.stepMs(5_000, 0));
    assertEquals(-5_000, steps.offsetMs(5_000, 0));
    assertEquals(-5_000, ((VectorSelector) p("m offset -step()")).offsetMs(5_000, 0));
    VectorSelector vs = (VectorSelector) p("m offset min_of(range(), 8s)");
    assertEquals(8_000, vs.offsetExpr().toMillis(5_000, 10_000, true));
    assertEquals(3_000, vs.offsetExpr().toMillis(5_000, 3_000, true));
  }

  @Test
  void readsStringsWithGoEscapes() {
    assertEquals("A\u00e9A\n\t\"", ((StringLiteral) p("\"\\x41\\u00e9\\101\\n\\t\\\"\"")).value());
    assertEquals("it's", ((StringLiteral) p("'it\\'s'")).value());
    assertEquals("raw\\n", ((StringLiteral) p("`raw\\n`")).value());
    assertEquals("\uD83D\uDE00", ((StringLiteral) p("\"\\U0001F600\"")).value());
  }

  @Test
  void keepsInvalidUtf8BytesAsSurrogateEscapes() {
    AggregateExpr a = (AggregateExpr) p("count_values(\"a\\xc5z\", version)");
    String v = ((StringLiteral) a.param()).value();
    assertFalse(GoStrings.isValidUtf8(v));
    assertEquals("\"a\\xc5z\"", GoStrings.quote(v));
  }

  @Test
  void readsFunctionCallsFromTheTable() {
    Call c = assertInstanceOf(Call.class, p("label_join(x, \"a\", \",\", \"b\", \"c\")"));
    assertEquals(Function.LABEL_JOIN, c.function());
    assertEquals(5, c.args().size());
    assertEquals(Function.ROUND, ((Call) p("round(x)")).function());
    assertEquals(Function.STEP, ((Call) p("step()")).function());
    assertEquals(ValueType.SCALAR, p("min_of(3, 5)").type());
    assertEquals(ValueType.SCALAR, p("time()").type());
    assertEquals(new PositionRange(0, 11), p("rate(x[1m])").positionRange());
  }

  @Test
  void parsesSeriesSelectorsForTheHttpApi() {
    Parser parser = new Parser();
    assertEquals(List.of(LabelMatcher.eq("job", "api"), LabelMatcher.eq("__name__", "up")),
        parser.parseMetricSelector("up{job=\"api\"}"));
    assertEquals(List.of(LabelMatcher.re("__name__", "http_.*")),
        parser.parseMetricSelector("{__name__=~\"http_.*\"}"));
    assertEquals("1:1: parse error: vector selector must contain at least one non-empty matcher",
        org.junit.jupiter.api.Assertions.assertThrows(ParseException.class,
            () -> parser.parseMetricSelector("{a=~\".*\"}")).getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(ParseException.class,
        () -> parser.parseMetricSelector("up offset 5m"));
    org.junit.jupiter.api.Assertions.assertThrows(ParseException.class,
        () -> parser.parseMetricSelector("rate(up[5m])"));
  }

  @Test
  void groupingAcceptsKeywordsAndColonNamesAsLabels() {
    assertEquals(List.of("and", "by", "avg", "count", "alert", "annotations", "a:b"),
        ((AggregateExpr) p("sum without(and, by, avg, count, alert, annotations, a:b)(x)"))
            .grouping());
  }

  @Test
  void fillIsAMetricNameUnlessFollowedByAParenthesis() {
    BinaryExpr b = assertInstanceOf(BinaryExpr.class, p("fill + fill"));
    assertEquals("fill", ((VectorSelector) b.lhs()).name());
    assertNull(b.matching().fillLeft());
  }

  @Test
  void convertsLiteralDurationsThroughNanosecondsLikeGo() {
    assertEquals(4_018, ((MatrixSelector) p("foo[4.018]")).rangeMs());
    assertEquals(4_180, ((MatrixSelector) p("foo[4.18]")).rangeMs());
    assertEquals(-4_018, ((VectorSelector) p("foo offset -4.018")).offsetMs());
  }

  @Test
  void ignoresComments() {
    assertEquals(stripped("foo"), stripped("foo # a comment"));
  }

  @Test
  void readsHistogramTrimOperatorsAtMultiplicationLevel() {
    BinaryExpr b = assertInstanceOf(BinaryExpr.class, p("h </ 2 + 1"));
    assertEquals(TokenType.ADD, b.op());
    assertEquals(TokenType.TRIM_UPPER, ((BinaryExpr) b.lhs()).op());
    assertEquals(TokenType.TRIM_LOWER, ((BinaryExpr) p("h >/ on(l) f")).op());
  }

  @Test
  void walkVisitsEveryNodeInSourceOrder() {
    StringBuilder sb = new StringBuilder();
    p("topk(2, rate(x[5m]) + y)").walk(e -> sb.append(e.getClass().getSimpleName()).append(' '));
    assertEquals("AggregateExpr NumberLiteral BinaryExpr Call MatrixSelector VectorSelector "
        + "VectorSelector ", sb.toString());
  }
}
