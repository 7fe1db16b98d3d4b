package dev.promkit.promql.rules;

import java.util.concurrent.atomic.AtomicLong;

/** A group's counters and durations, read by {@link RuleGroupMetrics}. */
final class GroupStats {
  final AtomicLong evaluations = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong iterations = new AtomicLong();
  final AtomicLong missed = new AtomicLong();
  volatile long lastEvalWallMillis;
  volatile long lastEvalTimestampMillis;
  volatile double lastDurationSeconds;
  private long ruleCount;
  private double ruleSum;
  private long groupCount;
  private double groupSum;

  synchronized void observeRule(double secs) {
    ruleCount++;
    ruleSum += secs;
  }

  synchronized void observeGroup(double secs) {
    groupCount++;
    groupSum += secs;
  }

  synchronized double[] ruleDurations() {
    return new double[] {ruleCount, ruleSum};
  }

  synchronized double[] groupDurations() {
    return new double[] {groupCount, groupSum};
  }
}
