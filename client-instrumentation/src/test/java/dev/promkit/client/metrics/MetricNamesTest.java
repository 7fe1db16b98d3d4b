package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "_x", "ns:sub_name", "Abc09_:x", ":colon"})
  void acceptsLegacyMetricNames(String name) {
    assertDoesNotThrow(() -> Gauge.builder().name(name).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0abc", "a-b", "a b", "ünï", "a.b"})
  void rejectsInvalidMetricNamesQuotingThem(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gauge.builder().name(name).build());
    assertTrue(e.getMessage().contains("metric name"), e.getMessage());
  }

  @Test
  void rejectsReservedDoubleUnderscorePrefix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Counter.builder().name("__name").build());
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Counter.builder().name("x").labelNames("__l").build());
  }

  @Test
  void rejectsMissingName() {
    assertThrows(IllegalStateException.class, () -> Counter.builder().help("h").build());
    assertThrows(IllegalArgumentException.class, () -> Counter.builder().name("_total").build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0a", "a:b", "a-b", ""})
  void rejectsInvalidLabelNamesNamingTheMetric(String label) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Counter.builder().name("requests").labelNames(label).build());
    assertTrue(e.getMessage().startsWith("requests"), e.getMessage());
  }

  @Test
  void rejectsDuplicateLabelNames() {
    assertThrows(IllegalArgumentException.class, () -> Gauge.builder().name("g").labelNames("a", "a").build());
  }

  @Test
  void reservesLeForHistogramsAndQuantileForSummaries() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Histogram.builder().name("h").labelNames("le").build());
    assertTrue(e.getMessage().contains("reserved for histograms"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Summary.builder().name("s").labelNames("quantile").build());
    assertTrue(e.getMessage().contains("reserved for summaries"), e.getMessage());
    assertDoesNotThrow(() -> Gauge.builder().name("g").labelNames("le", "quantile").build());
  }

  @Test
  void unitMustEndTheName() {
    assertDoesNotThrow(() -> Counter.builder().name("read_bytes_total").unit("bytes").build());
    assertDoesNotThrow(() -> Histogram.builder().name("latency_seconds").unit("seconds").build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gauge.builder().name("latency").unit("seconds").build());
    assertTrue(e.getMessage().contains("_seconds"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Gauge.builder().name("x_s-1").unit("s-1").build());
  }
}
