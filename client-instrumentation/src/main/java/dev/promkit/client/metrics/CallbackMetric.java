package dev.promkit.client.metrics;

import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** What {@link CounterWithCallback} and {@link GaugeWithCallback} share: run the callback, check what it reports. */
final class CallbackMetric {
  /** One reported point. */
  record Point(Labels labels, double value) {}

  private final MetricMetadata metadata;
  private final String[] labelNames;
  private final Labels constLabels;
  private final Consumer<CallbackSink> callback;
  private final String type;
  private final boolean monotonic;

  CallbackMetric(MetricSettings s, MetricMetadata metadata, Consumer<CallbackSink> callback, String type,
      boolean monotonic) {
    this.metadata = metadata;
    this.labelNames = s.labelNames.toArray(new String[0]);
    this.constLabels = s.constLabels;
    this.callback = Objects.requireNonNull(callback, type + " " + metadata.name() + ": callback(...) must be set");
    this.type = type;
    this.monotonic = monotonic;
  }

  MetricMetadata metadata() {
    return metadata;
  }

  /** Runs the callback and returns its points sorted by labels. */
  List<Point> points() {
    List<Point> points = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    callback.accept((value, values) -> {
      if (values == null || values.length != labelNames.length) {
        throw new IllegalArgumentException(type + " " + metadata.name() + ": callback reported "
            + (values == null ? "null" : values.length) + " label values for label names " + Arrays.toString(labelNames));
      }
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          throw new IllegalArgumentException(type + " " + metadata.name() + ": callback reported a null value for label '"
              + labelNames[i] + "'");
        }
      }
      if (monotonic && !(value >= 0)) {
        throw new IllegalArgumentException(type + " " + metadata.name() + ": callback reported " + value
            + " for " + Arrays.toString(values) + "; a counter must be >= 0 and not NaN");
      }
      Labels labels = constLabels.merge(Labels.of(labelNames, values));
      if (!seen.add(labels)) {
        throw new IllegalArgumentException(type + " " + metadata.name() + ": callback reported label set "
            + labels + " twice");
      }
      points.add(new Point(labels, value));
    });
    points.sort((a, b) -> a.labels().compareTo(b.labels()));
    return points;
  }
}
