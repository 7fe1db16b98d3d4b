package dev.promkit.promql.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.labels.Labels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeriesNotationTest {
  @Test
  void parsesNameLabelsQuotedNamesAndSpaceBeforeBraces() {
    assertEquals(Labels.of("__name__", "up", "job", "a"), SeriesNotation.parseLabels("up{job=\"a\"}"));
    assertEquals(Labels.of("__name__", "up", "job", "a"), SeriesNotation.parseLabels("up {job='a'}"));
    assertEquals(Labels.of("__name__", "my.metric", "l", "v"), SeriesNotation.parseLabels("{\"my.metric\", l=\"v\"}"));
    assertEquals(Labels.empty(), SeriesNotation.parseLabels("{}"));
  }

  @Test
  void rejectsTextAfterTheSeriesAndNonEqualityMatchers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeriesNotation.parseLabels("up{a=\"b\"} x"));
    assertTrue(e.getMessage().contains("unexpected text after the series at column 10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SeriesNotation.parseLabels("up{a!=\"b\"}"));
    assertTrue(e.getMessage().contains("expected '=' after label name a"), e.getMessage());
  }

  @Test
  void expandsValuesWithGapsStaleAndGoNumbers() {
    // "0x3" is zero repeated; a hexadecimal base needs its own repetition ("0x1fx1")
    assertEquals(Arrays.asList(1.0, null, 1.0, 2.0, 3.0, 8.0, 0.0, 0.0, 0.0, 0.0, null, null, 31.0, 31.0),
        SeriesNotation.parseFloatValues("1 _ 1+1x2 010 0x3 _x2 0x1fx1"));
    assertEquals(Double.doubleToRawLongBits(SeriesNotation.STALE_NAN),
        Double.doubleToRawLongBits(SeriesNotation.parseFloatValues("stale").get(0)));
    assertEquals(Arrays.asList(5.0, 3.0, 1.0), SeriesNotation.parseFloatValues("5-2x2"));
  }

  @Test
  void rejectsRepeatedStaleBadCountsAndHistogramsInFloatValues() {
    assertThrows(IllegalArgumentException.class, () -> SeriesNotation.parseFloatValues("stalex3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeriesNotation.parseFloatValues("1x"));
    assertEquals("bad repetition count in \"1x\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SeriesNotation.parseFloatValues("{{schema:0 sum:1 count:1}}"));
    assertTrue(e.getMessage().startsWith("native histogram values are not supported"), e.getMessage());
  }
}
