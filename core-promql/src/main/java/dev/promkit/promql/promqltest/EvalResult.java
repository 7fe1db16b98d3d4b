package dev.promkit.promql.promqltest;

/**
 * The outcome of one {@code eval} of a script.
 *
 * @param file the script's name
 * @param line the eval's line number (1-based)
 * @param expr the PromQL expression
 * @param passed whether every expectation held
 * @param message why it failed (null when passed)
 */
public record EvalResult(String file, int line, String expr, boolean passed, String message) {
  /** {@code file:line}, the key of the expected-pass list. */
  public String key() {
    return file + ":" + line;
  }

  @Override
  public String toString() {
    return file + ":" + line + " " + expr + (passed ? " PASS" : " FAIL: " + message);
  }
}
