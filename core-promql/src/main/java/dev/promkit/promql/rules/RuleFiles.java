package dev.promkit.promql.rules;

import dev.promkit.promql.parser.ParseException;
import dev.promkit.promql.parser.Parser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads rules files as Prometheus does ({@code groups:} of recording and alerting rules) and
 * validates them as {@code promtool check rules}: unknown fields, invalid names, duplicate groups,
 * unparsable expressions and templates are all reported, each with group, rule, field and line.
 *
 * <pre>{@code
 * List<RuleGroupSpec> groups = RuleFiles.load(Path.of("rules.yml"));
 * }</pre>
 */
public final class RuleFiles {
  static final Pattern METRIC_NAME = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
  static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
  private static final Set<String> FILE_FIELDS = Set.of("groups");
  private static final Set<String> GROUP_FIELDS = Set.of("name", "interval", "limit", "query_offset", "labels", "rules");
  private static final Set<String> RULE_FIELDS =
      Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

  private RuleFiles() {}

  /**
   * Reads and validates a rules file.
   *
   * @throws RuleFileException listing every problem found
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<RuleGroupSpec> load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /**
   * Parses and validates rules-file text.
   *
   * @param fileName used in error messages and as part of each group's identity
   * @throws RuleFileException listing every problem found
   */
  public static List<RuleGroupSpec> parse(String fileName, String yaml) {
    List<String> errors = new ArrayList<>();
    List<RuleGroupSpec> groups = new ArrayList<>();
    try {
      Node root = YamlNodes.compose(yaml);
      Map<String, Node> top = YamlNodes.fields(root, "rulefmt.RuleGroups", FILE_FIELDS);
      Set<String> names = new HashSet<>();
      for (Node g : YamlNodes.sequence(top.get("groups"), "groups")) {
        RuleGroupSpec spec = group(fileName, g, errors, names);
        if (spec != null) {
          groups.add(spec);
        }
      }
    } catch (YamlNodes.YamlError e) {
      errors.add(fileName + ":" + e.line + ": " + e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw new RuleFileException(errors);
    }
    return groups;
  }

  private static RuleGroupSpec group(String file, Node g, List<String> errors, Set<String> names) {
    Map<String, Node> f = YamlNodes.fields(g, "rulefmt.RuleGroup", GROUP_FIELDS);
    String name = YamlNodes.scalar(f.get("name"), "name");
    String where = file + ":" + YamlNodes.line(g) + ": group \"" + (name == null ? "" : name) + "\"";
    if (name == null || name.isEmpty()) {
      errors.add(where + ": Groupname must not be empty");
    } else if (!names.add(name)) {
      errors.add(where + ": groupname: \"" + name + "\" is repeated in the same file");
    }
    long interval = f.containsKey("interval") ? YamlNodes.duration(f.get("interval"), "interval") : 0;
    int limit = f.containsKey("limit") ? (int) YamlNodes.integer(f.get("limit"), "limit") : 0;
    if (limit < 0) {
      errors.add(where + ": field \"limit\": must not be negative");
    }
    long offset = f.containsKey("query_offset") ? YamlNodes.duration(f.get("query_offset"), "query_offset") : -1;
    Map<String, String> labels = YamlNodes.stringMap(f.get("labels"), "labels");
    for (String l : labels.keySet()) {
      if (!LABEL_NAME.matcher(l).matches() || l.equals("__name__")) {
        errors.add(where + ": field \"labels\": invalid label name: " + l);
      }
    }
    List<RuleSpec> rules = new ArrayList<>();
    int i = 0;
    for (Node r : YamlNodes.sequence(f.get("rules"), "rules")) {
      i++;
      RuleSpec spec = rule(r, errors, file, name, i);
      if (spec != null) {
        rules.add(spec);
      }
    }
    return new RuleGroupSpec(file, name == null ? "" : name, interval, limit, offset, labels, rules);
  }

  private static RuleSpec rule(Node r, List<String> errors, String file, String group, int index) {
    Map<String, Node> f = YamlNodes.fields(r, "rulefmt.Rule", RULE_FIELDS);
    String record = YamlNodes.scalar(f.get("record"), "record");
    String alert = YamlNodes.scalar(f.get("alert"), "alert");
    String ruleName = record != null && !record.isEmpty() ? record : alert == null ? "" : alert;
    String prefix = file + ":" + YamlNodes.line(r) + ": group \"" + group + "\", rule " + index
        + (ruleName.isEmpty() ? "" : ", \"" + ruleName + "\"") + ": ";
    int before = errors.size();
    boolean hasRecord = record != null && !record.isEmpty();
    boolean hasAlert = alert != null && !alert.isEmpty();
    if (hasRecord && hasAlert) {
      errors.add(prefix + "only one of 'record' and 'alert' must be set");
    } else if (!hasRecord && !hasAlert) {
      errors.add(prefix + "one of 'record' or 'alert' must be set");
    }
    String expr = YamlNodes.scalar(f.get("expr"), "expr");
    if (expr == null || expr.isEmpty()) {
      errors.add(prefix + "field 'expr' must be set in rule");
    } else {
      try {
        new Parser().parseExpr(expr);
      } catch (ParseException e) {
        errors.add(prefix + "line " + YamlNodes.line(f.get("expr")) + ": field \"expr\": could not parse expression: "
            + e.getMessage());
      }
    }
    long forMs = f.containsKey("for") ? YamlNodes.duration(f.get("for"), "for") : 0;
    long keep = f.containsKey("keep_firing_for") ? YamlNodes.duration(f.get("keep_firing_for"), "keep_firing_for") : 0;
    Map<String, String> labels = YamlNodes.stringMap(f.get("labels"), "labels");
    Map<String, String> annotations = YamlNodes.stringMap(f.get("annotations"), "annotations");
    if (hasRecord) {
      if (f.containsKey("annotations")) {
        errors.add(prefix + "invalid field 'annotations' in recording rule");
      }
      if (f.containsKey("for")) {
        errors.add(prefix + "invalid field 'for' in recording rule");
      }
      if (f.containsKey("keep_firing_for")) {
        errors.add(prefix + "invalid field 'keep_firing_for' in recording rule");
      }
      if (!METRIC_NAME.matcher(record).matches()) {
        errors.add(prefix + "line " + YamlNodes.line(f.get("record")) + ": field \"record\": invalid recording rule name: "
            + record);
      }
    }
    for (Map.Entry<String, String> l : labels.entrySet()) {
      if (!LABEL_NAME.matcher(l.getKey()).matches() || l.getKey().equals("__name__")) {
        errors.add(prefix + "line " + YamlNodes.line(f.get("labels")) + ": field \"labels\": invalid label name: "
            + l.getKey());
      }
      if (hasAlert) {
        checkTemplate(errors, prefix, f.get("labels"), "labels", l.getKey(), l.getValue(), alert);
      }
    }
    for (Map.Entry<String, String> a : annotations.entrySet()) {
      if (!LABEL_NAME.matcher(a.getKey()).matches()) {
        errors.add(prefix + "line " + YamlNodes.line(f.get("annotations"))
            + ": field \"annotations\": invalid annotation name: " + a.getKey());
      }
      checkTemplate(errors, prefix, f.get("annotations"), "annotations", a.getKey(), a.getValue(), ruleName);
    }
    if (errors.size() > before) {
      return null;
    }
    return new RuleSpec(hasRecord ? record : null, hasAlert ? alert : null, expr, forMs, keep,
        new LinkedHashMap<>(labels), new LinkedHashMap<>(annotations), YamlNodes.line(r));
  }

  private static void checkTemplate(List<String> errors, String prefix, Node node, String field, String key,
      String text, String name) {
    try {
      Template.parse("__alert_" + name, AlertingRule.DEFS + text);
    } catch (TemplateException e) {
      errors.add(prefix + "line " + YamlNodes.line(node) + ": field \"" + field + "." + key + "\": " + e.getMessage());
    }
  }
}
