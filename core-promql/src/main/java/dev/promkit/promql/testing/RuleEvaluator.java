package dev.promkit.promql.testing;

import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stand-in rule evaluation for the test harness until promkit has its rules engine (which will
 * replace this class): each call evaluates every rule of every group, in order, at one time, through
 * the PromQL engine. Recording rules store their output under the new name with the rule's labels;
 * alerting rules go pending when their expression returns a sample, firing once it has returned it
 * for the rule's {@code for}, and inactive (resolved, kept 15 minutes) when it no longer does; the
 * {@code ALERTS} and {@code ALERTS_FOR_STATE} series are stored as Prometheus stores them; series a
 * rule stops producing get stale markers. Not supported: {@code keep_firing_for}, group
 * {@code interval} scheduling (the test decides when to evaluate), sending to an Alertmanager, and Go
 * templates beyond {@link Templates}' subset.
 */
final class RuleEvaluator {
  private static final long RESOLVED_RETENTION_MS = 15 * 60_000;

  private final Engine engine;
  private final Tsdb storage;
  private final List<RuleFile.Group> groups = new ArrayList<>();
  private final Map<RuleFile.Rule, Map<Labels, MutableAlert>> active = new HashMap<>();
  private final Map<RuleFile.Rule, Set<Labels>> lastOutput = new HashMap<>();

  RuleEvaluator(Engine engine, Tsdb storage) {
    this.engine = engine;
    this.storage = storage;
  }

  void add(List<RuleFile.Group> more) {
    for (RuleFile.Group g : more) {
      for (RuleFile.Group have : groups) {
        if (have.name().equals(g.name())) {
          throw new IllegalArgumentException("rule group \"" + g.name() + "\" is already loaded");
        }
      }
    }
    groups.addAll(more);
  }

  boolean isEmpty() {
    return groups.isEmpty();
  }

  /** Evaluates every group at t, committing each rule's output before the next rule runs. */
  void evaluate(long t) {
    for (RuleFile.Group g : groups) {
      for (RuleFile.Rule r : g.rules()) {
        Vector v = query(g, r, t);
        Appender app = storage.appender();
        Set<Labels> out = r.alert() == null ? record(r, v, t, app) : alert(r, v, t, app);
        for (Labels gone : lastOutput.getOrDefault(r, Set.of())) {
          if (!out.contains(gone)) {
            app.append(0, gone, t, ScrapeTarget.STALE_NAN);
          }
        }
        lastOutput.put(r, out);
        app.commit();
      }
    }
  }

  private Vector query(RuleFile.Group g, RuleFile.Rule r, long t) {
    Value v;
    try {
      v = engine.instantQuery(storage, r.expr(), r.exprText(), t).value();
    } catch (RuntimeException e) {
      throw new IllegalStateException("group \"" + g.name() + "\", rule " + r.name() + ": evaluating "
          + r.exprText() + " at " + Instant.ofEpochMilli(t) + ": " + e.getMessage(), e);
    }
    if (v instanceof Scalar) {
      Vector one = new Vector();
      one.add(new Sample(Labels.empty(), t, ((Scalar) v).v()));
      return one;
    }
    if (!(v instanceof Vector)) {
      throw new IllegalStateException("group \"" + g.name() + "\", rule " + r.name()
          + ": expression must return a vector or scalar, got a " + v.typeName());
    }
    return (Vector) v;
  }

  private static Set<Labels> record(RuleFile.Rule r, Vector v, long t, Appender app) {
    Set<Labels> out = new HashSet<>();
    for (Sample s : v) {
      Labels.Builder b = s.metric().toBuilder();
      b.set(Labels.METRIC_NAME, r.record());
      r.labels().forEach(b::set);
      Labels l = b.build();
      if (!out.add(l)) {
        throw new IllegalStateException("recording rule " + r.record()
            + ": vector contains metrics with the same labelset after applying rule labels: " + Format.labels(l));
      }
      app.append(0, l, t, s.f());
    }
    return out;
  }

  private Set<Labels> alert(RuleFile.Rule r, Vector v, long t, Appender app) {
    Map<Labels, MutableAlert> alerts = active.computeIfAbsent(r, k -> new LinkedHashMap<>());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : v) {
      Labels sampleLabels = s.metric().toBuilder().remove(Labels.METRIC_NAME).build();
      Map<String, String> tmplLabels = toMap(sampleLabels);
      String where = "alerting rule " + r.alert();
      Labels.Builder b = sampleLabels.toBuilder();
      r.labels().forEach((k, val) -> b.set(k, Templates.expand(val, tmplLabels, s.f(), where + ", label " + k)));
      b.set("alertname", r.alert());
      Labels l = b.build();
      if (!seen.add(l)) {
        throw new IllegalStateException(where + ": vector contains metrics with the same labelset after"
            + " applying alert labels: " + Format.labels(l));
      }
      Map<String, String> ann = new LinkedHashMap<>();
      r.annotations().forEach((k, val) -> ann.put(k, Templates.expand(val, tmplLabels, s.f(), where + ", annotation " + k)));
      MutableAlert a = alerts.get(l);
      if (a == null || a.state == Alert.State.INACTIVE) {
        a = new MutableAlert(r.alert(), l, t);
        alerts.put(l, a);
      }
      a.value = s.f();
      a.annotations = ann;
    }
    Set<Labels> out = new HashSet<>();
    for (var it = alerts.values().iterator(); it.hasNext(); ) {
      MutableAlert a = it.next();
      if (!seen.contains(a.labels)) {
        if (a.state == Alert.State.PENDING
            || (a.state == Alert.State.INACTIVE && t - a.resolvedAt > RESOLVED_RETENTION_MS)) {
          it.remove();
        } else if (a.state == Alert.State.FIRING) {
          a.state = Alert.State.INACTIVE;
          a.resolvedAt = t;
        }
        continue;
      }
      if (a.state == Alert.State.PENDING && t - a.activeAt >= r.forMillis()) {
        a.state = Alert.State.FIRING;
        a.firedAt = t;
      }
      Labels alertsSeries = a.labels.toBuilder().set(Labels.METRIC_NAME, "ALERTS")
          .set("alertstate", a.state == Alert.State.FIRING ? "firing" : "pending").build();
      app.append(0, alertsSeries, t, 1);
      out.add(alertsSeries);
      Labels forState = a.labels.toBuilder().set(Labels.METRIC_NAME, "ALERTS_FOR_STATE").build();
      app.append(0, forState, t, a.activeAt / 1000.0);
      out.add(forState);
    }
    return out;
  }

  /** Every alert held after the last evaluation, by group and rule order. */
  List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (RuleFile.Group g : groups) {
      for (RuleFile.Rule r : g.rules()) {
        for (MutableAlert a : active.getOrDefault(r, Map.of()).values()) {
          out.add(a.snapshot());
        }
      }
    }
    return out;
  }

  private static Map<String, String> toMap(Labels l) {
    Map<String, String> m = new TreeMap<>();
    l.forEach(m::put);
    return m;
  }

  private static final class MutableAlert {
    final String name;
    final Labels labels;
    final long activeAt;
    Alert.State state = Alert.State.PENDING;
    long firedAt;
    long resolvedAt;
    double value;
    Map<String, String> annotations = Map.of();

    MutableAlert(String name, Labels labels, long activeAt) {
      this.name = name;
      this.labels = labels;
      this.activeAt = activeAt;
    }

    Alert snapshot() {
      return new Alert(name, state, Collections.unmodifiableMap(toMap(labels)),
          Collections.unmodifiableMap(new LinkedHashMap<>(annotations)), value, Instant.ofEpochMilli(activeAt),
          state == Alert.State.PENDING ? null : firedAt == 0 ? null : Instant.ofEpochMilli(firedAt),
          state == Alert.State.INACTIVE ? Instant.ofEpochMilli(resolvedAt) : null);
    }
  }
}
