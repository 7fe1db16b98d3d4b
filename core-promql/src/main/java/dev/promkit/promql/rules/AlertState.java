package dev.promkit.promql.rules;

import java.util.Locale;

/** An alert's state, as Prometheus names it ({@link #toString()} gives "inactive", "pending", "firing"). */
public enum AlertState {
  /** Condition not met (or resolved). */
  INACTIVE,
  /** Condition met for less than the rule's {@code for}. */
  PENDING,
  /** Condition met for at least {@code for} (or kept firing by {@code keep_firing_for}). */
  FIRING;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
