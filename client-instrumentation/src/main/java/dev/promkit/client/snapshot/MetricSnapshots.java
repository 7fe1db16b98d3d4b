package dev.promkit.client.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** The snapshots of one scrape, sorted by family name; names are unique. */
public final class MetricSnapshots implements Iterable<MetricSnapshot> {
  private final List<MetricSnapshot> snapshots;

  private MetricSnapshots(List<MetricSnapshot> sorted) {
    this.snapshots = sorted;
  }

  /**
   * Sorts by name.
   *
   * @throws IllegalArgumentException when two snapshots share a name
   */
  public static MetricSnapshots of(List<? extends MetricSnapshot> list) {
    List<MetricSnapshot> copy = new ArrayList<>(list);
    copy.sort(Comparator.comparing(s -> s.metadata().name()));
    for (int i = 1; i < copy.size(); i++) {
      if (copy.get(i).metadata().name().equals(copy.get(i - 1).metadata().name())) {
        throw new IllegalArgumentException("duplicate metric name " + copy.get(i).metadata().name());
      }
    }
    return new MetricSnapshots(List.copyOf(copy));
  }

  /** Convenience for {@link #of(List)}. */
  public static MetricSnapshots of(MetricSnapshot... s) {
    return of(List.of(s));
  }

  /** The snapshots in name order. */
  public List<MetricSnapshot> list() {
    return snapshots;
  }

  /** Number of families. */
  public int size() {
    return snapshots.size();
  }

  /** The families whose name passes the filter. */
  public MetricSnapshots filter(Predicate<String> names) {
    List<MetricSnapshot> out = new ArrayList<>();
    for (MetricSnapshot s : snapshots) {
      if (names.test(s.metadata().name())) {
        out.add(s);
      }
    }
    return new MetricSnapshots(List.copyOf(out));
  }

  @Override
  public Iterator<MetricSnapshot> iterator() {
    return snapshots.iterator();
  }
}
