package dev.promkit.promql.rules;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.SummarySnapshot.SummaryDataPoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rule groups' own metrics, as Prometheus exposes them: per group (label
 * {@code rule_group="<file>;<group>"}) evaluations, failures, iterations, missed iterations, last
 * duration, last evaluation timestamp, interval and rule count; and over all groups the
 * {@code prometheus_rule_evaluation_duration_seconds} and {@code prometheus_rule_group_duration_seconds}
 * summaries (count and sum; no quantiles). Built from the groups' state on each collection.
 */
public final class RuleGroupMetrics implements Collector {
  private static final List<String> NAMES = List.of("prometheus_rule_evaluations", "prometheus_rule_evaluation_failures",
      "prometheus_rule_group_iterations", "prometheus_rule_group_iterations_missed",
      "prometheus_rule_group_last_duration_seconds", "prometheus_rule_group_last_evaluation_timestamp_seconds",
      "prometheus_rule_group_interval_seconds", "prometheus_rule_group_rules",
      "prometheus_rule_evaluation_duration_seconds", "prometheus_rule_group_duration_seconds");
  private final Supplier<? extends Collection<RuleGroup>> groups;

  /** Metrics of whatever groups the supplier returns at collection time. */
  public RuleGroupMetrics(Supplier<? extends Collection<RuleGroup>> groups) {
    this.groups = Objects.requireNonNull(groups);
  }

  @Override
  public MetricSnapshots collect() {
    List<RuleGroup> gs = new ArrayList<>(groups.get());
    long ruleCount = 0;
    double ruleSum = 0;
    long groupCount = 0;
    double groupSum = 0;
    for (RuleGroup g : gs) {
      double[] r = g.stats().ruleDurations();
      ruleCount += (long) r[0];
      ruleSum += r[1];
      double[] d = g.stats().groupDurations();
      groupCount += (long) d[0];
      groupSum += d[1];
    }
    return MetricSnapshots.of(
        counter(gs, NAMES.get(0), "The total number of rule evaluations.", g -> g.stats().evaluations.get()),
        counter(gs, NAMES.get(1), "The total number of rule evaluation failures.", g -> g.stats().failures.get()),
        counter(gs, NAMES.get(2), "The number of scheduled iterations of rule group evaluation, whether executed or "
            + "missed.", g -> g.stats().iterations.get() + g.stats().missed.get()),
        counter(gs, NAMES.get(3), "The total number of rule group evaluations missed due to slow rule group "
            + "evaluation.", g -> g.stats().missed.get()),
        gauge(gs, NAMES.get(4), "The duration of the last rule group evaluation.", g -> g.lastEvaluationSeconds()),
        gauge(gs, NAMES.get(5), "The timestamp of the last rule group evaluation in seconds.",
            g -> g.lastEvaluationTimestampMillis() / 1000.0),
        gauge(gs, NAMES.get(6), "The interval of a rule group.", g -> g.intervalMillis() / 1000.0),
        gauge(gs, NAMES.get(7), "The number of rules.", g -> g.rules().size()),
        summary(NAMES.get(8), "The duration for a rule to execute.", ruleCount, ruleSum),
        summary(NAMES.get(9), "The duration of rule group evaluations.", groupCount, groupSum));
  }

  @Override
  public List<String> metricNames() {
    return NAMES;
  }

  /** The {@code rule_group} label value: file and group name joined by ';'. */
  static String groupKey(RuleGroup g) {
    return g.file() + ";" + g.name();
  }

  private static CounterSnapshot counter(List<RuleGroup> gs, String name, String help, Function<RuleGroup, Long> f) {
    List<CounterDataPoint> pts = new ArrayList<>();
    for (RuleGroup g : gs) {
      pts.add(new CounterDataPoint(Labels.of("rule_group", groupKey(g)), f.apply(g)));
    }
    return new CounterSnapshot(MetricMetadata.of(name, help), pts);
  }

  private static GaugeSnapshot gauge(List<RuleGroup> gs, String name, String help, Function<RuleGroup, Number> f) {
    List<GaugeDataPoint> pts = new ArrayList<>();
    for (RuleGroup g : gs) {
      pts.add(new GaugeDataPoint(Labels.of("rule_group", groupKey(g)), f.apply(g).doubleValue()));
    }
    return new GaugeSnapshot(MetricMetadata.of(name, help), pts);
  }

  private static SummarySnapshot summary(String name, String help, long count, double sum) {
    return new SummarySnapshot(new MetricMetadata(name, help, "seconds"),
        List.of(new SummaryDataPoint(Labels.EMPTY, count, sum, List.of(), 0, 0)));
  }
}
