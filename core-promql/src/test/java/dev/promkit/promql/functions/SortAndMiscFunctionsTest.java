package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.value.Sample;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortAndMiscFunctionsTest {
  @Test
  void naturalOrderComparesDigitRunsAsNumbers() {
    assertTrue(SortFunctions.naturalLess("4m5", "4m600"));
    assertTrue(SortFunctions.naturalLess("4m600", "4m1000"));
    assertTrue(SortFunctions.naturalLess("1.2.3", "1.11.3"));
    assertTrue(SortFunctions.naturalLess("1.11.3", "1.111.3"));
    assertTrue(SortFunctions.naturalLess("a", "ab"));
    assertFalse(SortFunctions.naturalLess("ab", "a"));
    assertFalse(SortFunctions.naturalLess("a", "a"));
    assertTrue(SortFunctions.naturalLess("A", "a"));
  }

  @Test
  void valueSortsPutNaNLastBothWays() {
    List<Sample> s = new ArrayList<>();
    s.add(new Sample(Labels.of("i", "1"), 0, Double.NaN));
    s.add(new Sample(Labels.of("i", "2"), 0, 3));
    s.add(new Sample(Labels.of("i", "3"), 0, 1));
    s.sort(SortFunctions.BY_VALUE);
    assertEquals(List.of(1.0, 3.0), List.of(s.get(0).f(), s.get(1).f()));
    assertTrue(Double.isNaN(s.get(2).f()));
    s.sort(SortFunctions.BY_VALUE_DESC);
    assertEquals(List.of(3.0, 1.0), List.of(s.get(0).f(), s.get(1).f()));
    assertTrue(Double.isNaN(s.get(2).f()));
  }

  @Test
  void sortByLabelBreaksTiesOnFullLabelSet() {
    List<Sample> s = new ArrayList<>();
    s.add(new Sample(Labels.of("a", "x", "b", "2"), 0, 1));
    s.add(new Sample(Labels.of("a", "x", "b", "10"), 0, 1));
    s.add(new Sample(Labels.of("a", "w", "b", "3"), 0, 1));
    s.sort(SortFunctions.byLabels(List.of("a"), false));
    assertEquals("w", s.get(0).metric().get("a"));
    assertEquals("10", s.get(1).metric().get("b")); // "10" < "2" as full label sets compare as text
    s.sort(SortFunctions.byLabels(List.of("a"), true));
    assertEquals("2", s.get(0).metric().get("b"));
    assertEquals("w", s.get(2).metric().get("a"));
  }

  @Test
  void absentLabelsKeepSingleEqualityMatchersOnly() {
    Labels l = MiscFunctions.absentLabels(List.of(
        LabelMatcher.eq("__name__", "nonexistent"),
        LabelMatcher.eq("job", "testjob"),
        LabelMatcher.eq("job", "testjob2"),
        LabelMatcher.eq("foo", "bar"),
        LabelMatcher.re("method", ".x"),
        LabelMatcher.eq("instance", "i")));
    assertEquals(Labels.of("foo", "bar", "instance", "i"), l);
  }

  @Test
  void doubleExponentialSmoothingFollowsALine() {
    double[] v = {0, 10, 20, 30, 40};
    assertEquals(40.0, MiscFunctions.doubleExponentialSmoothing(v, 5, 0.5, 0.5), 1e-12);
    assertEquals(40.0, MiscFunctions.doubleExponentialSmoothing(v, 5, 0.01, 0.1), 1e-9);
  }

  @Test
  void smoothingFactorsOutOfRangeFailWithPrometheusMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MiscFunctions.validateFactors(1, 0.5));
    assertEquals("invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MiscFunctions.validateFactors(0.5, 0));
    assertEquals("invalid trend factor. Expected: 0 < tf < 1, got: 0.000000", e.getMessage());
    MiscFunctions.validateFactors(Double.NaN, 0.5); // NaN slips through, as in Prometheus
  }

  @Test
  void goFormattingOfNumbers() {
    assertEquals("0.5", GoFormat.g(0.5));
    assertEquals("1e+06", GoFormat.g(1e6));
    assertEquals("123456", GoFormat.g(123456));
    assertEquals("1e-05", GoFormat.g(1e-5));
    assertEquals("0.0001", GoFormat.g(1e-4));
    assertEquals("-1.5e+300", GoFormat.g(-1.5e300));
    assertEquals("NaN", GoFormat.g(Double.NaN));
    assertEquals("+Inf", GoFormat.g(Double.POSITIVE_INFINITY));
    assertEquals("1.0", GoFormat.openMetricsFloat(1));
    assertEquals("0.99", GoFormat.openMetricsFloat(0.99));
    assertEquals("1e+06", GoFormat.openMetricsFloat(1e6));
    assertEquals("\"a\\\"b\"", GoFormat.quote("a\"b"));
  }
}
