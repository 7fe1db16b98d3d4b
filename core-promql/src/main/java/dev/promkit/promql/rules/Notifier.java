package dev.promkit.promql.rules;

import java.util.List;

/**
 * Receives alerts to deliver (to Alertmanager, a log, a test): firing alerts on their first
 * evaluation as firing and then every resend delay, resolved alerts once with their end time.
 * Called from the evaluating thread; implementations should queue rather than block.
 */
@FunctionalInterface
public interface Notifier {
  /** Delivers a batch of alerts from one rule's evaluation (never empty). */
  void send(List<Alert> alerts);
}
