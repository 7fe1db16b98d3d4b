package dev.promkit.tsdb.regex;

/**
 * A match given up because it would take too long. RE2 matches in time linear in the input;
 * {@link java.util.regex} backtracks, and a pattern such as {@code (a+)+$} would otherwise hold a
 * thread for hours on a 40-character value. Only such pathological pattern/value pairs get here.
 */
public final class RegexTooExpensiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RegexTooExpensiveException(String message) {
    super(message);
  }
}
