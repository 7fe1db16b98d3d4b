package dev.promkit.client.metrics;

import dev.promkit.client.snapshot.Labels;
import java.util.Objects;

/** Checks exemplar labels against OpenMetrics' limit. */
final class ExemplarLabels {
  /** OpenMetrics: the names and values of an exemplar's labels total at most 128 UTF-8 characters. */
  static final int MAX_CHARACTERS = 128;

  private ExemplarLabels() {}

  static Labels check(String metric, Labels labels) {
    Objects.requireNonNull(labels, "exemplar labels");
    int chars = 0;
    for (int i = 0; i < labels.size(); i++) {
      MetricNames.checkLabelName(metric, labels.name(i));
      chars += labels.name(i).codePointCount(0, labels.name(i).length());
      chars += labels.value(i).codePointCount(0, labels.value(i).length());
    }
    if (chars > MAX_CHARACTERS) {
      throw new IllegalArgumentException(metric + ": exemplar labels " + labels + " have " + chars
          + " characters, more than the " + MAX_CHARACTERS + " OpenMetrics allows");
    }
    return labels;
  }
}
