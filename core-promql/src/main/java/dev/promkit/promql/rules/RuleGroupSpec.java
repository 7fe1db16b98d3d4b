package dev.promkit.promql.rules;

import java.util.List;
import java.util.Map;

/**
 * A rule group as written in a rules file.
 *
 * @param file the file it came from ("" when built in code); part of the group's identity
 * @param name group name, unique within its file
 * @param intervalMillis evaluation interval, 0 for the manager's default
 * @param limit maximum alerts or series a rule may produce, 0 for no limit
 * @param queryOffsetMillis how far in the past to evaluate, -1 for the manager's default
 * @param labels labels added to every rule of the group (rule labels win)
 * @param rules the rules in evaluation order
 */
public record RuleGroupSpec(String file, String name, long intervalMillis, int limit, long queryOffsetMillis,
    Map<String, String> labels, List<RuleSpec> rules) {
  public RuleGroupSpec {
    labels = Map.copyOf(labels);
    rules = List.copyOf(rules);
  }
}
