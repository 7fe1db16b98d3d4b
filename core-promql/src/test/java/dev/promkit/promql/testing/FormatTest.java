package dev.promkit.promql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatTest {
  @Test
  void valuePrintsGoShortestDigitsWhereJdk17DoesNot() {
    assertEquals("1e+23", Format.value(1e23)); // JDK 17: 9.999999999999999E22
    assertEquals("2.82879384806159e+17", Format.value(2.82879384806159e17));
    assertEquals("stale", Format.value(ScrapeTarget.STALE_NAN));
  }
}
