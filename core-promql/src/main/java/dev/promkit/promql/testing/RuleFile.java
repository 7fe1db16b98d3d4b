package dev.promkit.promql.testing;

import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.parser.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A Prometheus rule file ({@code groups: - name, interval, rules: - record|alert, expr, for, labels,
 * annotations}) read for the test harness. Errors name the file, group and rule.
 */
final class RuleFile {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  /** A group of rules evaluated in order. */
  record Group(String name, List<Rule> rules) {}

  /**
   * A recording rule (alert == null) or an alerting rule.
   *
   * @param forMillis the alert's {@code for} duration (0 for recording rules)
   */
  record Rule(String record, String alert, String exprText, Expr expr, long forMillis, Map<String, String> labels,
      Map<String, String> annotations) {
    String name() {
      return record != null ? record : alert;
    }
  }

  private RuleFile() {}

  /**
   * Parses a rule file.
   *
   * @throws IllegalArgumentException naming the source, group and rule on malformed input
   */
  static List<Group> parse(String source, String yaml, Engine engine) {
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    Map<String, Object> top = map(root, source);
    known(top, source, "groups");
    List<Group> groups = new ArrayList<>();
    for (Object g : list(top.get("groups"), source + ": groups")) {
      Map<String, Object> gm = map(g, source + ": group");
      String gname = string(gm.get("name"), source + ": group name");
      String where = source + ": group \"" + gname + "\"";
      known(gm, where, "name", "interval", "rules", "limit", "query_offset", "labels");
      if (gm.containsKey("interval")) {
        duration(gm.get("interval"), where + ": interval");
      }
      for (Group earlier : groups) {
        if (earlier.name().equals(gname)) {
          throw new IllegalArgumentException(where + ": duplicate group name");
        }
      }
      List<Rule> rules = new ArrayList<>();
      int i = 0;
      for (Object r : list(gm.get("rules"), where + ": rules")) {
        i++;
        rules.add(rule(map(r, where + ": rule " + i), where + ": rule " + i, engine));
      }
      groups.add(new Group(gname, List.copyOf(rules)));
    }
    return groups;
  }

  private static Rule rule(Map<String, Object> m, String where, Engine engine) {
    known(m, where, "record", "alert", "expr", "for", "labels", "annotations", "keep_firing_for");
    String record = m.containsKey("record") ? string(m.get("record"), where + ": record") : null;
    String alert = m.containsKey("alert") ? string(m.get("alert"), where + ": alert") : null;
    if ((record == null) == (alert == null)) {
      throw new IllegalArgumentException(where + ": exactly one of 'record' and 'alert' must be set");
    }
    String w = where + " (" + (record != null ? record : alert) + ")";
    if (m.containsKey("keep_firing_for")) {
      throw new IllegalArgumentException(w + ": keep_firing_for is not supported by the test harness yet");
    }
    if (record != null && (m.containsKey("for") || m.containsKey("annotations"))) {
      throw new IllegalArgumentException(w + ": a recording rule cannot have 'for' or 'annotations'");
    }
    String exprText = string(m.get("expr"), w + ": expr");
    Expr expr;
    try {
      expr = engine.parse(exprText);
    } catch (PromQLException e) {
      throw new IllegalArgumentException(w + ": bad expr: " + e.getMessage(), e);
    }
    long forMillis = m.containsKey("for") ? duration(m.get("for"), w + ": for") : 0;
    return new Rule(record, alert, exprText, expr, forMillis, stringMap(m.get("labels"), w + ": labels"),
        stringMap(m.get("annotations"), w + ": annotations"));
  }

  /** Prometheus' duration notation, e.g. {@code 1h30m}, {@code 15s}, {@code 500ms}. */
  static long duration(Object o, String where) {
    String s = string(o, where);
    Matcher m = DURATION.matcher(s);
    long total = 0;
    int pos = 0;
    while (pos < s.length() && m.find(pos) && m.start() == pos) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms": total += n; break;
        case "s": total += n * 1000; break;
        case "m": total += n * 60_000; break;
        case "h": total += n * 3_600_000; break;
        case "d": total += n * 86_400_000; break;
        case "w": total += n * 7 * 86_400_000; break;
        default: total += n * 365 * 86_400_000L; break;
      }
      pos = m.end();
    }
    if (s.isEmpty() || pos != s.length()) {
      throw new IllegalArgumentException(where + ": not a duration: \"" + s + "\" (e.g. 5m, 1h30m, 15s)");
    }
    return total;
  }

  private static void known(Map<String, Object> m, String where, String... keys) {
    for (String k : m.keySet()) {
      if (!List.of(keys).contains(k)) {
        throw new IllegalArgumentException(where + ": unknown field \"" + k + "\"");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String where) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException(where + ": expected a mapping, got " + describe(o));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<Object, Object>) o).forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static List<?> list(Object o, String where) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List)) {
      throw new IllegalArgumentException(where + ": expected a list, got " + describe(o));
    }
    return (List<?>) o;
  }

  private static String string(Object o, String where) {
    if (o == null) {
      throw new IllegalArgumentException(where + ": missing");
    }
    if (o instanceof Map || o instanceof List) {
      throw new IllegalArgumentException(where + ": expected a string, got " + describe(o));
    }
    String s = String.valueOf(o);
    if (s.isEmpty()) {
      throw new IllegalArgumentException(where + ": empty");
    }
    return s;
  }

  private static Map<String, String> stringMap(Object o, String where) {
    if (o == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    map(o, where).forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
    return out;
  }

  private static String describe(Object o) {
    return o == null ? "nothing" : o instanceof Map ? "a mapping" : o instanceof List ? "a list" : "\"" + o + "\"";
  }
}
