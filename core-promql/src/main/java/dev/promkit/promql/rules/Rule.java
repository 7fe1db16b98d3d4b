package dev.promkit.promql.rules;

import dev.promkit.promql.parser.Expr;
import dev.promkit.tsdb.labels.Labels;
import java.util.List;

/**
 * A rule of a {@link RuleGroup}: a {@link RecordingRule} or an {@link AlertingRule}. Getters give
 * what the rules API shows; they are safe to call while the group evaluates.
 */
public abstract sealed class Rule permits RecordingRule, AlertingRule {
  final RuleSpec spec;
  final Expr expr;
  final Labels labels;
  private volatile RuleHealth health = RuleHealth.UNKNOWN;
  private volatile String lastError = "";
  private volatile long lastEvaluationMillis;
  private volatile double evaluationSeconds;

  Rule(RuleSpec spec, Expr expr, Labels labels) {
    this.spec = spec;
    this.expr = expr;
    this.labels = labels;
  }

  /** Recorded metric or alert name. */
  public String name() {
    return spec.name();
  }

  /** The expression as written. */
  public String query() {
    return spec.expr();
  }

  /** The rule's labels (group labels merged in; for alerts, unexpanded templates). */
  public Labels labels() {
    return labels;
  }

  /** The rule as read from its file. */
  public RuleSpec spec() {
    return spec;
  }

  /** Health after the last evaluation. */
  public RuleHealth health() {
    return health;
  }

  /** The last evaluation's error message, "" when it succeeded. */
  public String lastError() {
    return lastError;
  }

  /** Wall-clock time the last evaluation started (Unix ms), 0 before the first. */
  public long lastEvaluationMillis() {
    return lastEvaluationMillis;
  }

  /** How long the last evaluation took, in seconds. */
  public double evaluationSeconds() {
    return evaluationSeconds;
  }

  void setResult(RuleHealth h, String error, long startedMillis, double seconds) {
    this.health = h;
    this.lastError = error;
    this.lastEvaluationMillis = startedMillis;
    this.evaluationSeconds = seconds;
  }

  void setError(String error) {
    this.health = RuleHealth.ERR;
    this.lastError = error;
  }

  /** Evaluates at ts (query time ts - offset) and returns the samples to write, all at that query time. */
  abstract List<Output> eval(EvalContext ctx, long ts, long queryOffsetMillis, int limit);

  /** A sample to append. */
  record Output(Labels labels, long t, double v) {}
}
