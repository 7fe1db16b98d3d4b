package dev.promkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainRulesTest {
  @TempDir
  Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  static final String RULES = "groups:\n  - name: availability\n    rules:\n      - alert: InstanceDown\n"
      + "        expr: up == 0\n        for: 1m\n        labels:\n          severity: page\n"
      + "        annotations:\n          summary: '{{ $labels.instance }} is down'\n"
      + "      - record: job:up:sum\n        expr: sum by (job) (up)\n";

  PrintStream o() {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  PrintStream e() {
    return new PrintStream(err, true, StandardCharsets.UTF_8);
  }

  @Test
  void checkRulesCountsTheRulesOfAValidFile() throws Exception {
    Path f = Files.writeString(dir.resolve("rules.yml"), RULES);
    assertEquals(0, Main.check(new String[] {"rules", f.toString()}, o(), e()), err.toString());
    assertTrue(out.toString().contains("Checking " + f + "\n  SUCCESS: 2 rules found\n"), out.toString());
  }

  @Test
  void checkRulesFailsOnABadExpressionNamingTheFile() throws Exception {
    Path f = Files.writeString(dir.resolve("bad.yml"), RULES.replace("up == 0", "up ==="));
    assertEquals(1, Main.check(new String[] {"rules", f.toString()}, o(), e()));
    assertTrue(err.toString().contains("FAILED:") && err.toString().contains("bad.yml"), err.toString());
  }

  @Test
  void checkRulesWithoutFilesIsAUsageError() {
    assertEquals(2, Main.check(new String[] {"rules"}, o(), e()));
  }

  @Test
  void testRulesPassesAndFailsAsPromtool() throws Exception {
    Files.writeString(dir.resolve("rules.yml"), RULES);
    String test = "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        + "      - series: 'up{job=\"a\",instance=\"x\"}'\n        values: '0 0 0'\n    alert_rule_test:\n"
        + "      - eval_time: 2m\n        alertname: InstanceDown\n        exp_alerts:\n"
        + "          - exp_labels: {severity: page, job: a, instance: x}\n"
        + "            exp_annotations: {summary: 'SUMMARY'}\n";
    Path ok = Files.writeString(dir.resolve("ok_test.yml"), test.replace("SUMMARY", "x is down"));
    Path bad = Files.writeString(dir.resolve("bad_test.yml"), test.replace("SUMMARY", "y is down"));
    assertEquals(0, Main.testRules(new String[] {ok.toString()}, o()), out.toString());
    assertEquals(1, Main.testRules(new String[] {bad.toString()}, o()), out.toString());
    assertEquals(2, Main.testRules(new String[0], o()));
  }
}
