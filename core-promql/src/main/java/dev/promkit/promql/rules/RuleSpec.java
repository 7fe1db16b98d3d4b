package dev.promkit.promql.rules;

import java.util.Map;

/**
 * One rule as written in a rules file: either a recording rule ({@link #record()} set) or an
 * alerting rule ({@link #alert()} set).
 *
 * @param record recorded metric name, or null for an alerting rule
 * @param alert alert name, or null for a recording rule
 * @param expr the PromQL expression
 * @param forMillis how long an alert stays pending before firing (0 for recording rules)
 * @param keepFiringForMillis how long an alert keeps firing after its condition cleared
 * @param labels labels added to (and templates expanded into) each output series or alert
 * @param annotations alert annotations (templates), empty for recording rules
 * @param line the rule's line in its file (1-based), 0 when built in code
 */
public record RuleSpec(String record, String alert, String expr, long forMillis, long keepFiringForMillis,
    Map<String, String> labels, Map<String, String> annotations, int line) {
  public RuleSpec {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** A recording rule. */
  public static RuleSpec recording(String record, String expr, Map<String, String> labels) {
    return new RuleSpec(record, null, expr, 0, 0, labels, Map.of(), 0);
  }

  /** An alerting rule. */
  public static RuleSpec alerting(String alert, String expr, long forMillis, Map<String, String> labels,
      Map<String, String> annotations) {
    return new RuleSpec(null, alert, expr, forMillis, 0, labels, annotations, 0);
  }

  /** The rule's name: the recorded metric or the alert name. */
  public String name() {
    return record != null ? record : alert;
  }

  /** True for an alerting rule. */
  public boolean isAlerting() {
    return alert != null;
  }
}
