package dev.promkit.client.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatWriterTest {

  @Test
  void writesEveryTypeInPrometheusText() {
    String expected = """
        # HELP build_info Build information.
        # TYPE build_info gauge
        build_info{revision="abc",version="1.2.3"} 1
        # HELP feature Feature flags.
        # TYPE feature gauge
        feature{env="prod",feature="a"} 1
        feature{env="prod",feature="b"} 0
        # HELP gc_pause_seconds GC pauses.
        # TYPE gc_pause_seconds summary
        gc_pause_seconds{quantile="0.5"} 0.01
        gc_pause_seconds{quantile="0.99"} 0.125
        gc_pause_seconds_count 7
        gc_pause_seconds_sum 0.25
        # HELP http_requests_total Requests served.
        # TYPE http_requests_total counter
        http_requests_total{method="GET",path="/"} 3
        http_requests_total{method="POST",path="/"} 1e-05
        # TYPE legacy_thing untyped
        legacy_thing +Inf
        # HELP rpc_duration_seconds RPC latency.
        # TYPE rpc_duration_seconds histogram
        rpc_duration_seconds_bucket{service="auth",le="0.005"} 2
        rpc_duration_seconds_bucket{service="auth",le="1.0"} 5
        rpc_duration_seconds_bucket{service="auth",le="2.5"} 5
        rpc_duration_seconds_bucket{service="auth",le="1e+06"} 6
        rpc_duration_seconds_bucket{service="auth",le="+Inf"} 10
        rpc_duration_seconds_count{service="auth"} 10
        rpc_duration_seconds_sum{service="auth"} 1234.5
        # HELP temperature_celsius Temp \\\\ with "quotes"\\nand newline.
        # TYPE temperature_celsius gauge
        temperature_celsius{room="a\\"b\\\\c\\nd"} -12.5
        temperature_celsius{room="kitchen"} NaN 1700000000500
        """;
    assertEquals(expected, Fixtures.write(ExpositionFormat.PROMETHEUS_TEXT.writer(), Fixtures.allTypes()));
  }

  @Test
  void writesEveryTypeInOpenMetricsWithCreatedExemplarsAndUnits() {
    String expected = """
        # TYPE build info
        # HELP build Build information.
        build_info{revision="abc",version="1.2.3"} 1
        # TYPE feature stateset
        # HELP feature Feature flags.
        feature{env="prod",feature="a"} 1
        feature{env="prod",feature="b"} 0
        # TYPE gc_pause_seconds summary
        # HELP gc_pause_seconds GC pauses.
        gc_pause_seconds{quantile="0.5"} 0.01
        gc_pause_seconds{quantile="0.99"} 0.125
        gc_pause_seconds_count 7
        gc_pause_seconds_sum 0.25
        # TYPE http_requests counter
        # HELP http_requests Requests served.
        http_requests_total{method="GET",path="/"} 3 # {trace_id="abc"} 0.5 1700000000.123
        http_requests_created{method="GET",path="/"} 1700000000
        http_requests_total{method="POST",path="/"} 1e-05
        # TYPE legacy_thing unknown
        legacy_thing +Inf
        # TYPE rpc_duration_seconds histogram
        # UNIT rpc_duration_seconds seconds
        # HELP rpc_duration_seconds RPC latency.
        rpc_duration_seconds_bucket{service="auth",le="0.005"} 2
        rpc_duration_seconds_bucket{service="auth",le="1.0"} 5 # {trace_id="t1"} 0.7
        rpc_duration_seconds_bucket{service="auth",le="2.5"} 5
        rpc_duration_seconds_bucket{service="auth",le="1e+06"} 6
        rpc_duration_seconds_bucket{service="auth",le="+Inf"} 10
        rpc_duration_seconds_count{service="auth"} 10
        rpc_duration_seconds_sum{service="auth"} 1234.5
        rpc_duration_seconds_created{service="auth"} 1600000000
        # TYPE temperature_celsius gauge
        # UNIT temperature_celsius celsius
        # HELP temperature_celsius Temp \\\\ with \\"quotes\\"\\nand newline.
        temperature_celsius{room="a\\"b\\\\c\\nd"} -12.5
        temperature_celsius{room="kitchen"} NaN 1700000000.5
        # EOF
        """;
    assertEquals(expected, Fixtures.write(ExpositionFormat.OPENMETRICS.writer(), Fixtures.allTypes()));
  }

  @Test
  void formatsValuesAsPrometheusParsesThem() {
    assertEquals("0", value(0));
    assertEquals("-0", value(-0.0));
    assertEquals("123456789", value(123456789));
    assertEquals("1.5", value(1.5));
    assertEquals("-2.5e-07", value(-2.5e-7));
    assertEquals("0.0001", value(1e-4));
    assertEquals("1e+21", value(1e21));
    assertEquals("1.7976931348623157e+308", value(Double.MAX_VALUE));
    assertEquals("4.9e-324", value(Double.MIN_VALUE));
    assertEquals("-Inf", value(Double.NEGATIVE_INFINITY));
    assertEquals("NaN", value(Double.NaN));
  }

  @Test
  void formatsLabelFloatsCanonically() {
    assertEquals("1.0", canonical(1));
    assertEquals("0.0", canonical(0));
    assertEquals("100000.0", canonical(100000));
    assertEquals("1e+06", canonical(1e6));
    assertEquals("1.5e+07", canonical(1.5e7));
    assertEquals("0.1", canonical(0.1));
    assertEquals("1e-05", canonical(1e-5));
    assertEquals("-1.0", canonical(-1));
    assertEquals("+Inf", canonical(Double.POSITIVE_INFINITY));
  }

  @Test
  void writesOpenMetricsTimestampsAsSecondsWithoutRounding() throws IOException {
    assertEquals("1700000000.001", secs(1_700_000_000_001L));
    assertEquals("1700000000.01", secs(1_700_000_000_010L));
    assertEquals("-1.5", secs(-1500));
    assertEquals("-2", secs(-2000));
  }

  @Test
  void escapesNonLegacyNamesWithUnderscoresByDefault() {
    MetricSnapshots s = MetricSnapshots.of(new GaugeSnapshot(MetricMetadata.of("my.gauge", "h"),
        List.of(new GaugeDataPoint(Labels.of("host.name", "x", "9lives", "y"), 1))));
    assertEquals("""
        # HELP my_gauge h
        # TYPE my_gauge gauge
        my_gauge{_lives="y",host_name="x"} 1
        """, Fixtures.write(ExpositionFormat.PROMETHEUS_TEXT.writer(NameEscaping.UNDERSCORES), s));
  }

  @Test
  void quotesNonLegacyNamesWhenUtf8IsAllowed() {
    MetricSnapshots s = MetricSnapshots.of(new CounterSnapshot(MetricMetadata.of("my.counter", "h"),
        List.of(new CounterDataPoint(Labels.of("host.name", "x", "ok", "y"), 1))));
    assertEquals("""
        # TYPE "my.counter" counter
        # HELP "my.counter" h
        {"my.counter_total","host.name"="x",ok="y"} 1
        # EOF
        """, Fixtures.write(ExpositionFormat.OPENMETRICS.writer(NameEscaping.ALLOW_UTF8), s));
  }

  @Test
  void writesNonAsciiLabelValuesAsUtf8() {
    MetricSnapshots s = MetricSnapshots.of(new GaugeSnapshot(MetricMetadata.of("g"),
        List.of(new GaugeDataPoint(Labels.of("city", "Zürich \uD83D\uDE00 東京"), 1))));
    assertTrue(Fixtures.write(ExpositionFormat.PROMETHEUS_TEXT.writer(), s)
        .contains("g{city=\"Zürich \uD83D\uDE00 東京\"} 1\n"));
  }

  @Test
  void writesOutputLargerThanTheBufferIntact() {
    List<CounterDataPoint> points = new ArrayList<>();
    StringBuilder expected = new StringBuilder("# TYPE big_total counter\n");
    for (int i = 0; i < 5000; i++) {
      points.add(new CounterDataPoint(Labels.of("i", Integer.toString(i)), i));
      expected.append("big_total{i=\"").append(i).append("\"} ").append(i).append('\n');
    }
    MetricSnapshots s = MetricSnapshots.of(new CounterSnapshot(MetricMetadata.of("big"), points));
    assertEquals(expected.toString(), Fixtures.write(ExpositionFormat.PROMETHEUS_TEXT.writer(), s));
  }

  @Test
  void writesStringsLongerThanTheBufferWithEscapesAndSurrogatePairs() {
    String unit = "ab\"\\\n\u00e9\u6771\uD83D\uDE00";
    String escaped = "ab\\\"\\\\\\n\u00e9\u6771\uD83D\uDE00";
    String value = unit.repeat(5000);
    MetricSnapshots s = MetricSnapshots.of(new GaugeSnapshot(MetricMetadata.of("g"),
        List.of(new GaugeDataPoint(Labels.of("v", value), 1))));
    assertEquals("# TYPE g gauge\ng{v=\"" + escaped.repeat(5000) + "\"} 1\n",
        Fixtures.write(ExpositionFormat.PROMETHEUS_TEXT.writer(), s));
  }

  private static String value(double v) {
    return sink(s -> s.writeValue(v));
  }

  private static String canonical(double v) {
    return sink(s -> s.writeCanonicalFloat(v));
  }

  private static String secs(long ms) {
    return sink(s -> s.writeMillisAsSeconds(ms));
  }

  interface SinkAction {
    void apply(ByteSink s) throws IOException;
  }

  private static String sink(SinkAction a) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteSink s = new ByteSink(out, 64);
      a.apply(s);
      s.flush();
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
