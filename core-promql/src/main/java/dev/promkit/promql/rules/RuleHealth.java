package dev.promkit.promql.rules;

import java.util.Locale;

/** A rule's health after its last evaluation ({@link #toString()}: "unknown", "ok", "err"). */
public enum RuleHealth {
  /** Not evaluated yet. */
  UNKNOWN,
  /** Last evaluation succeeded. */
  OK,
  /** Last evaluation failed; see the rule's last error. */
  ERR;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
