package dev.promkit.promql.functions;

/**
 * Go's {@code strconv.ParseFloat(s, 64)} for label values such as {@code le}: decimal and hex
 * floats, {@code Inf}/{@code Infinity}/{@code NaN} in any case with an optional sign, underscores
 * only between digits of a base-prefixed number. Unlike {@link Double#parseDouble}, no surrounding
 * whitespace and no Java type suffixes ({@code 1d}, {@code 2f}).
 */
final class GoFloat {
  private GoFloat() {}

  /**
   * Parses {@code s}.
   *
   * @throws NumberFormatException when Go would reject it
   */
  static double parse(String s) {
    if (s.isEmpty()) {
      throw new NumberFormatException("empty string");
    }
    int i = 0;
    boolean negative = false;
    char c0 = s.charAt(0);
    if (c0 == '+' || c0 == '-') {
      negative = c0 == '-';
      i = 1;
    }
    String body = s.substring(i);
    if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (body.equalsIgnoreCase("nan")) {
      if (i > 0) {
        throw new NumberFormatException("signed NaN: " + s);
      }
      return Double.NaN;
    }
    boolean hex = body.length() > 1 && body.charAt(0) == '0' && (body.charAt(1) == 'x' || body.charAt(1) == 'X');
    if (hex) {
      boolean sawP = false;
      for (int k = 2; k < body.length(); k++) {
        char c = body.charAt(k);
        if (c == 'p' || c == 'P') {
          sawP = true;
        } else if (!(Character.digit(c, 16) >= 0 || c == '.' || c == '+' || c == '-' || c == '_')) {
          throw new NumberFormatException("invalid hex float: " + s);
        }
      }
      if (!sawP) {
        throw new NumberFormatException("hex float without exponent: " + s);
      }
      body = stripUnderscores(body, s);
    } else {
      boolean digit = false;
      for (int k = 0; k < body.length(); k++) {
        char c = body.charAt(k);
        if (c >= '0' && c <= '9') {
          digit = true;
        } else if (!(c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
          throw new NumberFormatException("invalid float: " + s);
        }
      }
      if (!digit) {
        throw new NumberFormatException("invalid float: " + s);
      }
    }
    double v = Double.parseDouble(body);
    return negative ? -v : v;
  }

  private static String stripUnderscores(String body, String original) {
    if (body.indexOf('_') < 0) {
      return body;
    }
    StringBuilder sb = new StringBuilder(body.length());
    for (int k = 0; k < body.length(); k++) {
      char c = body.charAt(k);
      if (c == '_') {
        boolean okBefore = k > 0 && Character.digit(body.charAt(k - 1), 16) >= 0 || k == 2;
        boolean okAfter = k + 1 < body.length() && Character.digit(body.charAt(k + 1), 16) >= 0;
        if (!okBefore || !okAfter) {
          throw new NumberFormatException("misplaced underscore: " + original);
        }
        continue;
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
