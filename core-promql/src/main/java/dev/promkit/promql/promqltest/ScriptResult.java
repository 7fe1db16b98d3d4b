package dev.promkit.promql.promqltest;

import java.util.List;

/**
 * The outcome of a whole script.
 *
 * @param file the script's name
 * @param evals one result per eval, in file order
 */
public record ScriptResult(String file, List<EvalResult> evals) {
  /** Number of evals that passed. */
  public long passed() {
    return evals.stream().filter(EvalResult::passed).count();
  }

  /** True when every eval passed. */
  public boolean allPassed() {
    return passed() == evals.size();
  }

  /** {@code file: 120/160 passed}. */
  public String summary() {
    return file + ": " + passed() + "/" + evals.size() + " passed";
  }

  /** One line per failed eval, for assertion messages. */
  public String failureReport() {
    StringBuilder sb = new StringBuilder(summary()).append('\n');
    for (EvalResult r : evals) {
      if (!r.passed()) {
        sb.append("  ").append(r).append('\n');
      }
    }
    return sb.toString();
  }
}
