package dev.promkit.promql.rules;

import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.promqltest.SeriesNotation;
import dev.promkit.promql.value.Sample;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.MemoryStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Runs promtool's rule unit tests ({@code promtool test rules}) inside the JVM: reads the test
 * file ({@code rule_files}, {@code evaluation_interval}, {@code group_eval_order}, {@code tests}
 * with {@code input_series}, {@code alert_rule_test}, {@code promql_expr_test},
 * {@code external_labels}, {@code external_url}), evaluates the rules over the input from time 0
 * and reports the same verdicts and difference messages as promtool.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> alertRules() {
 *   return RuleTestRunner.dynamicTests(Path.of("src/test/resources/alerts_test.yml"));
 * }
 * }</pre>
 */
public final class RuleTestRunner {
  private static final Set<String> FILE_FIELDS = Set.of("rule_files", "evaluation_interval", "group_eval_order", "tests");
  private static final Set<String> TEST_FIELDS = Set.of("interval", "input_series", "alert_rule_test",
      "promql_expr_test", "external_labels", "external_url", "name");
  private static final Set<String> SERIES_FIELDS = Set.of("series", "values");
  private static final Set<String> ALERT_FIELDS = Set.of("eval_time", "alertname", "exp_alerts");
  private static final Set<String> EXP_ALERT_FIELDS = Set.of("exp_labels", "exp_annotations");
  private static final Set<String> EXPR_FIELDS = Set.of("expr", "eval_time", "exp_samples");
  private static final Set<String> SAMPLE_FIELDS = Set.of("labels", "value");

  private RuleTestRunner() {}

  /** The outcome of one test group. */
  public record TestCaseResult(String name, List<String> errors) {
    /** True when the group passed. */
    public boolean passed() {
      return errors.isEmpty();
    }
  }

  /**
   * The outcome of one test file.
   *
   * @param fileErrors errors that stop the whole file (unreadable file, rules that fail to load)
   * @param cases one per entry of {@code tests}
   */
  public record FileResult(Path file, List<String> fileErrors, List<TestCaseResult> cases) {
    /** True when the file loaded and every test group passed. */
    public boolean passed() {
      return fileErrors.isEmpty() && cases.stream().allMatch(TestCaseResult::passed);
    }

    /** The report promtool prints for this file. */
    public String report() {
      StringBuilder b = new StringBuilder("Unit Testing:  ").append(file).append('\n');
      if (passed()) {
        return b.append("  SUCCESS\n").toString();
      }
      b.append("  FAILED:\n");
      for (String e : fileErrors) {
        b.append("    ").append(e).append('\n');
      }
      for (TestCaseResult c : cases) {
        for (String e : c.errors()) {
          b.append(e).append('\n');
        }
      }
      return b.toString();
    }
  }

  /** Parsed test file. */
  private record TestFile(List<Path> ruleFiles, long evalInterval, List<String> groupOrder, List<TestGroup> tests) {}

  private record TestGroup(String name, long interval, List<Map.Entry<Labels, List<Double>>> series,
      List<AlertTest> alerts, List<ExprTest> exprs, Map<String, String> externalLabels, String externalUrl) {}

  private record AlertTest(long evalTime, String alertname, List<ExpAlert> expAlerts) {}

  private record ExpAlert(Map<String, String> labels, Map<String, String> annotations) {}

  private record ExprTest(String expr, long evalTime, List<ExpSample> samples) {}

  private record ExpSample(String labels, double value) {}

  /** Runs every test group of a file. */
  public static FileResult run(Path file) {
    TestFile tf;
    try {
      tf = parse(file);
    } catch (RuleFileException e) {
      return new FileResult(file, e.errors(), List.of());
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return new FileResult(file, List.of(e.getMessage()), List.of());
    }
    List<RuleGroupSpec> specs = new ArrayList<>();
    List<String> loadErrors = new ArrayList<>();
    for (Path rf : tf.ruleFiles()) {
      try {
        specs.addAll(RuleFiles.load(rf));
      } catch (RuleFileException e) {
        loadErrors.addAll(e.errors());
      } catch (UncheckedIOException e) {
        loadErrors.add(e.getMessage());
      }
    }
    if (!loadErrors.isEmpty()) {
      return new FileResult(file, loadErrors, List.of());
    }
    if (!tf.groupOrder().isEmpty()) {
      Map<String, Integer> order = new HashMap<>();
      for (int i = 0; i < tf.groupOrder().size(); i++) {
        if (order.put(tf.groupOrder().get(i), i) != null) {
          return new FileResult(file, List.of("group name repeated in evaluation order: " + tf.groupOrder().get(i)),
              List.of());
        }
      }
      for (RuleGroupSpec g : specs) {
        if (!order.containsKey(g.name())) {
          return new FileResult(file, List.of("one or more group names are missing from the evaluation order: "
              + g.name()), List.of());
        }
      }
      specs.sort(Comparator.comparingInt(g -> order.get(g.name())));
    }
    List<TestCaseResult> cases = new ArrayList<>();
    for (TestGroup tg : tf.tests()) {
      cases.add(new TestCaseResult(tg.name(), runGroup(tg, specs, tf.evalInterval())));
    }
    return new FileResult(file, List.of(), cases);
  }

  /** One JUnit dynamic test per test group of the file (one failing test if the file does not load). */
  public static Stream<DynamicTest> dynamicTests(Path file) {
    FileResult r = run(file);
    if (!r.fileErrors().isEmpty()) {
      return Stream.of(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
        throw new AssertionError(r.report());
      }));
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < r.cases().size(); i++) {
      TestCaseResult c = r.cases().get(i);
      String name = c.name().isEmpty() ? file.getFileName() + " #" + (i + 1) : c.name();
      tests.add(DynamicTest.dynamicTest(name, () -> {
        if (!c.passed()) {
          throw new AssertionError("FAILED:\n" + String.join("\n", c.errors()));
        }
      }));
    }
    return tests.stream();
  }

  // ------------------------------------------------------------------ evaluation

  private static List<String> runGroup(TestGroup tg, List<RuleGroupSpec> specs, long evalInterval) {
    MemoryStorage storage = new MemoryStorage();
    List<String> errs = new ArrayList<>();
    // Load all input samples (queries only look back, so loading ahead of evaluation is equivalent).
    Appender app = storage.appender();
    for (Map.Entry<Labels, List<Double>> s : tg.series()) {
      List<Double> vs = s.getValue();
      for (int i = 0; i < vs.size(); i++) {
        if (vs.get(i) != null) {
          app.append(0, s.getKey(), i * tg.interval(), vs.get(i));
        }
      }
    }
    app.commit();
    Engine engine = Engine.builder().build();
    List<RuleGroup> groups = new ArrayList<>();
    try {
      for (RuleGroupSpec spec : specs) {
        groups.add(RuleGroup.builder(spec).engine(engine).storage(storage, storage)
            .clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).defaultInterval(Duration.ofMillis(evalInterval))
            .externalLabels(tg.externalLabels()).externalUrl(tg.externalUrl())
            .restoreForState(false, Duration.ofHours(1), Duration.ofMinutes(10)).build());
      }
    } catch (RuntimeException e) {
      return List.of("    " + e.getMessage());
    }
    long maxt = 0;
    TreeMap<Long, List<AlertTest>> alertTests = new TreeMap<>();
    for (AlertTest at : tg.alerts()) {
      alertTests.computeIfAbsent(at.evalTime(), k -> new ArrayList<>()).add(at);
      maxt = Math.max(maxt, at.evalTime());
    }
    for (ExprTest et : tg.exprs()) {
      maxt = Math.max(maxt, et.evalTime());
    }
    String testName = tg.name().isEmpty() ? "" : "    name: " + tg.name() + ",\n";
    for (long ts = 0; ts <= maxt; ts += evalInterval) {
      List<String> evalErrs = new ArrayList<>();
      for (RuleGroup g : groups) {
        g.evaluate(ts);
        for (Rule r : g.rules()) {
          if (!r.lastError().isEmpty()) {
            evalErrs.add("    rule: " + r.name() + ", time: " + Durations.format(ts) + ", err: " + r.lastError());
          }
        }
      }
      errs.addAll(evalErrs);
      if (!evalErrs.isEmpty()) {
        return errs;
      }
      // Alerts whose eval_time falls in [ts, ts + interval) are compared with this evaluation.
      for (Map.Entry<Long, List<AlertTest>> e : alertTests.subMap(ts, true, ts + evalInterval, false).entrySet()) {
        for (AlertTest at : e.getValue()) {
          List<String[]> got = new ArrayList<>();
          for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
              if (r instanceof AlertingRule && r.name().equals(at.alertname())) {
                for (Alert a : ((AlertingRule) r).alerts()) {
                  if (a.state() == AlertState.FIRING) {
                    got.add(new String[] {a.labels().toString(), a.annotations().toString()});
                  }
                }
              }
            }
          }
          List<String[]> exp = new ArrayList<>();
          for (ExpAlert ea : at.expAlerts()) {
            Map<String, String> l = new LinkedHashMap<>(ea.labels());
            l.put("alertname", at.alertname());
            exp.add(new String[] {Labels.fromMap(l).toString(), Labels.fromMap(ea.annotations()).toString()});
          }
          Comparator<String[]> cmp = Comparator.<String[], String>comparing(a -> a[0]).thenComparing(a -> a[1]);
          got.sort(cmp);
          exp.sort(cmp);
          if (!render(exp).equals(render(got))) {
            errs.add(testName + "    alertname: " + at.alertname() + ", time: " + Durations.format(at.evalTime())
                + ", \n        exp:" + indent(render(exp), "            ").stripLeading()
                + ", \n        got:" + indent(render(got), "            ").stripLeading());
          }
        }
      }
    }
    for (ExprTest et : tg.exprs()) {
      List<Sample> got;
      try {
        got = new EvalContext(engine, storage, Map.of(), "").query(et.expr(), et.evalTime());
      } catch (RuntimeException e) {
        errs.add("    expr: " + GoFmt.quote(et.expr()) + ", time: " + Durations.format(et.evalTime()) + ", err: "
            + e.getMessage());
        continue;
      }
      List<String> exp = new ArrayList<>();
      boolean bad = false;
      for (ExpSample s : et.samples()) {
        try {
          exp.add(seriesLabels(s.labels()) + " " + sampleValue(s.value()));
        } catch (IllegalArgumentException e) {
          errs.add("    expr: " + GoFmt.quote(et.expr()) + ", time: " + Durations.format(et.evalTime())
              + ", err: labels " + GoFmt.quote(s.labels()) + ": " + e.getMessage());
          bad = true;
          break;
        }
      }
      if (bad) {
        continue;
      }
      List<String> gotS = new ArrayList<>();
      for (Sample s : got) {
        gotS.add(s.metric() + " " + sampleValue(s.f()));
      }
      exp.sort(null);
      gotS.sort(null);
      if (!exp.equals(gotS) || exp.stream().anyMatch(x -> x.endsWith(" NaN"))) {
        errs.add("    expr: " + GoFmt.quote(et.expr()) + ", time: " + Durations.format(et.evalTime()) + ",\n"
            + "        exp: " + samplesString(exp) + "\n        got: " + samplesString(gotS));
      }
    }
    return errs;
  }

  /** Values compared as promtool (reflect.DeepEqual on float64: NaN never equals). */
  private static String sampleValue(double v) {
    return GoFmt.shortestE(v);
  }

  private static String samplesString(List<String> s) {
    if (s.isEmpty()) {
      return "nil";
    }
    StringBuilder b = new StringBuilder();
    for (String x : s) {
      int sp = x.lastIndexOf(' ');
      b.append(b.length() == 0 ? "" : ", ").append(x, 0, sp).append(' ').append(x.substring(sp + 1));
    }
    return b.toString();
  }

  private static String render(List<String[]> la) {
    if (la.isEmpty()) {
      return "[]";
    }
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < la.size(); i++) {
      b.append(i == 0 ? "" : ",\n").append(i).append(':')
          .append(indent("\nLabels:" + la.get(i)[0] + "\nAnnotations:" + la.get(i)[1], "  "));
    }
    return b.append("\n]").toString();
  }

  private static String indent(String s, String prefix) {
    return s.replace("\n", "\n" + prefix);
  }

  // ------------------------------------------------------------------ parsing

  private static TestFile parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    try {
      Node root = YamlNodes.compose(text);
      Map<String, Node> f = YamlNodes.fields(root, "main.unitTestFile", FILE_FIELDS);
      Path dir = file.toAbsolutePath().getParent();
      List<Path> ruleFiles = new ArrayList<>();
      for (Node n : YamlNodes.sequence(f.get("rule_files"), "rule_files")) {
        String rf = YamlNodes.scalar(n, "rule_files");
        Path p = Path.of(rf);
        if (rf.contains("*")) {
          ruleFiles.addAll(glob(dir, rf));
        } else {
          ruleFiles.add(p.isAbsolute() ? p : dir.resolve(p));
        }
      }
      long evalInterval = f.containsKey("evaluation_interval")
          ? YamlNodes.duration(f.get("evaluation_interval"), "evaluation_interval") : 60_000;
      if (evalInterval <= 0) {
        throw new YamlNodes.YamlError(YamlNodes.line(f.get("evaluation_interval")), "evaluation_interval must be positive");
      }
      List<String> order = new ArrayList<>();
      for (Node n : YamlNodes.sequence(f.get("group_eval_order"), "group_eval_order")) {
        order.add(YamlNodes.scalar(n, "group_eval_order"));
      }
      List<TestGroup> tests = new ArrayList<>();
      for (Node t : YamlNodes.sequence(f.get("tests"), "tests")) {
        tests.add(testGroup(t, evalInterval));
      }
      return new TestFile(ruleFiles, evalInterval, order, tests);
    } catch (YamlNodes.YamlError e) {
      throw new RuleFileException(List.of(file + ":" + e.line + ": " + e.getMessage()));
    }
  }

  private static List<Path> glob(Path dir, String pattern) {
    Path base = Path.of(pattern).isAbsolute() ? Path.of("/") : dir;
    var matcher = base.getFileSystem().getPathMatcher("glob:" + base.resolve(pattern));
    try (Stream<Path> s = Files.walk(base, Math.max(1, Path.of(pattern).getNameCount()))) {
      return new ArrayList<>(new TreeSet<>(s.filter(matcher::matches).toList()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestGroup testGroup(Node t, long evalInterval) {
    Map<String, Node> f = YamlNodes.fields(t, "main.testGroup", TEST_FIELDS);
    long interval = f.containsKey("interval") ? YamlNodes.duration(f.get("interval"), "interval") : evalInterval;
    if (interval <= 0) {
      interval = evalInterval;
    }
    List<Map.Entry<Labels, List<Double>>> series = new ArrayList<>();
    for (Node s : YamlNodes.sequence(f.get("input_series"), "input_series")) {
      Map<String, Node> sf = YamlNodes.fields(s, "main.series", SERIES_FIELDS);
      String metric = YamlNodes.scalar(sf.get("series"), "series");
      String values = YamlNodes.scalar(sf.get("values"), "values");
      try {
        series.add(Map.entry(seriesLabels(metric),
            SeriesNotation.parseFloatValues(values == null ? "" : values)));
      } catch (IllegalArgumentException e) {
        throw new YamlNodes.YamlError(YamlNodes.line(s), "input series " + GoFmt.quote(String.valueOf(metric)) + ": "
            + e.getMessage());
      }
    }
    List<AlertTest> alerts = new ArrayList<>();
    for (Node a : YamlNodes.sequence(f.get("alert_rule_test"), "alert_rule_test")) {
      Map<String, Node> af = YamlNodes.fields(a, "main.alertTestCase", ALERT_FIELDS);
      long evalTime = af.containsKey("eval_time") ? YamlNodes.duration(af.get("eval_time"), "eval_time") : 0;
      String name = YamlNodes.scalar(af.get("alertname"), "alertname");
      List<ExpAlert> exp = new ArrayList<>();
      for (Node e : YamlNodes.sequence(af.get("exp_alerts"), "exp_alerts")) {
        Map<String, Node> ef = YamlNodes.fields(e, "main.alert", EXP_ALERT_FIELDS);
        exp.add(new ExpAlert(YamlNodes.stringMap(ef.get("exp_labels"), "exp_labels"),
            YamlNodes.stringMap(ef.get("exp_annotations"), "exp_annotations")));
      }
      alerts.add(new AlertTest(evalTime, name == null ? "" : name, exp));
    }
    List<ExprTest> exprs = new ArrayList<>();
    for (Node e : YamlNodes.sequence(f.get("promql_expr_test"), "promql_expr_test")) {
      Map<String, Node> ef = YamlNodes.fields(e, "main.promqlTestCase", EXPR_FIELDS);
      long evalTime = ef.containsKey("eval_time") ? YamlNodes.duration(ef.get("eval_time"), "eval_time") : 0;
      List<ExpSample> samples = new ArrayList<>();
      for (Node s : YamlNodes.sequence(ef.get("exp_samples"), "exp_samples")) {
        Map<String, Node> sf = YamlNodes.fields(s, "main.sample", SAMPLE_FIELDS);
        String labels = YamlNodes.scalar(sf.get("labels"), "labels");
        double value = sf.containsKey("value") ? YamlNodes.number(sf.get("value"), "value") : 0;
        samples.add(new ExpSample(labels == null ? "" : labels, value));
      }
      String expr = YamlNodes.scalar(ef.get("expr"), "expr");
      exprs.add(new ExprTest(expr == null ? "" : expr, evalTime, samples));
    }
    String name = f.containsKey("name") ? YamlNodes.scalar(f.get("name"), "name") : "";
    String url = f.containsKey("external_url") ? YamlNodes.scalar(f.get("external_url"), "external_url") : "";
    return new TestGroup(name, interval, series, alerts, exprs,
        YamlNodes.stringMap(f.get("external_labels"), "external_labels"), url);
  }

  /** A series in promtool's notation; blank means no labels. */
  private static Labels seriesLabels(String s) {
    return s == null || s.isBlank() ? Labels.empty() : SeriesNotation.parseLabels(s);
  }
}
