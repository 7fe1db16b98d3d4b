package dev.promkit.client.metrics;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.Arrays;
import java.util.Comparator;
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
  private final Comparator<ChildBase> labelOrder;
  private final String type;

  Metric(MetricSettings s, MetricMetadata metadata, String type) {
    this.metadata = metadata;
    this.labelNames = s.labelNames.toArray(new String[0]);
    this.constLabels = s.constLabels;
    this.clock = s.clock;
    this.type = type;
    this.labelOrder = labelOrder(labelNames);
  }

  /** For subclass constructors, once their own fields are set: the single child, or null when labelled. */
  final C singleChildOrNull() {
    return labelNames.length == 0 ? labelValues() : null;
  }

  /** Creates the child for a (private copy of) the label values. */
  abstract ChildBase newChild(String[] labelValues, Labels labels);

  /**
   * Builds the family's snapshot from its children, already sorted by labels. The list is a view of
   * an array shared between scrapes: read it, never modify it.
   */
  abstract MetricSnapshot snapshot(List<C> sortedChildren);

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

  /**
   * Removes the child for these label values: it is no longer exposed, and a later
   * {@code labelValues} with the same values starts a fresh child. Handles kept by callers still
   * accept updates, which no scrape will see. No-op when absent.
   */
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
    @SuppressWarnings("unchecked") // every child was made by newChild, so is a C
    List<C> all = (List<C>) Arrays.asList(children.sorted(labelOrder));
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

  /**
   * Orders children as {@link Labels#compareTo} orders their labels, without comparing names: all
   * children of a family share the label names and the constant labels, so labels differ only in
   * the label values, compared in the order of their sorted names.
   */
  static Comparator<ChildBase> labelOrder(String[] labelNames) {
    Integer[] byName = new Integer[labelNames.length];
    for (int i = 0; i < byName.length; i++) {
      byName[i] = i;
    }
    Arrays.sort(byName, Comparator.comparing(i -> labelNames[i]));
    int[] order = new int[byName.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = byName[i];
    }
    return (a, b) -> {
      for (int i : order) {
        int c = a.labelValues[i].compareTo(b.labelValues[i]);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }
}
