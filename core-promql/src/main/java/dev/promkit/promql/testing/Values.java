package dev.promkit.promql.testing;

/** Value comparison for assertions. */
final class Values {
  private Values() {}

  /** Equal within the tolerance; NaN matches NaN, infinities match only themselves. */
  static boolean close(double expected, double actual, double tolerance) {
    if (tolerance < 0 || Double.isNaN(tolerance)) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
    }
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    if (expected == actual) {
      return true; // also equal infinities, and 0.0 vs -0.0
    }
    return Math.abs(expected - actual) <= tolerance;
  }

  static String expectation(double expected, double tolerance) {
    return tolerance == 0 ? Format.value(expected) : Format.value(expected) + " ± " + tolerance;
  }
}
