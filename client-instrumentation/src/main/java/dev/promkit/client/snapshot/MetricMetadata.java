package dev.promkit.client.snapshot;

import java.util.Objects;

/**
 * Name, help and unit of a metric family. The name is the family name without a type suffix
 * (a counter {@code requests}, exposed as {@code requests_total}).
 *
 * @param name family name, without {@code _total} for counters
 * @param help help text, may be empty
 * @param unit unit (e.g. {@code seconds}), may be empty; when set the name must end in {@code _unit}
 */
public record MetricMetadata(String name, String help, String unit) {
  /** Validates non-null parts. */
  public MetricMetadata {
    Objects.requireNonNull(name, "name");
    help = help == null ? "" : help;
    unit = unit == null ? "" : unit;
  }

  /** Metadata without help or unit. */
  public static MetricMetadata of(String name) {
    return new MetricMetadata(name, "", "");
  }

  /** Metadata with help and no unit. */
  public static MetricMetadata of(String name, String help) {
    return new MetricMetadata(name, help, "");
  }
}
