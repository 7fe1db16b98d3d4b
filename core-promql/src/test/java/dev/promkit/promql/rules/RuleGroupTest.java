package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.promql.engine.Engine;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.SeriesSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RuleGroupTest {
  private static final long M = 60_000;
  private final MemoryStorage storage = new MemoryStorage();
  private final Engine engine = Engine.builder().build();
  private final InMemoryNotifier sink = new InMemoryNotifier();

  private void add(long t, double v, String... labels) {
    Appender a = storage.appender();
    a.append(0, Labels.of(labels), t, v);
    a.commit();
  }

  private RuleGroup group(String yaml) {
    return group(yaml, true);
  }

  private RuleGroup group(String yaml, boolean restore) {
    RuleGroupSpec spec = RuleFiles.parse("rules.yml", yaml).get(0);
    return RuleGroup.builder(spec).engine(engine).storage(storage, storage).notifier(sink)
        .clock(Clock.fixed(Instant.ofEpochMilli(0), ZoneOffset.UTC))
        .restoreForState(restore, Duration.ofHours(1), Duration.ofMinutes(10))
        .externalLabels(Map.of("cluster", "eu1")).build();
  }

  /** Raw samples (t -> value) of the series matching exactly these labels. */
  private TreeMap<Long, Double> raw(String... labels) {
    TreeMap<Long, Double> out = new TreeMap<>();
    Labels want = Labels.of(labels);
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, SelectHints.of(Long.MIN_VALUE, Long.MAX_VALUE),
          LabelMatcher.eq(Labels.METRIC_NAME, want.metricName()));
      while (ss.next()) {
        if (!ss.at().labels().equals(want)) {
          continue;
        }
        ChunkIterator it = ss.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.put(it.atT(), it.atV());
        }
      }
    }
    return out;
  }

  @Test
  void recordingRuleWritesResultsAndStaleMarkersForVanishedSeries() {
    add(0, 1, "__name__", "up", "instance", "a");
    add(0, 1, "__name__", "up", "instance", "b");
    add(90_000, 0, "__name__", "up", "instance", "b");
    RuleGroup g = group("groups:\n- name: g\n  rules:\n  - record: up:ok\n    expr: up == 1\n    labels:\n      k: v\n");
    g.evaluate(M);
    g.evaluate(2 * M);
    assertEquals(Map.of(M, 1.0, 2 * M, 1.0), raw("__name__", "up:ok", "instance", "a", "k", "v"));
    TreeMap<Long, Double> b = raw("__name__", "up:ok", "instance", "b", "k", "v");
    assertEquals(1.0, b.get(M));
    assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(b.get(2 * M)));
    assertEquals(RuleHealth.OK, g.rules().get(0).health());
  }

  @Test
  void alertGoesPendingThenFiringThenInactiveWithAlertsSeries() {
    add(0, 0, "__name__", "up", "instance", "a");
    add(3 * M, 1, "__name__", "up", "instance", "a");
    RuleGroup g = group("groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 1m\n"
        + "    labels:\n      severity: page\n", false);
    AlertingRule r = (AlertingRule) g.rules().get(0);
    g.evaluate(M);
    assertEquals(AlertState.PENDING, r.state());
    g.evaluate(2 * M);
    assertEquals(AlertState.FIRING, r.state());
    Alert a = r.activeAlerts().get(0);
    assertEquals(Labels.of("alertname", "Down", "instance", "a", "severity", "page"), a.labels());
    assertEquals(M, a.activeAtMillis());
    g.evaluate(3 * M);
    assertEquals(AlertState.INACTIVE, r.state());
    assertEquals(List.of(), r.activeAlerts());
    assertEquals(1, r.alerts().size(), "resolved alert is kept to be reported");
    assertEquals(Map.of(M, 1.0, 2 * M, 0x7ff0000000000002L + 0.0).keySet(),
        raw("__name__", "ALERTS", "alertname", "Down", "alertstate", "pending", "instance", "a", "severity", "page").keySet());
    TreeMap<Long, Double> firing = raw("__name__", "ALERTS", "alertname", "Down", "alertstate", "firing",
        "instance", "a", "severity", "page");
    assertEquals(1.0, firing.get(2 * M));
    assertTrue(Double.isNaN(firing.get(3 * M)), "ALERTS goes stale once resolved");
    assertEquals(60.0, raw("__name__", "ALERTS_FOR_STATE", "alertname", "Down", "instance", "a", "severity", "page")
        .get(2 * M));
  }

  @Test
  void keepFiringForHoldsFiringAfterConditionClears() {
    add(0, 0, "__name__", "up");
    add(2 * M - 1, 1, "__name__", "up");
    RuleGroup g = group("groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    keep_firing_for: 2m\n", false);
    AlertingRule r = (AlertingRule) g.rules().get(0);
    g.evaluate(M);
    assertEquals(AlertState.FIRING, r.state());
    g.evaluate(2 * M);
    g.evaluate(3 * M);
    assertEquals(AlertState.FIRING, r.state());
    g.evaluate(4 * M);
    assertEquals(AlertState.INACTIVE, r.state());
  }

  @Test
  void limitExceededFailsTheRuleButNotTheGroup() {
    add(0, 1, "__name__", "up", "instance", "a");
    add(0, 1, "__name__", "up", "instance", "b");
    RuleGroup g = group("groups:\n- name: g\n  limit: 1\n  rules:\n  - record: r1\n    expr: up\n"
        + "  - alert: A\n    expr: up\n  - record: r3\n    expr: sum(up)\n");
    g.evaluate(M);
    assertEquals("exceeded limit of 1 with 2 series", g.rules().get(0).lastError());
    assertEquals(RuleHealth.ERR, g.rules().get(0).health());
    assertEquals("exceeded limit of 1 with 2 alerts", g.rules().get(1).lastError());
    assertEquals(RuleHealth.OK, g.rules().get(2).health());
    assertEquals(2.0, raw("__name__", "r3").get(M));
  }

  @Test
  void duplicateOutputLabelSetsAreErrors() {
    add(0, 1, "__name__", "up", "instance", "a");
    add(0, 1, "__name__", "down", "instance", "a");
    RuleGroup g = group("groups:\n- name: g\n  rules:\n  - record: r\n    expr: '{instance=\"a\"}'\n"
        + "  - alert: A\n    expr: '{instance=\"a\"}'\n");
    g.evaluate(M);
    assertEquals("vector contains metrics with the same labelset after applying rule labels",
        g.rules().get(0).lastError());
    assertEquals("vector contains metrics with the same labelset after applying alert labels",
        g.rules().get(1).lastError());
  }

  @Test
  void templateErrorShowsInAnnotationAndGroupContinues() {
    add(0, 5, "__name__", "up", "instance", "a");
    RuleGroup g = group("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n"
        + "      bad: '{{ humanize \"x\" }}'\n      good: '{{ $labels.instance }} is {{ $value }} in {{ $externalLabels.cluster }}'\n"
        + "  - record: r\n    expr: up\n", false);
    g.evaluate(M);
    Alert a = ((AlertingRule) g.rules().get(0)).activeAlerts().get(0);
    assertEquals("<error expanding template: error executing template __alert_A: template: __alert_A:1:115: "
        + "executing \"__alert_A\" at <humanize \"x\">: error calling humanize: strconv.ParseFloat: parsing \"x\": "
        + "invalid syntax>", a.annotations().get("bad"));
    assertEquals("a is 5 in eu1", a.annotations().get("good"));
    AlertingRule rule = (AlertingRule) g.rules().get(0);
    assertEquals(RuleHealth.OK, rule.health(), "as in Prometheus, a template error is not a rule error");
    assertTrue(rule.lastTemplateError().contains("error calling humanize"), rule.lastTemplateError());
    assertEquals(5.0, raw("__name__", "r", "instance", "a").get(M));
  }

  @Test
  void notifierGetsFiringAlertsEveryResendDelayAndResolvedOnceWithEndTime() {
    add(0, 0, "__name__", "up");
    add(3 * M - 1, 1, "__name__", "up");
    RuleGroup g = group("groups:\n- name: g\n  interval: 30s\n  rules:\n  - alert: Down\n    expr: up == 0\n", false);
    g.evaluate(M);
    List<Alert> first = sink.drain();
    assertEquals(1, first.size());
    assertEquals(AlertState.FIRING, first.get(0).state());
    assertEquals(M + 4 * M, first.get(0).endsAtMillis(), "endsAt = eval time + 4 * max(resend delay, interval)");
    assertTrue(first.get(0).generatorUrl().contains("/graph?g0.expr=up+%3D%3D+0"), first.get(0).generatorUrl());
    g.evaluate(M + 30_000);
    g.evaluate(2 * M);
    assertEquals(List.of(), sink.drain(), "not re-sent before the resend delay has passed");
    g.evaluate(2 * M + 30_000);
    assertEquals(1, sink.drain().size());
    g.evaluate(3 * M);
    List<Alert> resolved = sink.drain();
    assertEquals(AlertState.INACTIVE, resolved.get(0).state());
    assertEquals(3 * M, resolved.get(0).endsAtMillis());
    g.evaluate(3 * M + 30_000);
    assertEquals(List.of(), sink.drain(), "resolved is sent once until the resend delay");
  }

  @Test
  void failingNotifierDoesNotStopTheGroup() {
    add(0, 0, "__name__", "up");
    RuleGroupSpec spec = RuleFiles.parse("rules.yml",
        "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n  - record: r\n    expr: up\n").get(0);
    RuleGroup g = RuleGroup.builder(spec).engine(engine).storage(storage, storage)
        .notifier(alerts -> {
          throw new IllegalStateException("queue full");
        }).build();
    g.evaluate(M);
    assertEquals(RuleHealth.OK, g.rules().get(0).health());
    assertEquals(0.0, raw("__name__", "r").get(M));
  }

  @Test
  void queryOffsetShiftsQueryAndSampleTimes() {
    add(0, 1, "__name__", "up");
    add(M, 2, "__name__", "up");
    RuleGroup g = group("groups:\n- name: g\n  query_offset: 1m\n  rules:\n  - record: r\n    expr: up\n");
    g.evaluate(90_000);
    assertEquals(Map.of(30_000L, 1.0), raw("__name__", "r"));
  }

  @Test
  void forStateIsRestoredFromAlertsForStateAfterARestart() {
    // Before the restart, the alert had been pending since t=10m; storage last saw it at t=20m.
    add(24 * M, 0, "__name__", "up");
    add(20 * M, 10 * 60, "__name__", "ALERTS_FOR_STATE", "alertname", "Down");
    String yaml = "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 30m\n";
    RuleGroupSpec spec = RuleFiles.parse("rules.yml", yaml).get(0);
    long restart = 25 * M;
    RuleGroup g = RuleGroup.builder(spec).engine(engine).storage(storage, storage)
        .clock(Clock.fixed(Instant.ofEpochMilli(restart), ZoneOffset.UTC)).build();
    g.evaluate(restart);
    AlertingRule r = (AlertingRule) g.rules().get(0);
    assertTrue(r.restored());
    // 10m spent pending before going down; 20m remain; the 5m downtime is not counted.
    assertEquals(15 * M, r.activeAlerts().get(0).activeAtMillis());
  }

  @Test
  void forStateBelowGracePeriodIsNotRestored() {
    add(24 * M, 0, "__name__", "up");
    add(20 * M, 10 * 60, "__name__", "ALERTS_FOR_STATE", "alertname", "Down");
    RuleGroupSpec spec = RuleFiles.parse("rules.yml",
        "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 5m\n").get(0);
    RuleGroup g = RuleGroup.builder(spec).engine(engine).storage(storage, storage)
        .clock(Clock.fixed(Instant.ofEpochMilli(25 * M), ZoneOffset.UTC)).build();
    g.evaluate(25 * M);
    assertEquals(25 * M, ((AlertingRule) g.rules().get(0)).activeAlerts().get(0).activeAtMillis());
  }

  @Test
  void evaluationTimesAreAlignedToTheIntervalAtAStableOffset() {
    RuleGroup g = group("groups:\n- name: g\n  interval: 1m\n  rules: []\n");
    long now = 1_700_000_012_345L;
    long ts = g.evalTimestamp(now);
    assertTrue(ts <= now && ts > now - M);
    assertEquals(ts + M, g.evalTimestamp(now + M));
    assertEquals(ts, g.evalTimestamp(ts));
    RuleGroup other = group("groups:\n- name: h\n  interval: 1m\n  rules: []\n");
    assertTrue(Math.floorMod(g.evalTimestamp(now), M) != Math.floorMod(other.evalTimestamp(now), M)
        || g.name().equals(other.name()), "groups spread over the interval (by hash)");
  }

  @Test
  void groupMetricsCountEvaluationsAndFailuresPerGroup() {
    add(0, 1, "__name__", "up");
    RuleGroup g = group("groups:\n- name: g\n  interval: 30s\n  rules:\n  - record: r\n    expr: up\n"
        + "  - record: bad\n    expr: '{__name__=~\".+\"} + on() group_left {__name__=~\".+\"}'\n");
    g.evaluate(M);
    g.evaluate(2 * M);
    MetricSnapshots snaps = new RuleGroupMetrics(() -> List.of(g)).collect();
    assertEquals(4.0, counter(snaps, "prometheus_rule_evaluations"));
    assertEquals(2.0, counter(snaps, "prometheus_rule_evaluation_failures"));
    assertEquals(2.0, counter(snaps, "prometheus_rule_group_iterations"));
    assertEquals(30.0, gauge(snaps, "prometheus_rule_group_interval_seconds"));
    assertEquals(2.0, gauge(snaps, "prometheus_rule_group_rules"));
    assertEquals(120.0, gauge(snaps, "prometheus_rule_group_last_evaluation_timestamp_seconds"));
    CounterSnapshot c = (CounterSnapshot) find(snaps, "prometheus_rule_evaluations");
    assertEquals("rules.yml;g", c.dataPoints().get(0).labels().get("rule_group"));
  }

  private static MetricSnapshot find(MetricSnapshots s, String name) {
    List<String> names = new ArrayList<>();
    for (MetricSnapshot m : s) {
      if (m.metadata().name().equals(name)) {
        return m;
      }
      names.add(m.metadata().name());
    }
    throw new AssertionError(name + " not in " + names);
  }

  private static double counter(MetricSnapshots s, String name) {
    return ((CounterSnapshot) find(s, name)).dataPoints().get(0).value();
  }

  private static double gauge(MetricSnapshots s, String name) {
    return ((GaugeSnapshot) find(s, name)).dataPoints().get(0).value();
  }
}
