package dev.promkit.server.web;

import com.google.gson.stream.JsonWriter;
import dev.promkit.promql.rules.Alert;
import dev.promkit.promql.rules.AlertState;
import dev.promkit.promql.rules.AlertingRule;
import dev.promkit.promql.rules.RecordingRule;
import dev.promkit.promql.rules.Rule;
import dev.promkit.promql.rules.RuleGroup;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code /api/v1/rules}, {@code /api/v1/alerts} and {@code /api/v1/alertmanagers} in Prometheus' JSON shape. */
final class RulesJson {
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private RulesJson() {}

  /**
   * The rule groups, filtered as Prometheus filters: {@code type} "alert" or "record", and
   * {@code rule_name[]}, {@code rule_group[]}, {@code file[]} (empty = all).
   */
  static Json.Body rules(List<RuleGroup> groups, String type, Set<String> names, Set<String> groupNames,
      Set<String> files) {
    if (type != null && !type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      throw new ApiException(ApiException.Type.BAD_DATA, "invalid query parameter type='" + type + "'");
    }
    boolean alertsOnly = "alert".equals(type);
    boolean recordsOnly = "record".equals(type);
    return w -> {
      w.beginObject().name("groups").beginArray();
      for (RuleGroup g : groups) {
        if ((!groupNames.isEmpty() && !groupNames.contains(g.name())) || (!files.isEmpty() && !files.contains(g.file()))) {
          continue;
        }
        boolean any = false;
        for (Rule r : g.rules()) {
          if (keep(r, alertsOnly, recordsOnly, names)) {
            any = true;
          }
        }
        if (!any && (!names.isEmpty() || alertsOnly || recordsOnly)) {
          continue; // Prometheus omits groups whose rules were all filtered out
        }
        w.beginObject();
        w.name("name").value(g.name());
        w.name("file").value(g.file());
        w.name("rules").beginArray();
        for (Rule r : g.rules()) {
          if (keep(r, alertsOnly, recordsOnly, names)) {
            rule(w, r);
          }
        }
        w.endArray();
        w.name("interval").jsonValue(Json.value(g.intervalMillis() / 1000.0));
        w.name("limit").value(g.limit());
        w.name("evaluationTime").jsonValue(Json.value(g.lastEvaluationSeconds()));
        w.name("lastEvaluation").value(time(g.lastEvaluationMillis()));
        w.endObject();
      }
      w.endArray().endObject();
    };
  }

  private static boolean keep(Rule r, boolean alertsOnly, boolean recordsOnly, Set<String> names) {
    if (alertsOnly && !(r instanceof AlertingRule) || recordsOnly && !(r instanceof RecordingRule)) {
      return false;
    }
    return names.isEmpty() || names.contains(r.name());
  }

  private static void rule(JsonWriter w, Rule r) throws IOException {
    w.beginObject();
    if (r instanceof AlertingRule) {
      AlertingRule a = (AlertingRule) r;
      w.name("state").value(a.state().toString());
      w.name("name").value(a.name());
      w.name("query").value(a.query());
      w.name("duration").jsonValue(Json.value(a.holdDurationMillis() / 1000.0));
      w.name("keepFiringFor").jsonValue(Json.value(a.keepFiringForMillis() / 1000.0));
      w.name("labels");
      Api.labels(w, a.labels());
      w.name("annotations").beginObject();
      for (var e : new java.util.TreeMap<>(a.spec().annotations()).entrySet()) {
        w.name(e.getKey()).value(e.getValue());
      }
      w.endObject();
      w.name("alerts").beginArray();
      for (Alert al : a.activeAlerts()) {
        alert(w, al);
      }
      w.endArray();
    } else {
      w.name("name").value(r.name());
      w.name("query").value(r.query());
      if (!r.labels().isEmpty()) {
        w.name("labels");
        Api.labels(w, r.labels());
      }
    }
    w.name("health").value(r.health().toString());
    if (!r.lastError().isEmpty()) {
      w.name("lastError").value(r.lastError());
    }
    w.name("evaluationTime").jsonValue(Json.value(r.evaluationSeconds()));
    w.name("lastEvaluation").value(time(r.lastEvaluationMillis()));
    w.name("type").value(r instanceof AlertingRule ? "alerting" : "recording");
    w.endObject();
  }

  /** {@code /api/v1/alerts}: the pending and firing alerts of every group. */
  static Json.Body alerts(List<RuleGroup> groups) {
    return w -> {
      w.beginObject().name("alerts").beginArray();
      for (RuleGroup g : groups) {
        for (Alert a : g.alerts()) {
          if (a.state() != AlertState.INACTIVE) {
            alert(w, a);
          }
        }
      }
      w.endArray().endObject();
    };
  }

  static void alert(JsonWriter w, Alert a) throws IOException {
    w.beginObject();
    w.name("labels");
    Api.labels(w, a.labels());
    w.name("annotations");
    Api.labels(w, a.annotations());
    w.name("state").value(a.state().toString());
    if (a.activeAtMillis() != 0) {
      w.name("activeAt").value(time(a.activeAtMillis()));
    }
    w.name("value").value(goExp(a.value()));
    w.endObject();
  }

  /** {@code /api/v1/alertmanagers}. */
  static Json.Body alertmanagers(List<String> urls) {
    return w -> {
      w.beginObject().name("activeAlertmanagers").beginArray();
      for (String u : urls) {
        w.beginObject().name("url").value(u).endObject();
      }
      w.endArray().name("droppedAlertmanagers").beginArray().endArray().endObject();
    };
  }

  private static String time(long ms) {
    return ms == 0 ? ZERO_TIME : Api.rfc3339(Instant.ofEpochMilli(ms));
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: shortest digits, exponent of at least two digits. */
  static String goExp(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0 ? "-" : "") + "0e+00";
    }
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    StringBuilder sb = new StringBuilder();
    if (v < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) {
      sb.append('0');
    }
    return sb.append(ae).toString();
  }
}
