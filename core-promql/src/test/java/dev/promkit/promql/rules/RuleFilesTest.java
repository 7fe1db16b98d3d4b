package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleFilesTest {
  static final java.nio.file.Path CHECK_DIR = java.nio.file.Path.of("src/test/resources/rules/check");

  @Test
  void acceptsGoodAndRejectsBadFilesOfTheCheckCorpus() throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(CHECK_DIR)) {
      for (java.nio.file.Path f : s.sorted().toList()) {
        boolean good = f.getFileName().toString().startsWith("good_");
        if (good) {
          RuleFiles.load(f);
        } else {
          RuleFileException e = assertThrows(RuleFileException.class, () -> RuleFiles.load(f), f.toString());
          assertTrue(e.getMessage().startsWith(f.toString() + ":"), e.getMessage());
        }
      }
    }
  }
  private static final String GOOD = """
      groups:
        - name: g
          interval: 30s
          limit: 5
          query_offset: 1m
          labels:
            team: a
          rules:
            - record: job:up:sum
              expr: sum by (job) (up)
              labels:
                kind: rec
            - alert: Down
              expr: up == 0
              for: 5m
              keep_firing_for: 1m
              labels:
                severity: page
              annotations:
                summary: "{{ $labels.instance }} down ({{ $value }})"
      """;

  static List<String> errors(String yaml) {
    return assertThrows(RuleFileException.class, () -> RuleFiles.parse("r.yml", yaml)).errors();
  }

  static void assertAnyContains(List<String> errors, String part) {
    assertTrue(errors.stream().anyMatch(m -> m.contains(part)), () -> "no error contains <" + part + "> in " + errors);
  }

  @Test
  void readsGroupsWithEveryField() {
    List<RuleGroupSpec> gs = RuleFiles.parse("rules.yml", GOOD);
    assertEquals(1, gs.size());
    RuleGroupSpec g = gs.get(0);
    assertEquals("g", g.name());
    assertEquals(30_000, g.intervalMillis());
    assertEquals(5, g.limit());
    assertEquals(60_000, g.queryOffsetMillis());
    assertEquals("a", g.labels().get("team"));
    assertEquals(2, g.rules().size());
    RuleSpec rec = g.rules().get(0);
    assertEquals("job:up:sum", rec.record());
    assertEquals("rec", rec.labels().get("kind"));
    RuleSpec alert = g.rules().get(1);
    assertEquals("Down", alert.alert());
    assertEquals(300_000, alert.forMillis());
    assertEquals(60_000, alert.keepFiringForMillis());
    assertTrue(alert.annotations().containsKey("summary"));
    assertEquals(13, alert.line());
  }

  @Test
  void rejectsUnparsableExpressionNamingGroupRuleFieldAndLine() {
    String y = """
        groups:
          - name: g
            rules:
              - record: a
                expr: up
              - record: b
                expr: sum(up
        """;
    assertAnyContains(errors(y), "r.yml:6: group \"g\", rule 2, \"b\": line 7: field \"expr\": could not parse expression: 1:");
  }

  @Test
  void rejectsUnknownFieldWithLine() {
    String y = "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    severity: x\n";
    assertEquals(List.of("r.yml:6: field severity not found in type rulefmt.Rule"), errors(y));
  }

  @Test
  void rejectsDuplicateGroupNames() {
    assertAnyContains(errors("groups:\n- name: g\n  rules: []\n- name: g\n  rules: []\n"),
        "r.yml:4: group \"g\": groupname: \"g\" is repeated in the same file");
  }

  @Test
  void rejectsRuleWithBothRecordAndAlert() {
    assertAnyContains(errors("groups:\n- name: g\n  rules:\n  - record: a\n    alert: b\n    expr: up\n"),
        "only one of 'record' and 'alert' must be set");
  }

  @Test
  void rejectsInvalidRecordNameAndLabelName() {
    List<String> e = errors("groups:\n- name: g\n  rules:\n  - record: 'a-b'\n    expr: up\n    labels:\n      '0x': y\n");
    assertAnyContains(e, "field \"record\": invalid recording rule name: a-b");
    assertAnyContains(e, "field \"labels\": invalid label name: 0x");
  }

  @Test
  void rejectsRecordingRuleWithForOrAnnotations() {
    List<String> e = errors("groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    for: 1m\n"
        + "    annotations:\n      x: y\n");
    assertAnyContains(e, "invalid field 'for' in recording rule");
    assertAnyContains(e, "invalid field 'annotations' in recording rule");
  }

  @Test
  void rejectsTemplateThatDoesNotParse() {
    List<String> e = errors("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n"
        + "      summary: '{{ $labels.x '\n      other: '{{ nosuchfunc 1 }}'\n");
    assertAnyContains(e, "field \"annotations.summary\": template: __alert_A:1: unclosed action");
    assertAnyContains(e, "field \"annotations.other\": template: __alert_A:1: function \"nosuchfunc\" not defined");
  }

  @Test
  void rejectsBadDurationWithLine() {
    assertEquals(List.of("r.yml:3: not a valid duration string: \"5x\""),
        errors("groups:\n- name: g\n  interval: 5x\n  rules: []\n"));
  }

  @Test
  void rejectsRuleWithoutExpr() {
    assertAnyContains(errors("groups:\n- name: g\n  rules:\n  - alert: A\n"), "field 'expr' must be set in rule");
  }

  @Test
  void rejectsYamlSyntaxErrorWithLine() {
    assertAnyContains(errors("groups:\n- name: g\n  rules: [\n"), "r.yml:");
  }

  @Test
  void formatsAndParsesDurationsAsPrometheus() {
    assertEquals("0s", Durations.format(0));
    assertEquals("1m30s", Durations.format(90_000));
    assertEquals("1w", Durations.format(7 * 86_400_000L));
    assertEquals("10d", Durations.format(10 * 86_400_000L));
    assertEquals(5_400_000, Durations.parse("1h30m"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1m1h"));
  }
}
