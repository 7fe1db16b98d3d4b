package dev.promkit.promql.parser;

import java.math.BigInteger;

/** Number and duration literal conversion with Go's rules (as Prometheus applies them). */
final class Numbers {
  private static final java.util.List<String> UNITS =
      java.util.List.of("y", "w", "d", "h", "m", "s", "ms");
  private static final long[] UNIT_MS = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000,
      24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L};
  private static final BigInteger MAX_INT64 = BigInteger.valueOf(Long.MAX_VALUE);

  private Numbers() {}

  /**
   * A number literal: Go's {@code strconv.ParseInt(s, 0, 64)} first (hex {@code 0x1f}, octal
   * {@code 017}, underscores {@code 1_000}), then {@code ParseFloat}; {@code Inf}/{@code NaN} in
   * any case.
   *
   * @throws NumberFormatException if it is neither
   */
  static double parse(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (lower.startsWith("0x")) {
      String digits;
      try {
        digits = stripUnderscores(lower.substring(2), true);
      } catch (NumberFormatException e) {
        throw new NumberFormatException(floatError(text, "invalid syntax"));
      }
      BigInteger v;
      try {
        v = new BigInteger(digits, 16);
      } catch (NumberFormatException e) {
        throw new NumberFormatException(floatError(text, "invalid syntax"));
      }
      if (v.compareTo(MAX_INT64) > 0) {
        throw new NumberFormatException(floatError(text, "invalid syntax")); // no hex floats
      }
      return v.doubleValue();
    }
    String plain;
    try {
      plain = stripUnderscores(text, false);
    } catch (NumberFormatException e) {
      throw new NumberFormatException(floatError(text, "invalid syntax"));
    }
    if (plain.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (plain.length() > 1 && plain.charAt(0) == '0'
          && plain.chars().allMatch(c -> c >= '0' && c <= '7')) {
        BigInteger v = new BigInteger(plain.substring(1), 8);
        if (v.compareTo(MAX_INT64) <= 0) {
          return v.doubleValue();
        }
      } else if (plain.charAt(0) != '0' || plain.length() == 1) {
        BigInteger v = new BigInteger(plain);
        if (v.compareTo(MAX_INT64) <= 0) {
          return v.doubleValue();
        }
      }
    }
    double v;
    try {
      v = Double.parseDouble(plain);
    } catch (NumberFormatException e) {
      throw new NumberFormatException(floatError(text, "invalid syntax"));
    }
    if (Double.isInfinite(v)) {
      throw new NumberFormatException(floatError(text, "value out of range")); // Go's ErrRange
    }
    return v;
  }

  private static String floatError(String text, String why) {
    return "strconv.ParseFloat: parsing " + GoStrings.quote(text) + ": " + why;
  }

  /** Removes Go digit separators, which must sit between digits (or after a base prefix). */
  private static String stripUnderscores(String s, boolean afterPrefix) {
    if (s.indexOf('_') < 0) {
      if (s.isEmpty()) {
        throw new NumberFormatException("invalid syntax");
      }
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_') {
        boolean prevOk = i > 0 ? Character.digit(s.charAt(i - 1), 16) >= 0 : afterPrefix;
        boolean nextOk = i + 1 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0;
        if (!prevOk || !nextOk) {
          throw new NumberFormatException("invalid syntax");
        }
        continue;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * A duration literal ({@code 1h30m}, {@code 500ms}) in milliseconds, with Prometheus' rules:
   * units from largest to smallest, each at most once.
   *
   * @throws IllegalArgumentException for anything else
   */
  static long parseDurationMs(String text) {
    if (text.equals("0")) {
      return 0;
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long total = 0;
    int lastUnit = -1;
    int i = 0;
    while (i < text.length()) {
      int digitsStart = i;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
      int unitStart = i;
      while (i < text.length() && Character.isLetter(text.charAt(i))) {
        i++;
      }
      if (digitsStart == unitStart || unitStart == i) {
        throw new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(text));
      }
      String unit = text.substring(unitStart, i);
      int u = UNITS.indexOf(unit);
      if (u < 0) {
        throw new IllegalArgumentException("unknown unit " + GoStrings.quote(unit) + " in duration "
            + GoStrings.quote(text));
      }
      if (u <= lastUnit) { // units must shrink from left to right, each used once
        throw new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(text));
      }
      lastUnit = u;
      try {
        long n = Long.parseLong(text.substring(digitsStart, unitStart));
        total = Math.addExact(total, Math.multiplyExact(n, UNIT_MS[u]));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    return total;
  }

}
