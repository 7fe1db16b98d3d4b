package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RulesJsonTest {
  @Test
  void alertValuesAreFormattedAsGoFormatFloatE() {
    assertEquals("0e+00", RulesJson.goExp(0));
    assertEquals("1e+00", RulesJson.goExp(1));
    assertEquals("5e-01", RulesJson.goExp(0.5));
    assertEquals("1.2345e+03", RulesJson.goExp(1234.5));
    assertEquals("-2.5e-07", RulesJson.goExp(-2.5e-7));
    assertEquals("1e+100", RulesJson.goExp(1e100));
    assertEquals("NaN", RulesJson.goExp(Double.NaN));
    assertEquals("+Inf", RulesJson.goExp(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", RulesJson.goExp(Double.NEGATIVE_INFINITY));
  }
}
