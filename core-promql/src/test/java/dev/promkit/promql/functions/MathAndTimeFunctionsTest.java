package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.functions.TimeFunctions.Part;
import org.junit.jupiter.api.Test;

class MathAndTimeFunctionsTest {
  @Test
  void log2IsExactForPowersOfTwo() {
    assertEquals(3.0, MathFunctions.log2(8));
    assertEquals(-1.0, MathFunctions.log2(0.5));
    assertEquals(-1074.0, MathFunctions.log2(Double.MIN_VALUE));
    assertEquals(Double.NEGATIVE_INFINITY, MathFunctions.log2(0));
    assertTrue(Double.isNaN(MathFunctions.log2(-1)));
    assertEquals(Math.log(10) / Math.log(2), MathFunctions.log2(10), 1e-15);
  }

  @Test
  void sgnKeepsZeroAndNaN() {
    assertEquals(-1.0, MathFunctions.sgn(-3));
    assertEquals(1.0, MathFunctions.sgn(0.1));
    assertEquals(-0.0, MathFunctions.sgn(-0.0));
    assertTrue(Double.isNaN(MathFunctions.sgn(Double.NaN)));
  }

  @Test
  void roundTiesUpAndToNearestMultiple() {
    assertEquals(3.0, MathFunctions.round(2.5, 1));
    assertEquals(-2.0, MathFunctions.round(-2.5, 1));
    assertEquals(0.12, MathFunctions.round(0.12345, 0.01));
    assertEquals(10.0, MathFunctions.round(12, 5));
  }

  @Test
  void inverseHyperbolicsMatchGo() {
    assertEquals(0.5493061443340549, MathFunctions.atanh(0.5), 2e-16);
    assertEquals(0.881373587019543, MathFunctions.asinh(1), 1e-15);
    assertEquals(1.3169578969248166, MathFunctions.acosh(2), 1e-15);
    assertTrue(Double.isNaN(MathFunctions.acosh(0.5)));
    assertEquals(Double.POSITIVE_INFINITY, MathFunctions.atanh(1));
    assertEquals(Double.NEGATIVE_INFINITY, MathFunctions.asinh(Double.NEGATIVE_INFINITY));
  }

  @Test
  void unaryTableCoversEveryElementwiseFunction() {
    for (String f : new String[] {"abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn",
        "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "deg", "rad"}) {
      assertTrue(MathFunctions.UNARY.containsKey(f), f);
    }
    assertEquals(180.0, MathFunctions.UNARY.get("deg").applyAsDouble(Math.PI));
    assertEquals(Math.PI, MathFunctions.UNARY.get("rad").applyAsDouble(180));
  }

  @Test
  void clampPropagatesNaN() {
    assertEquals(5.0, MathFunctions.clamp(7, 0, 5));
    assertEquals(0.0, MathFunctions.clamp(-7, 0, 5));
    assertTrue(Double.isNaN(MathFunctions.clamp(Double.NaN, 0, 5)));
  }

  @Test
  void calendarFieldsInUtc() {
    double t = 1136239445; // 2006-01-02T22:04:05Z, a Monday
    assertEquals(2006.0, Part.YEAR.of(t));
    assertEquals(1.0, Part.MONTH.of(t));
    assertEquals(2.0, Part.DAY_OF_MONTH.of(t));
    assertEquals(2.0, Part.DAY_OF_YEAR.of(t));
    assertEquals(1.0, Part.DAY_OF_WEEK.of(t));
    assertEquals(22.0, Part.HOUR.of(t));
    assertEquals(4.0, Part.MINUTE.of(t));
    assertEquals(31.0, Part.DAYS_IN_MONTH.of(t));
  }

  @Test
  void leapYearsAndBoundaries() {
    assertEquals(2008.0, Part.YEAR.of(1230767999));
    assertEquals(2009.0, Part.YEAR.of(1230768000));
    assertEquals(2.0, Part.MONTH.of(1456790399));
    assertEquals(29.0, Part.DAY_OF_MONTH.of(1456790399));
    assertEquals(366.0, Part.DAY_OF_YEAR.of(1483191420));
    assertEquals(365.0, Part.DAY_OF_YEAR.of(1672493820));
    assertEquals(29.0, Part.DAYS_IN_MONTH.of(1454284800));
    assertEquals(28.0, Part.DAYS_IN_MONTH.of(1485907200));
    assertEquals(4.0, Part.DAY_OF_WEEK.of(0));
  }

  @Test
  void negativeAndFractionalSecondsTruncateTowardZero() {
    assertEquals(1970.0, Part.YEAR.of(-0.5)); // int64(-0.5) == 0
    assertEquals(1969.0, Part.YEAR.of(-1));
    assertEquals(23.0, Part.HOUR.of(-1));
    assertEquals(3.0, Part.DAY_OF_WEEK.of(-1)); // Wednesday
    assertEquals(365.0, Part.DAY_OF_YEAR.of(-1));
  }

  @Test
  void nonFiniteInputsGiveNumbersNotExceptions() {
    for (Part p : Part.values()) {
      double v = p.of(Double.NaN);
      assertTrue(!Double.isNaN(v), p.name());
      p.of(Double.POSITIVE_INFINITY);
      p.of(-1e300);
    }
  }
}
