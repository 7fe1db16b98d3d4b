package dev.promkit.promql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuleEvaluationTest {
  private static final String RULES = """
      groups:
        - name: api
          interval: 15s
          rules:
            - record: job:errors:rate1m
              expr: sum by (job) (rate(errors_total[1m]))
              labels:
                team: core
            - alert: ErrorsHigh
              expr: job:errors:rate1m > 1
              for: 1m
              labels:
                severity: page
                summary_job: "{{ $labels.job }}"
              annotations:
                summary: "{{ $labels.job }} fails at {{ $value }}/s"
                description: 'team {{ .Labels.team }} value {{ .Value }}'
      """;

  private final PromQLTestHarness h = PromQLTestHarness.create();

  @AfterEach
  void tearDown() {
    h.close();
  }

  private void loadErrorsGrowingBy(int perMinute) {
    h.load("load 15s\n  errors_total{job=\"api\", instance=\"a\"} 0+" + perMinute / 4 + "x40\n");
  }

  @Test
  void recordingRuleStoresItsOutputUnderTheNewNameWithRuleLabels() {
    loadErrorsGrowingBy(240);
    h.loadRules(RULES);
    h.advance(Duration.ofMinutes(2)).evaluateRules();
    h.query("job:errors:rate1m").assertValue("{job=\"api\", team=\"core\"}", 4, 1e-9);
  }

  @Test
  void alertIsPendingUntilItsForDurationThenFiresWithTemplatedLabelsAndAnnotations() {
    loadErrorsGrowingBy(240);
    h.loadRules(RULES);
    h.advance(Duration.ofMinutes(1)).evaluateRules();
    Instant activeAt = h.now();
    Alert pending = h.assertPending("ErrorsHigh");
    assertEquals(activeAt, pending.activeAt());
    h.advanceScraping(Duration.ofSeconds(45), Duration.ofSeconds(15));
    h.assertPending("ErrorsHigh");
    h.advanceScraping(Duration.ofSeconds(15), Duration.ofSeconds(15));
    Alert firing = h.assertFiring("ErrorsHigh", "{severity=\"page\"}");
    assertEquals(Map.of("alertname", "ErrorsHigh", "job", "api", "team", "core", "severity", "page",
        "summary_job", "api"), firing.labels());
    assertEquals(4, firing.value(), 1e-9);
    assertEquals("api fails at " + Templates.goFloat(firing.value()) + "/s", firing.annotations().get("summary"));
    assertEquals("team core value " + Templates.goFloat(firing.value()), firing.annotations().get("description"));
    assertEquals(activeAt, firing.activeAt());
    assertEquals(h.now(), firing.firedAt());
    h.query("ALERTS").assertValue("{alertname=\"ErrorsHigh\", alertstate=\"firing\", severity=\"page\"}", 1);
    h.query("ALERTS_FOR_STATE").assertSingleValue(activeAt.toEpochMilli() / 1000.0);
  }

  @Test
  void firingAlertResolvesWhenTheExpressionStopsReturningIt() {
    h.load("load 15s\n  errors_total{job=\"api\"} 0+60x12 720x20\n");
    h.loadRules(RULES.replace("for: 1m", "for: 0s"));
    h.advance(Duration.ofMinutes(1)).evaluateRules();
    h.assertFiring("ErrorsHigh");
    h.advance(Duration.ofMinutes(3)).evaluateRules();
    h.assertNotActive("ErrorsHigh");
    Alert resolved = h.alerts("ErrorsHigh", Alert.State.INACTIVE).get(0);
    assertEquals(h.now(), resolved.resolvedAt());
    h.query("ALERTS").assertEmpty();
  }

  @Test
  void pendingAlertThatStopsIsDropped() {
    h.load("load 15s\n  errors_total{job=\"api\"} 0+60x4 240x20\n");
    h.loadRules(RULES);
    h.advance(Duration.ofMinutes(1)).evaluateRules();
    h.assertPending("ErrorsHigh");
    h.advance(Duration.ofMinutes(2)).evaluateRules();
    assertTrue(h.alerts().isEmpty(), h.describeAlerts());
    AssertionError e = assertThrows(AssertionError.class, () -> h.assertFiring("ErrorsHigh"));
    assertTrue(e.getMessage().contains("expected exactly one firing ErrorsHigh alert"), e.getMessage());
    assertTrue(e.getMessage().contains("alerts: none"), e.getMessage());
  }

  @Test
  void badRuleFilesFailNamingGroupAndRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> h.loadRules("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(\n"));
    assertTrue(e.getMessage().contains("group \"g\": rule 1 (A): bad expr"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> h.loadRules("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5x\n"));
    assertTrue(e.getMessage().contains("for: not a duration: \"5x\""), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> h.loadRules("groups:\n  - name: g\n    rules:\n      - record: r\n        alert: A\n        expr: up\n"));
    assertTrue(e.getMessage().contains("exactly one of 'record' and 'alert'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> h.loadRules("groups:\n  - name: g\n    rulez: []\n"));
    assertTrue(e.getMessage().contains("unknown field \"rulez\""), e.getMessage());
  }

  @Test
  void unsupportedTemplateActionFailsNamingTheRule() {
    h.load("load 1m\n  x 1\n");
    h.loadRules("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n"
        + "        annotations:\n          s: '{{ range $labels }}x{{ end }}'\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.evaluateRules());
    assertTrue(e.getMessage().contains("alerting rule A, annotation s: unsupported template action"), e.getMessage());
  }

  @Test
  void goFloatFormatsAsGoPrintsAFloat64() {
    assertEquals("4", Templates.goFloat(4));
    assertEquals("0.25", Templates.goFloat(0.25));
    assertEquals("123456", Templates.goFloat(123456));
    assertEquals("1e+06", Templates.goFloat(1e6));
    assertEquals("1.5e-05", Templates.goFloat(0.000015));
    assertEquals("-2.5", Templates.goFloat(-2.5));
    assertEquals("NaN", Templates.goFloat(Double.NaN));
    assertEquals("+Inf", Templates.goFloat(Double.POSITIVE_INFINITY));
    assertEquals("12.5%", Templates.expand("{{ $value | humanizePercentage }}", Map.of(), 0.125, "t"));
    assertEquals("30%", Templates.expand("{{ $value | humanizePercentage }}", Map.of(), 0.30000000000000004, "t"));
    assertEquals("1.235k", Templates.expand("{{$value|humanize}}", Map.of(), 1234.5678, "t"));
    assertEquals("250m", Templates.humanize(0.25));
    assertEquals("1.234e+04", Templates.goG(12345, 4));
    assertEquals("30", Templates.goG(30, 4));
  }
}
