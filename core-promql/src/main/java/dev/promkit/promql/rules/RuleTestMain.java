package dev.promkit.promql.rules;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code test rules FILE...} as promtool has it: runs each rule-test file, prints promtool's
 * report, and exits 0 when every file passed, 1 when any failed (or could not be read), 2 when no
 * file was given.
 */
public final class RuleTestMain {
  private RuleTestMain() {}

  /** Runs the files and exits with promtool's exit code. */
  public static void main(String[] args) {
    System.exit(run(System.out, args));
  }

  /**
   * Runs the files, printing the reports to {@code out}.
   *
   * @return 0 all passed, 1 some failed, 2 usage error
   */
  public static int run(PrintStream out, String... files) {
    if (files.length == 0) {
      out.println("usage: test rules <test-rule-file>...");
      return 2;
    }
    boolean failed = false;
    for (String f : files) {
      RuleTestRunner.FileResult r = RuleTestRunner.run(Path.of(f));
      out.println(r.report());
      failed |= !r.passed();
    }
    return failed ? 1 : 0;
  }
}
