package dev.promkit.promql.rules;

import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alerting rule: each series of its expression's result is an alert, pending until the
 * condition has held for {@code for}, then firing; it is resolved when the series vanishes (after
 * {@code keep_firing_for}, if set) and kept 15 minutes as resolved so the notifier can report it.
 */
public final class AlertingRule extends Rule {
  private static final System.Logger LOG = System.getLogger(AlertingRule.class.getName());
  /** How long resolved alerts are kept (and re-sent), as Prometheus' resolvedRetention. */
  static final long RESOLVED_RETENTION_MILLIS = 15 * 60_000L;
  /** Prepended to every template, as Prometheus does, so that $labels, $value... are defined. */
  static final String DEFS =
      "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

  /** Mutable alert state, guarded by the rule's monitor. */
  static final class Active {
    Labels labels;
    Labels annotations;
    AlertState state;
    double value;
    long activeAt;
    long firedAt;
    long resolvedAt;
    long lastSentAt;
    long validUntil;
    long keepFiringSince;
    boolean sent;

    Alert snapshot(String url) {
      return new Alert(labels, annotations, state, value, activeAt, firedAt, resolvedAt, lastSentAt, validUntil, url);
    }
  }

  private final Map<String, Template> labelTemplates = new LinkedHashMap<>();
  private final Map<String, Template> annotationTemplates = new LinkedHashMap<>();
  private final Map<Labels, Active> active = new HashMap<>();
  private volatile boolean restored;
  private volatile String lastTemplateError = "";
  private volatile AlertState state = AlertState.INACTIVE;

  AlertingRule(RuleSpec spec, Expr expr, Labels labels) {
    super(spec, expr, labels);
    try {
      for (int i = 0; i < labels.size(); i++) {
        labelTemplates.put(labels.name(i), Template.parse("__alert_" + spec.alert(), DEFS + labels.value(i)));
      }
      for (Map.Entry<String, String> a : new TreeMap<>(spec.annotations()).entrySet()) {
        annotationTemplates.put(a.getKey(), Template.parse("__alert_" + spec.alert(), DEFS + a.getValue()));
      }
    } catch (TemplateException e) {
      throw new IllegalArgumentException("alert " + spec.alert() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The last template expansion error of this rule ("" if none since it was created). As in
   * Prometheus, such errors do not change {@link #health()}: they show in the expanded label or
   * annotation (and so in the rules and alerts APIs) and here.
   */
  public String lastTemplateError() {
    return lastTemplateError;
  }

  /** {@code for}: how long an alert stays pending. */
  public long holdDurationMillis() {
    return spec.forMillis();
  }

  /** {@code keep_firing_for}. */
  public long keepFiringForMillis() {
    return spec.keepFiringForMillis();
  }

  /** The highest state among the rule's alerts. */
  public AlertState state() {
    return state;
  }

  /** Whether the {@code for} state was restored (ALERTS series are written only after). */
  public boolean restored() {
    return restored;
  }

  void setRestored(boolean r) {
    restored = r;
  }

  /** Snapshots of the pending, firing and recently resolved alerts, sorted by labels. */
  public synchronized List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (Active a : active.values()) {
      out.add(a.snapshot(""));
    }
    out.sort((x, y) -> x.labels().compareTo(y.labels()));
    return out;
  }

  /** Pending and firing alerts only (what /api/v1/alerts shows). */
  public List<Alert> activeAlerts() {
    List<Alert> out = new ArrayList<>();
    for (Alert a : alerts()) {
      if (a.state() != AlertState.INACTIVE) {
        out.add(a);
      }
    }
    return out;
  }

  synchronized Map<Labels, Active> activeMap() {
    return active;
  }

  @Override
  List<Output> eval(EvalContext ctx, long ts, long queryOffsetMillis, int limit) {
    long qt = ts - queryOffsetMillis;
    Vector res = ctx.query(expr, spec.expr(), qt);
    Map<Labels, Active> fresh = new LinkedHashMap<>();
    TemplateFunctions fns = new TemplateFunctions(ctx.templateQuery(ts), ctx.externalUrl);
    Map<String, Object> data = new LinkedHashMap<>();
    for (Sample s : res) {
      Map<String, String> l = new TreeMap<>();
      s.metric().forEach(l::put);
      data.put("Labels", new TemplateFunctions.LabelMap(l));
      data.put("ExternalLabels", new TemplateFunctions.LabelMap(ctx.externalLabels));
      data.put("ExternalURL", ctx.externalUrl);
      data.put("Value", s.f());
      Labels.Builder lb = s.metric().toBuilder().remove(Labels.METRIC_NAME);
      for (Map.Entry<String, Template> t : labelTemplates.entrySet()) {
        lb.set(t.getKey(), expand(t.getValue(), data, fns));
      }
      lb.set("alertname", spec.alert());
      Labels.Builder ab = Labels.empty().toBuilder();
      for (Map.Entry<String, Template> t : annotationTemplates.entrySet()) {
        ab.set(t.getKey(), expand(t.getValue(), data, fns));
      }
      Labels lbs = lb.build();
      if (fresh.containsKey(lbs)) {
        throw new PromQLException("vector contains metrics with the same labelset after applying alert labels");
      }
      Active a = new Active();
      a.labels = lbs;
      a.annotations = ab.build();
      a.activeAt = ts;
      a.state = AlertState.PENDING;
      a.value = s.f();
      fresh.put(lbs, a);
    }
    List<Output> out = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<Labels, Active> e : fresh.entrySet()) {
        Active old = active.get(e.getKey());
        if (old != null && old.state != AlertState.INACTIVE) {
          old.value = e.getValue().value;
          old.annotations = e.getValue().annotations;
          continue;
        }
        active.put(e.getKey(), e.getValue());
      }
      int numActivePending = 0;
      AlertState max = AlertState.INACTIVE;
      for (var it = active.entrySet().iterator(); it.hasNext(); ) {
        Active a = it.next().getValue();
        if (!fresh.containsKey(a.labels)) {
          boolean keepFiring = false;
          if (a.state == AlertState.FIRING && spec.keepFiringForMillis() > 0) {
            if (a.keepFiringSince == 0) {
              a.keepFiringSince = ts;
            }
            keepFiring = ts - a.keepFiringSince < spec.keepFiringForMillis();
          }
          if (a.state == AlertState.PENDING || (a.resolvedAt != 0 && ts - a.resolvedAt > RESOLVED_RETENTION_MILLIS)) {
            it.remove();
          }
          if (a.state != AlertState.INACTIVE && !keepFiring) {
            a.state = AlertState.INACTIVE;
            a.resolvedAt = ts;
          }
          if (!keepFiring) {
            continue;
          }
        } else {
          a.keepFiringSince = 0;
        }
        numActivePending++;
        if (a.state == AlertState.PENDING && ts - a.activeAt >= spec.forMillis()) {
          a.state = AlertState.FIRING;
          a.firedAt = ts;
        }
        if (a.state.ordinal() > max.ordinal()) {
          max = a.state;
        }
        if (restored) {
          out.add(new Output(a.labels.toBuilder().set(Labels.METRIC_NAME, "ALERTS")
              .set("alertstate", a.state.toString()).build(), qt, 1));
          out.add(new Output(a.labels.toBuilder().set(Labels.METRIC_NAME, "ALERTS_FOR_STATE").build(), qt,
              Math.floorDiv(a.activeAt, 1000)));
        }
      }
      if (limit > 0 && numActivePending > limit) {
        active.clear();
        state = AlertState.INACTIVE;
        throw new PromQLException("exceeded limit of " + limit + " with " + numActivePending + " alerts");
      }
      state = max;
    }
    return out;
  }

  private String expand(Template t, Map<String, Object> data, TemplateFunctions fns) {
    try {
      return t.execute(data, fns);
    } catch (TemplateException e) {
      LOG.log(Level.WARNING, "Expanding alert template failed: {0}", e.getMessage());
      lastTemplateError = e.getMessage();
      return "<error expanding template: error executing template " + t.name() + ": " + e.getMessage() + ">";
    }
  }

  /** Alerts due for (re)sending at ts, marked as sent; Prometheus' sendAlerts. */
  synchronized List<Alert> alertsToSend(long ts, long resendDelayMillis, long intervalMillis, String externalUrl) {
    List<Alert> out = new ArrayList<>();
    String url = externalUrl + "/graph?g0.expr=" + URLEncoder.encode(spec.expr(), StandardCharsets.UTF_8)
        + "&g0.tab=1";
    for (Active a : active.values()) {
      if (a.state == AlertState.PENDING) {
        continue;
      }
      boolean due = !a.sent || a.resolvedAt > a.lastSentAt || a.lastSentAt + resendDelayMillis < ts;
      if (!due) {
        continue;
      }
      a.lastSentAt = ts;
      a.sent = true;
      a.validUntil = ts + 4 * Math.max(resendDelayMillis, intervalMillis); // allows two failed evals or sends
      out.add(a.snapshot(url));
    }
    out.sort((x, y) -> x.labels().compareTo(y.labels()));
    return out;
  }
}
