package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GoFmtTest {
  @Test
  void shortestGPrintsGoDigitsWhereJdk17DoesNot() {
    // JDK 17 Double.toString(1e23) is 9.999999999999999E22; Go's %v is 1e+23.
    assertEquals("1e+23", GoFmt.g(1e23, -1));
    assertEquals("2.82879384806159e+17", GoFmt.g(2.82879384806159e17, -1));
  }

  @Test
  void shortestEPrintsGoDigitsWhereJdk17DoesNot() {
    assertEquals("1E+23", GoFmt.shortestE(1e23));
    assertEquals("-2.82879384806159E+17", GoFmt.shortestE(-2.82879384806159e17));
  }
}
