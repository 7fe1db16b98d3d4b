package dev.promkit.promql.functions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The element-wise float functions ({@code abs}, {@code ln}, {@code sin}, ...) as one table of
 * {@link DoubleUnaryOperator}s, plus {@code round} and {@code clamp}. Where Go's {@code math}
 * package differs from {@link Math} in a way a query can see (log2 of a power of two, the inverse
 * hyperbolic functions, {@code sgn} of NaN and -0), Go's definition is followed.
 */
final class MathFunctions {
  private MathFunctions() {}

  private static final double LN2 = 6.93147180559945286227e-01;
  private static final double INV_LN2 = 1.4426950408889634073599246810018921374266459541529859;
  private static final double INV_LN10 = 0.43429448190325182765112891891660508229439700580366656;
  private static final double NEAR_ZERO = 1.0 / (1 << 28);
  private static final double LARGE = 1 << 28;

  /** Name to operator, for every PromQL function of one float argument. */
  static final Map<String, DoubleUnaryOperator> UNARY;

  static {
    Map<String, DoubleUnaryOperator> m = new LinkedHashMap<>();
    m.put("abs", Math::abs);
    m.put("ceil", Math::ceil);
    m.put("floor", Math::floor);
    m.put("exp", StrictMath::exp);
    m.put("sqrt", Math::sqrt);
    m.put("ln", StrictMath::log);
    m.put("log2", MathFunctions::log2);
    m.put("log10", MathFunctions::log10);
    m.put("sgn", MathFunctions::sgn);
    m.put("sin", StrictMath::sin);
    m.put("cos", StrictMath::cos);
    m.put("tan", StrictMath::tan);
    m.put("asin", StrictMath::asin);
    m.put("acos", StrictMath::acos);
    m.put("atan", StrictMath::atan);
    m.put("sinh", StrictMath::sinh);
    m.put("cosh", StrictMath::cosh);
    m.put("tanh", StrictMath::tanh);
    m.put("asinh", MathFunctions::asinh);
    m.put("acosh", MathFunctions::acosh);
    m.put("atanh", MathFunctions::atanh);
    m.put("deg", x -> x * 180 / Math.PI);
    m.put("rad", x -> x * Math.PI / 180);
    UNARY = Collections.unmodifiableMap(m);
  }

  /** {@code sgn}: -1, 1, or the argument itself (0, -0 and NaN pass through). */
  static double sgn(double v) {
    if (v < 0) {
      return -1;
    }
    if (v > 0) {
      return 1;
    }
    return v;
  }

  /** Go's {@code math.Log2}: exact for powers of two. */
  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x)) {
      // frexp: x = frac * 2^exp with frac in [0.5, 1).
      int exp = Math.getExponent(x);
      double frac;
      if (exp == Double.MIN_EXPONENT - 1) { // subnormal: normalise first
        double scaled = x * 0x1p54;
        exp = Math.getExponent(scaled) - 54;
        frac = scaled / Math.scalb(1.0, Math.getExponent(scaled) + 1);
      } else {
        frac = x / Math.scalb(1.0, exp + 1);
      }
      exp += 1;
      if (frac == 0.5) {
        return exp - 1;
      }
      return StrictMath.log(frac) * INV_LN2 + exp;
    }
    return StrictMath.log(x) * INV_LN2;
  }

  /** Go's {@code math.Log10}: {@code ln(x) * (1/ln 10)}. */
  static double log10(double x) {
    return StrictMath.log(x) * INV_LN10;
  }

  /** Go's {@code math.Asinh}. */
  static double asinh(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    boolean negative = x < 0;
    if (negative) {
      x = -x;
    }
    double r;
    if (x > LARGE) {
      r = StrictMath.log(x) + LN2;
    } else if (x > 2) {
      r = StrictMath.log(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
    } else if (x < NEAR_ZERO) {
      r = x;
    } else {
      r = StrictMath.log1p(x + x * x / (1 + Math.sqrt(1 + x * x)));
    }
    return negative ? -r : r;
  }

  /** Go's {@code math.Acosh}. */
  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x >= LARGE) {
      return StrictMath.log(x) + LN2;
    }
    if (x > 2) {
      return StrictMath.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
    }
    double t = x - 1;
    return StrictMath.log1p(t + Math.sqrt(2 * t + t * t));
  }

  /** Go's {@code math.Atanh}. */
  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    boolean negative = x < 0;
    if (negative) {
      x = -x;
    }
    double r;
    if (x < NEAR_ZERO) {
      r = x;
    } else if (x < 0.5) {
      double t = x + x;
      r = 0.5 * StrictMath.log1p(t + t * x / (1 - x));
    } else {
      r = 0.5 * StrictMath.log1p((x + x) / (1 - x));
    }
    return negative ? -r : r;
  }

  /**
   * {@code round(v, toNearest)}: rounds to the nearest multiple, ties up. Divides by the inverse
   * as Prometheus does (fewer representation errors for fractions like 0.1).
   */
  static double round(double v, double toNearest) {
    double inverse = 1.0 / toNearest;
    return Math.floor(v * inverse + 0.5) / inverse;
  }

  /**
   * {@code clamp}: {@code max(min, min(max, v))} with NaN propagation. The caller yields no
   * elements at all when {@code max < min}.
   */
  static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }
}
