package dev.promkit.client.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of metric, unit and label names (legacy Prometheus charset). */
final class MetricNames {
  private MetricNames() {}

  /**
   * Checks a legacy metric name {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; a {@code __} prefix is reserved.
   *
   * @throws IllegalArgumentException naming the bad name and why
   */
  static String checkMetricName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("metric name must be set and non-empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        throw new IllegalArgumentException("invalid metric name '" + name + "': character '" + c
            + "' at position " + i + " (allowed: [a-zA-Z_:][a-zA-Z0-9_:]*)");
      }
    }
    if (name.startsWith("__")) {
      throw new IllegalArgumentException("invalid metric name '" + name
          + "': the prefix __ is reserved for Prometheus' internal use");
    }
    return name;
  }

  /**
   * Checks a label name {@code [a-zA-Z_][a-zA-Z0-9_]*} without the reserved {@code __} prefix.
   *
   * @param metric the metric it belongs to (for the message)
   */
  static String checkLabelName(String metric, String label) {
    if (label == null || label.isEmpty()) {
      throw new IllegalArgumentException(metric + ": label names must be non-empty");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        throw new IllegalArgumentException(metric + ": invalid label name '" + label + "': character '"
            + c + "' at position " + i + " (allowed: [a-zA-Z_][a-zA-Z0-9_]*)");
      }
    }
    if (label.startsWith("__")) {
      throw new IllegalArgumentException(metric + ": invalid label name '" + label
          + "': the prefix __ is reserved for Prometheus' internal use");
    }
    return label;
  }

  /**
   * Checks a list of label names: each valid, none repeated, none in {@code reserved}.
   *
   * @param reserved names the metric type uses itself ({@code le}, {@code quantile})
   */
  static void checkLabelNames(String metric, List<String> labels, Set<String> reserved, String type) {
    Set<String> seen = new HashSet<>();
    for (String l : labels) {
      checkLabelName(metric, l);
      if (reserved.contains(l)) {
        throw new IllegalArgumentException(metric + ": label name '" + l + "' is reserved for " + plural(type));
      }
      if (!seen.add(l)) {
        throw new IllegalArgumentException(metric + ": duplicate label name '" + l + "'");
      }
    }
  }

  /** "summary" -> "summaries", "counter" -> "counters". */
  static String plural(String type) {
    return type.endsWith("y") ? type.substring(0, type.length() - 1) + "ies" : type + "s";
  }

  /** Checks a unit: non-empty, metric-name characters without ':' . */
  static String checkUnit(String metric, String unit) {
    if (unit.isEmpty()) {
      throw new IllegalArgumentException(metric + ": unit must not be empty (leave it unset instead)");
    }
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        throw new IllegalArgumentException(metric + ": invalid unit '" + unit + "': character '" + c
            + "' at position " + i + " (allowed: [a-zA-Z0-9_])");
      }
    }
    return unit;
  }
}
