package dev.promkit.promql.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunnerFmtTest {
  @Test
  void fmtPrintsGoShortestDigitsWhereJdk17DoesNot() {
    assertEquals("1e+23", PromqlTestRunner.fmt(1e23)); // JDK 17: 9.999999999999999E22
    assertEquals("2.82879384806159e+17", PromqlTestRunner.fmt(2.82879384806159e17));
    assertEquals("stale", PromqlTestRunner.fmt(SeriesDesc.STALE_NAN));
  }
}
