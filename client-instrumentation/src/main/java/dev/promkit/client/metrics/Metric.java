package dev.promkit.client.metrics;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A live metric family with one data point ("child") per label-value combination. Children are
 * created on first use by {@link #labelValues} and cached: keep the returned handle in hot code,
 * since each lookup hashes the values and probes a table. A metric without label names has one
 * child, used by the metric's own methods ({@code counter.inc()}).
 *
 * @param <C> the child type (e.g. {@link Counter.Child})
 */
public abstract class Metric<C> implements Collector {
  final MetricMetadata metadata;
  final String[] labelNames;
  final Labels constLabels;
  final Clock clock;
  private final ChildTable<ChildBase> children = new ChildTable<>();
  private final String type;

  Metric(MetricSettings s, MetricMetadata metadata, String type) {
    this.metadata = metadata;
    this.labelNames = s.labelNames.toArray(new String[0]);
    this.constLabels = s.constLabels;
    this.clock = s.clock;
    this.type = type;
  }

  /** For subclass constructors, once their own fields are set: the single child, or null when labelled. */
  final C singleChildOrNull() {
    return labelNames.length == 0 ? labelValues() : null;
  }

  /** Creates the child for a (private copy of) the label values. */
  abstract ChildBase newChild(String[] labelValues, Labels labels);

  /** Builds the family's snapshot from its children, sorted by labels. */
  abstract MetricSnapshot snapshot(List<C> children);

  /**
   * The child for these label values, created on first use.
   *
   * @throws IllegalArgumentException when the number of values differs from the label names, or a value is null
   */
  @SuppressWarnings("unchecked")
  public final C labelValues(String... values) {
    ChildBase c = children.get(checkValues(values)); // fast path: no allocation on a hit
    if (c == null) {
      c = children.getOrCreate(values, v -> newChild(v, labelsFor(v)));
    }
    return (C) c;
  }

  /** Removes the child for these label values (it stops being exposed); no-op when absent. */
  public final void remove(String... values) {
    children.remove(checkValues(values));
  }

  /**
   * Removes every labelled child. A metric without label names keeps its single child (a counter
   * is never reset behind the scraper's back).
   */
  public final void clear() {
    if (labelNames.length > 0) {
      children.clear();
    }
  }

  /** Family name (for a counter, without {@code _total}), help and unit. */
  public final MetricMetadata metadata() {
    return metadata;
  }

  @Override
  public final List<String> metricNames() {
    return List.of(metadata.name());
  }

  @Override
  public final MetricSnapshots collect() {
    @SuppressWarnings("unchecked")
    List<C> all = (List<C>) children.all();
    return MetricSnapshots.of(snapshot(all));
  }

  @Override
  public String toString() {
    return type + " " + metadata.name();
  }

  /** The error for calling a child method on a labelled metric. */
  final IllegalStateException labelledError() {
    return new IllegalStateException(type + " " + metadata.name() + " has label names "
        + List.of(labelNames) + ": use labelValues(...) to pick a child");
  }

  private String[] checkValues(String[] values) {
    if (values == null || values.length != labelNames.length) {
      throw new IllegalArgumentException(type + " " + metadata.name() + ": expected "
          + labelNames.length + " label values for label names " + List.of(labelNames) + ", got "
          + (values == null ? "null" : values.length + (values.length == 0 ? "" : " " + Arrays.toString(values))));
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException(type + " " + metadata.name() + ": label value for '"
            + labelNames[i] + "' is null");
      }
    }
    return values;
  }

  private Labels labelsFor(String[] values) {
    return constLabels.merge(Labels.of(labelNames, values));
  }

  /** Sorts children by their labels (for deterministic exposition). */
  static <T extends ChildBase> List<T> sorted(List<T> children) {
    List<T> out = new ArrayList<>(children);
    out.sort((a, b) -> a.labels.compareTo(b.labels));
    return out;
  }
}
