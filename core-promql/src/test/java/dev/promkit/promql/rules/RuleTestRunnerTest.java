package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class RuleTestRunnerTest {
  static final Path DIR = Path.of("src/test/resources/rules");

  /** The passing files, run as JUnit tests: the way an application would use the runner. */
  @TestFactory
  Stream<DynamicTest> passingFilesPassAsDynamicTests() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.getFileName().toString().startsWith("pass_")).sorted().toList().stream()
          .flatMap(RuleTestRunner::dynamicTests);
    }
  }

  @Test
  void everyFailingFileFails() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("fail_")).toList()) {
        assertFalse(RuleTestRunner.run(p).passed(), p.toString());
      }
    }
  }

  @Test
  void reportsAlertDifferenceAsPromtool() {
    RuleTestRunner.FileResult r = RuleTestRunner.run(DIR.resolve("fail_wrong_labels_test.yml"));
    assertEquals(1, r.cases().size());
    assertEquals(List.of("""
            alertname: InstanceDown, time: 10m, \n\
                exp:[
                    0:
                      Labels:{alertname="InstanceDown", instance="a:9100", job="node", severity="critical"}
                      Annotations:{description="a:9100 of job node has been down for more than 5 minutes.", \
        summary="Instance a:9100 down"}
                    ], \n\
                got:[
                    0:
                      Labels:{alertname="InstanceDown", instance="a:9100", job="node", severity="page"}
                      Annotations:{description="a:9100 of job node has been down for more than 5 minutes.", \
        summary="Instance a:9100 down"}
                    ]"""), r.cases().get(0).errors());
  }

  @Test
  void reportsExpressionDifferenceAsPromtool() {
    RuleTestRunner.FileResult r = RuleTestRunner.run(DIR.resolve("fail_wrong_value_test.yml"));
    assertEquals(List.of("    expr: \"job:http_requests:rate5m\", time: 8m,\n"
        + "        exp: {__name__=\"job:http_requests:rate5m\", job=\"api\"} 2E+00\n"
        + "        got: {__name__=\"job:http_requests:rate5m\", job=\"api\"} 1E+00"), r.cases().get(0).errors());
  }

  @Test
  void reportsEmptyResultAsNilAndAlertMissingAsEmptyList() {
    assertEquals(List.of("    expr: \"job:up:sum2\", time: 0s,\n"
        + "        exp: {__name__=\"job:up:sum2\", job=\"a\"} 2E+00\n        got: nil"),
        RuleTestRunner.run(DIR.resolve("fail_eval_order_test.yml")).cases().get(0).errors());
    String err = RuleTestRunner.run(DIR.resolve("fail_too_early_test.yml")).cases().get(0).errors().get(0);
    assertTrue(err.startsWith("    alertname: InstanceDown, time: 3m, "), err);
    assertTrue(err.endsWith("got:[]"), err);
  }

  @Test
  void ruleEvaluationErrorStopsTheTestGroupWithPromtoolsMessage() {
    assertEquals(List.of("    rule: both, time: 0s, err: vector contains metrics with the same labelset after applying "
        + "rule labels"), RuleTestRunner.run(DIR.resolve("fail_eval_error_test.yml")).cases().get(0).errors());
  }

  @Test
  void brokenRuleFileFailsTheFileNamingTheRule() {
    RuleTestRunner.FileResult r = RuleTestRunner.run(DIR.resolve("fail_broken_rules_test.yml"));
    assertFalse(r.passed());
    assertTrue(r.fileErrors().get(0).contains("group \"broken\", rule 1, \"Bad\""), r.fileErrors().toString());
    assertTrue(r.fileErrors().get(0).contains("could not parse expression: 1:7: parse error:"), r.fileErrors().toString());
  }

  @Test
  void rejectsUnknownFieldInTestFile(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("t.yml");
    Files.writeString(f, "tests:\n  - interval: 1m\n    input_serie: []\n");
    RuleTestRunner.FileResult r = RuleTestRunner.run(f);
    assertEquals(List.of(f + ":3: field input_serie not found in type main.testGroup"), r.fileErrors());
  }

  @Test
  void mainReturnsPromtoolExitCodes() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    assertEquals(0, RuleTestMain.run(out, DIR.resolve("pass_basic_test.yml").toString()));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("  SUCCESS"));
    assertEquals(1, RuleTestMain.run(out, DIR.resolve("pass_basic_test.yml").toString(),
        DIR.resolve("fail_wrong_value_test.yml").toString()));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("  FAILED:\n    expr: \"job:http_requests:rate5m\""));
    assertEquals(2, RuleTestMain.run(out));
  }

  @Test
  void expandsSeriesNotation() {
    List<Double> v = dev.promkit.promql.promqltest.SeriesNotation.parseFloatValues("1 _ 1+1x2 5-2x1 0x1 _x2 stale");
    assertEquals(12, v.size());
    assertEquals(java.util.Arrays.asList(1.0, null, 1.0, 2.0, 3.0, 5.0, 3.0, 0.0, 0.0, null, null), v.subList(0, 11));
    assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(v.get(11)));
  }
}
