package dev.promkit.client.exposition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.exposition.ExpositionParser.Entry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExpositionParserTest {

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void roundTripsWriterOutputUnchanged(ExpositionFormat format) throws Exception {
    String written = Fixtures.write(format.writer(), Fixtures.allTypes());
    MetricSnapshots parsed = ExpositionParser.parseSnapshots(format, bytes(written));
    assertEquals(written, Fixtures.write(format.writer(), parsed));
  }

  @Test
  void openMetricsRoundTripKeepsCreatedExemplarsUnitsAndCumulativeBuckets() throws Exception {
    String written = Fixtures.write(ExpositionFormat.OPENMETRICS.writer(), Fixtures.allTypes());
    MetricSnapshots parsed = ExpositionParser.parseSnapshots(ExpositionFormat.OPENMETRICS, bytes(written));
    CounterSnapshot c = (CounterSnapshot) parsed.list().stream()
        .filter(s -> s.metadata().name().equals("http_requests")).findFirst().orElseThrow();
    assertEquals(1_700_000_000_000L, c.dataPoints().get(0).createdTimestampMillis());
    assertEquals(1_700_000_000_123L, c.dataPoints().get(0).exemplar().timestampMillis());
    assertEquals(Labels.of("trace_id", "abc"), c.dataPoints().get(0).exemplar().labels());
    HistogramSnapshot h = (HistogramSnapshot) parsed.list().stream()
        .filter(s -> s.metadata().name().equals("rpc_duration_seconds")).findFirst().orElseThrow();
    HistogramDataPoint p = h.dataPoints().get(0);
    assertEquals("seconds", h.metadata().unit());
    assertArrayEquals(new long[] {2, 3, 0, 1, 4}, p.counts());
    assertArrayEquals(new double[] {0.005, 1, 2.5, 1e6, Double.POSITIVE_INFINITY}, p.upperBounds());
    assertEquals(0.7, p.exemplars()[1].value());
    assertNull(p.exemplars()[0]);
  }

  @Test
  void cursorExposesEntriesOfText() throws Exception {
    ExpositionParser p = text("""
        # a free comment
        # HELP x_total Some \\\\ help\\nmore
        # TYPE x_total counter

        x_total{a="1",b="q\\"uo\\\\te\\n"}   12.5   1700000000000
        """);
    assertEquals(Entry.COMMENT, p.next());
    assertEquals(Entry.HELP, p.next());
    assertEquals("x_total", p.familyName());
    assertEquals("Some \\ help\nmore", p.help());
    assertEquals(Entry.TYPE, p.next());
    assertEquals(MetricType.COUNTER, p.type());
    assertEquals(Entry.SAMPLE, p.next());
    assertEquals(5, p.line());
    assertEquals("x_total", p.name());
    assertEquals(2, p.labelCount());
    assertEquals("b", p.labelName(1));
    assertEquals("q\"uo\\te\n", p.labelValue(1));
    assertEquals(12.5, p.value());
    assertTrue(p.hasTimestamp());
    assertEquals(1_700_000_000_000L, p.timestampMillis());
    assertEquals(Entry.END, p.next());
    assertEquals(Entry.END, p.next());
  }

  @Test
  void reusesStringsForRepeatedNamesAndValues() throws Exception {
    ExpositionParser p = text("a{job=\"x\"} 1\na{job=\"x\"} 2\n");
    p.next();
    String name = p.name();
    String value = p.labelValue(0);
    p.next();
    assertSame(name, p.name());
    assertSame(value, p.labelValue(0));
  }

  @Test
  void parsesOpenMetricsExemplarAndSecondsTimestamps() throws Exception {
    ExpositionParser p = om("""
        # TYPE foo counter
        foo_total{a="b"} 17 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67 1520879606.001
        # EOF
        """);
    assertEquals(Entry.TYPE, p.next());
    assertEquals(Entry.SAMPLE, p.next());
    assertEquals(1_520_879_607_789L, p.timestampMillis());
    assertTrue(p.hasExemplar());
    assertEquals("KOO5S4vxi0o", p.exemplarLabelValue(0));
    assertEquals(0.67, p.exemplarValue());
    assertEquals(1_520_879_606_001L, p.exemplarTimestampMillis());
    assertEquals(Entry.END, p.next());
  }

  @Test
  void parsesQuotedUtf8MetricAndLabelNames() throws Exception {
    ExpositionParser p = text("{\"my.metric\",\"host.name\"=\"h\"} 3\n");
    assertEquals(Entry.SAMPLE, p.next());
    assertEquals("my.metric", p.name());
    assertEquals("host.name", p.labelName(0));
  }

  @Test
  void parsesFloatsAsGoDoes() {
    assertEquals(1.5, parse("1.5"));
    assertEquals(-0.0, parse("-0"));
    assertEquals(1e-5, parse("1e-05"));
    assertEquals(1e6, parse("1E+06"));
    assertEquals(0.1, parse(".1"));
    assertEquals(5, parse("5."));
    assertEquals(Double.POSITIVE_INFINITY, parse("+Inf"));
    assertEquals(Double.NEGATIVE_INFINITY, parse("-inf"));
    assertEquals(1.7976931348623157e308, parse("1.7976931348623157e+308"));
    assertEquals(0.30000000000000004, parse("0.30000000000000004"));
    assertEquals(123456789012345678901234567890.0, parse("123456789012345678901234567890"));
    assertTrue(Double.isNaN(parse("1d")));
    assertTrue(Double.isNaN(parse("0x10")));
    assertTrue(Double.isNaN(parse("1e")));
    assertTrue(Double.isNaN(parse("--1")));
  }

  @Test
  void acceptsTrailingCommaAndBlanksInText() throws Exception {
    ExpositionParser p = text("a{ b = \"c\" , } 1 \n");
    assertEquals(Entry.SAMPLE, p.next());
    assertEquals("c", p.labelValue(0));
  }

  @Test
  void rejectsTextWithoutTrailingNewlineAsPrometheusDoes() {
    ExpositionParseException e = assertThrows(ExpositionParseException.class, () -> drain(text("a 1\nb 2")));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("newline"), e.getMessage());
  }

  @Test
  void rejectsOpenMetricsWithoutEof() {
    ExpositionParseException e = assertThrows(ExpositionParseException.class,
        () -> drain(om("# TYPE a gauge\na 1\n")));
    assertTrue(e.getMessage().contains("# EOF"), e.getMessage());
  }

  @Test
  void rejectsDataAfterEof() {
    assertThrows(ExpositionParseException.class, () -> drain(om("a 1\n# EOF\nb 2\n")));
  }

  @Test
  void rejectsDuplicateLabelNamesNamingLineAndColumn() {
    ExpositionParseException e = assertThrows(ExpositionParseException.class,
        () -> drain(text("ok 1\nx{a=\"1\",a=\"2\"} 1\n")));
    assertEquals("line 2, column 9: duplicate label name \"a\"", e.getMessage());
  }

  @Test
  void rejectsMissingEqualsAfterLabelName() {
    ExpositionParseException e = assertThrows(ExpositionParseException.class,
        () -> drain(text("\n\nx{job:\"a\"} 1\n")));
    assertEquals("line 3, column 6: expected '=' after label name \"job\", got ':'", e.getMessage());
  }

  @Test
  void rejectsBadFloats() {
    ExpositionParseException e = assertThrows(ExpositionParseException.class, () -> drain(text("x 1.2.3\n")));
    assertEquals("line 1, column 3: invalid sample value \"1.2.3\"", e.getMessage());
    assertThrows(ExpositionParseException.class, () -> drain(text("x Infinityy\n")));
    assertThrows(ExpositionParseException.class, () -> drain(text("x 1 12.5\n")));
  }

  @Test
  void rejectsInvalidNames() {
    assertThrows(ExpositionParseException.class, () -> drain(text("9x 1\n")));
    assertThrows(ExpositionParseException.class, () -> drain(text("x{9a=\"b\"} 1\n")));
    assertThrows(ExpositionParseException.class, () -> drain(text("x{a:b=\"c\"} 1\n")));
    assertThrows(ExpositionParseException.class, () -> drain(text("# TYPE x countr\n")));
  }

  @Test
  void rejectsInvalidUtf8InLabelValues() {
    byte[] body = {'x', '{', 'a', '=', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ' ', '1', '\n'};
    ExpositionParseException e = assertThrows(ExpositionParseException.class,
        () -> drain(ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, body, 0, body.length)));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void rejectsOpenMetricsLaxities() {
    assertThrows(ExpositionParseException.class, () -> drain(om("a  1\n# EOF\n")), "two spaces");
    assertThrows(ExpositionParseException.class, () -> drain(om("a{b=\"c\",} 1\n# EOF\n")), "trailing comma");
    assertThrows(ExpositionParseException.class, () -> drain(om("# free comment\n# EOF\n")), "comment");
    assertThrows(ExpositionParseException.class, () -> drain(om("a 1\n\n# EOF\n")), "blank line");
    assertThrows(ExpositionParseException.class, () -> drain(om("# TYPE a_seconds gauge\n# UNIT a_seconds bytes\n# EOF\n")),
        "unit not a suffix");
  }

  @Test
  void rejectsUnterminatedLabelValue() {
    ExpositionParseException e = assertThrows(ExpositionParseException.class, () -> drain(text("x{a=\"b} 1\n")));
    assertTrue(e.getMessage().startsWith("line 1, column 5: unterminated"), e.getMessage());
  }

  @Test
  void rejectsHistogramWithoutInfBucketWhenAssembling() {
    ExpositionParseException e = assertThrows(ExpositionParseException.class, () -> ExpositionParser.parseSnapshots(
        ExpositionFormat.PROMETHEUS_TEXT, bytes("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n")));
    assertTrue(e.getMessage().contains("+Inf"), e.getMessage());
  }

  @Test
  void givesUntypedSamplesTheirOwnFamily() throws Exception {
    MetricSnapshots s = ExpositionParser.parseSnapshots(ExpositionFormat.PROMETHEUS_TEXT,
        bytes("# TYPE a gauge\na 1\nb 2\nb{x=\"y\"} 3\n"));
    assertEquals(2, s.size());
    assertEquals("b", s.list().get(1).metadata().name());
    assertEquals(2, s.list().get(1).dataPoints().size());
    assertFalse(s.list().get(0).dataPoints().isEmpty());
  }

  private static double parse(String s) {
    byte[] b = bytes(s);
    return Lexing.parseFloat(b, 0, b.length);
  }

  private static void drain(ExpositionParser p) throws ExpositionParseException {
    while (p.next() != Entry.END) {
      // consume
    }
  }

  private static ExpositionParser text(String s) {
    byte[] b = bytes(s);
    return ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, b, 0, b.length);
  }

  private static ExpositionParser om(String s) {
    byte[] b = bytes(s);
    return ExpositionParser.create(ExpositionFormat.OPENMETRICS, b, 0, b.length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
