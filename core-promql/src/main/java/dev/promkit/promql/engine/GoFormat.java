package dev.promkit.promql.engine;

import java.math.BigDecimal;

/** Go's {@code %v}/{@code %g} rendering of a float64, for error and annotation texts. */
final class GoFormat {
  private GoFormat() {}

  /** As Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}: shortest digits, exponent when < 1e-4 or >= 1e21/precision. */
  static String g(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return 1 / f < 0 ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int nd = digits.length();
    int dp = nd - bd.scale(); // decimal point position relative to the digit string
    int eprec = 6;
    if (eprec > nd && nd >= dp) {
      eprec = nd;
    }
    int exp = dp - 1;
    StringBuilder sb = new StringBuilder();
    if (f < 0) {
      sb.append('-');
    }
    if (exp < -4 || exp >= eprec) {
      sb.append(digits.charAt(0));
      if (nd > 1) {
        sb.append('.').append(digits, 1, nd);
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        sb.append('0');
      }
      sb.append(ae);
      return sb.toString();
    }
    sb.append(bd.toPlainString());
    return sb.toString();
  }
}
