package dev.promkit.client.metrics;

import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What every builder collects (name, help, unit, label names, constant labels, clock), validated
 * once by {@link #validate} so that nothing is consulted again on the hot path.
 */
final class MetricSettings {
  String name;
  String help = "";
  String unit = "";
  List<String> labelNames = List.of();
  Labels constLabels = Labels.EMPTY;
  Clock clock = Clock.system();

  void name(String n) {
    name = Objects.requireNonNull(n, "name");
  }

  void help(String h) {
    help = Objects.requireNonNull(h, "help");
  }

  void unit(String u) {
    unit = Objects.requireNonNull(u, "unit");
  }

  void labelNames(String... names) {
    for (String n : names) {
      Objects.requireNonNull(n, "label name");
    }
    labelNames = List.copyOf(Arrays.asList(names));
  }

  void constLabels(Labels l) {
    constLabels = Objects.requireNonNull(l, "constLabels");
  }

  void clock(Clock c) {
    clock = Objects.requireNonNull(c, "clock");
  }

  /**
   * Checks everything and returns the family metadata.
   *
   * @param type "counter", "gauge", ... for messages
   * @param reserved label names the type uses itself
   * @param stripTotal whether a trailing {@code _total} is removed from the family name (counters)
   */
  MetricMetadata validate(String type, Set<String> reserved, boolean stripTotal) {
    if (name == null) {
      throw new IllegalStateException(type + ": name(...) must be set before build()");
    }
    MetricNames.checkMetricName(name);
    String family = name;
    if (stripTotal && family.endsWith("_total")) {
      family = family.substring(0, family.length() - "_total".length());
      if (family.isEmpty()) {
        throw new IllegalArgumentException("invalid counter name '" + name + "': nothing before _total");
      }
    }
    if (!unit.isEmpty()) {
      MetricNames.checkUnit(family, unit);
      if (!family.endsWith("_" + unit)) {
        throw new IllegalArgumentException(type + " " + family + ": name must end in _" + unit
            + " when the unit is " + unit);
      }
    }
    MetricNames.checkLabelNames(family, labelNames, reserved, type);
    for (int i = 0; i < constLabels.size(); i++) {
      String l = constLabels.name(i);
      MetricNames.checkLabelName(family, l);
      if (reserved.contains(l)) {
        throw new IllegalArgumentException(family + ": constant label '" + l + "' is reserved for " + MetricNames.plural(type));
      }
      if (labelNames.contains(l)) {
        throw new IllegalArgumentException(family + ": label '" + l + "' is both a constant label and a label name");
      }
    }
    return new MetricMetadata(family, help, unit);
  }
}
