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

  /** Go's %v of a float64 in the plain-notation range (no exponent). */
  private static String goPrint(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
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
    String v = goPrint(firing.value()); // rate() gives 3.9999999999999996 here, printed in full as Go does
    assertEquals("api fails at " + v + "/s", firing.annotations().get("summary"));
    assertEquals("team core value " + v, firing.annotations().get("description"));
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
  void keepFiringForHoldsAFiringAlertAfterTheExpressionStops() {
    h.load("load 1m\n  up{job=\"a\"} 0 0 1 1 1 1 1\n");
    h.loadRules("groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n"
        + "        keep_firing_for: 2m\n");
    h.evaluateRules();
    h.assertFiring("Down");
    h.advance(Duration.ofMinutes(3)).evaluateRules(); // no longer returned: kept firing for 2m from here
    h.assertFiring("Down");
    h.advance(Duration.ofMinutes(2)).evaluateRules();
    h.assertNotActive("Down");
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
    assertTrue(e.getMessage().contains("group \"g\", rule 1, \"A\": line 5: field \"expr\": could not parse"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> h.loadRules("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5x\n"));
    assertTrue(e.getMessage().contains("5x"), e.getMessage());
    assertTrue(e.getMessage().contains(":6: "), "names the line of 'for': " + e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> h.loadRules("groups:\n  - name: g\n    rules:\n      - record: r\n        alert: A\n        expr: up\n"));
    assertTrue(e.getMessage().contains("group \"g\", rule 1, \"r\": only one of 'record' and 'alert' must be set"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> h.loadRules("groups:\n  - name: g\n    rulez: []\n"));
    assertTrue(e.getMessage().contains("field rulez not found"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> h.loadRules("groups:\n  - name: g\n    rules:\n"
        + "      - alert: A\n        expr: up\n        annotations:\n          s: '{{ $labels.job '\n"));
    assertTrue(e.getMessage().contains("group \"g\", rule 1, \"A\": line 7: field \"annotations.s\""), e.getMessage());
  }

  @Test
  void groupNamesMustBeUniqueAcrossLoadedFiles() {
    h.loadRules("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> h.loadRules("groups:\n  - name: g\n    rules:\n      - record: s\n        expr: up\n"));
    assertTrue(e.getMessage().contains("rule group \"g\" is already loaded"), e.getMessage());
  }

  @Test
  void failingRuleEvaluationFailsNamingGroupAndRule() {
    h.load("load 1m\n  x{a=\"1\"} 1\n  x{a=\"2\"} 2\n");
    h.loadRules("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: x\n        labels:\n          a: same\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.evaluateRules());
    assertTrue(e.getMessage().contains("group \"g\""), e.getMessage());
    assertTrue(e.getMessage().contains("rule r: "), e.getMessage());
  }

  @Test
  void templatesAreFullGoTemplatesWithPrometheusFunctions() {
    h.load("load 1m\n  x{job=\"api\", instance=\"a\"} 1234.5678\n  y{job=\"api\"} 0.125\n");
    h.loadRules("""
        groups:
          - name: g
            rules:
              - alert: A
                expr: x
                annotations:
                  plain: '{{ $value }}'
                  humanized: '{{ $value | humanize }}'
                  labels: '{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}'
                  printf: '{{ printf "%.1f" $value }}'
                  queried: '{{ with query "y" }}{{ . | first | value | humanizePercentage }}{{ end }}'
                  upper: '{{ $labels.job | toUpper }}'
        """);
    h.evaluateRules();
    Map<String, String> ann = h.assertFiring("A").annotations();
    assertEquals("1234.5678", ann.get("plain"));
    assertEquals("1.235k", ann.get("humanized"));
    assertEquals("__name__=x;instance=a;job=api;", ann.get("labels")); // the sample's labels, as Prometheus passes them
    assertEquals("1234.6", ann.get("printf"));
    assertEquals("12.5%", ann.get("queried"));
    assertEquals("API", ann.get("upper"));
  }

  @Test
  void valuesPrintAsGoPrintsAFloat64() {
    h.load("load 1m\n  v{k=\"a\"} 1e6\n  v{k=\"b\"} 0.000015\n  v{k=\"c\"} -2.5\n  v{k=\"d\"} 123456\n"
        + "  v{k=\"e\"} 0.30000000000000004\n");
    h.loadRules("groups:\n  - name: g\n    rules:\n      - alert: V\n        expr: v\n        annotations:\n"
        + "          s: '{{ $value }}'\n          p: '{{ $value | humanizePercentage }}'\n");
    h.evaluateRules();
    assertEquals("1e+06", h.assertFiring("V", "{k=\"a\"}").annotations().get("s"));
    assertEquals("1.5e-05", h.assertFiring("V", "{k=\"b\"}").annotations().get("s"));
    assertEquals("-2.5", h.assertFiring("V", "{k=\"c\"}").annotations().get("s"));
    assertEquals("123456", h.assertFiring("V", "{k=\"d\"}").annotations().get("s"));
    assertEquals("30%", h.assertFiring("V", "{k=\"e\"}").annotations().get("p"));
  }
}
