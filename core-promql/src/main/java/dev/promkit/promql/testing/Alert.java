package dev.promkit.promql.testing;

import java.time.Instant;
import java.util.Map;

/**
 * An active (pending or firing) or recently resolved alert of a loaded alerting rule after the last
 * evaluation: a copy of the rules engine's {@link dev.promkit.promql.rules.Alert} with the rule name
 * and {@link java.time.Instant}s.
 *
 * @param name the alerting rule's name (also the {@code alertname} label)
 * @param state pending, firing, or inactive (resolved, kept for 15 minutes as Prometheus does)
 * @param labels the alert's labels: the query sample's labels without {@code __name__}, plus the
 *     rule's templated labels and {@code alertname}, sorted by name
 * @param annotations the rule's templated annotations
 * @param value the query sample's value at the last evaluation that saw it
 * @param activeAt when the alert became pending
 * @param firedAt when it started firing, or null
 * @param resolvedAt when it was resolved, or null
 */
public record Alert(String name, State state, Map<String, String> labels, Map<String, String> annotations,
    double value, Instant activeAt, Instant firedAt, Instant resolvedAt) {

  /** Alert states, as Prometheus names them. */
  public enum State {
    /** The expression returned the alert, but not for the rule's whole {@code for} duration yet. */
    PENDING,
    /** Returned for at least {@code for}. */
    FIRING,
    /** Resolved: the expression no longer returns it. */
    INACTIVE
  }

  @Override
  public String toString() {
    return name + " " + state.name().toLowerCase(java.util.Locale.ROOT) + " " + labels + " annotations "
        + annotations + " value " + Format.value(value) + " active since " + activeAt
        + (resolvedAt != null ? " resolved at " + resolvedAt : "");
  }
}
