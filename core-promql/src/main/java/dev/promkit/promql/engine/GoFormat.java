package dev.promkit.promql.engine;

import dev.promkit.promql.format.GoFloat;

/** Go's {@code %v}/{@code %g} rendering of a float64, for error and annotation texts. */
final class GoFormat {
  private GoFormat() {}

  /** As Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}: shortest digits, exponent below 1e-4 and from 1e6. */
  static String g(double f) {
    return GoFloat.formatG(f);
  }
}
