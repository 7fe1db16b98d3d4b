package dev.promkit.promql.rules;

import dev.promkit.tsdb.labels.Labels;

/**
 * A snapshot of one alert of an alerting rule. Times are Unix milliseconds, 0 when unset.
 *
 * @param labels identifying labels (the series' labels without {@code __name__}, plus rule labels
 *     and {@code alertname})
 * @param annotations expanded annotations
 * @param state current state
 * @param value the expression's value at the last evaluation
 * @param activeAtMillis when the condition was first met (the restored time after a restart)
 * @param firedAtMillis when the alert started firing
 * @param resolvedAtMillis when it was resolved, 0 while active
 * @param lastSentAtMillis when it was last handed to the notifier
 * @param validUntilMillis the end time sent with a firing alert (eval time + 4 × max(resend delay, interval))
 * @param generatorUrl link to the expression (external URL + /graph?...)
 */
public record Alert(Labels labels, Labels annotations, AlertState state, double value, long activeAtMillis,
    long firedAtMillis, long resolvedAtMillis, long lastSentAtMillis, long validUntilMillis, String generatorUrl) {

  /** startsAt as sent to Alertmanager: the active-since time. */
  public long startsAtMillis() {
    return activeAtMillis;
  }

  /** endsAt as sent to Alertmanager: the resolve time once resolved, else {@link #validUntilMillis()}. */
  public long endsAtMillis() {
    return resolvedAtMillis != 0 ? resolvedAtMillis : validUntilMillis;
  }
}
