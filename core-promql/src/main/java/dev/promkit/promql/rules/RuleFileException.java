package dev.promkit.promql.rules;

import java.util.List;

/** A rules file (or rule-test file) that cannot be used; the message names file, group, rule, field and line. */
public final class RuleFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> errors;

  /** One or more errors found in the same file, each a complete message. */
  public RuleFileException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  /** Each error, as promtool lists them. */
  public List<String> errors() {
    return errors;
  }
}
