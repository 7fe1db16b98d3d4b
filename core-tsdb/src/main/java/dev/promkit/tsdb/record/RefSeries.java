package dev.promkit.tsdb.record;

import dev.promkit.tsdb.labels.Labels;
import java.util.Objects;

/**
 * A series as the WAL records it: the head's reference and the label set.
 *
 * @param ref the head series reference
 * @param labels the labels
 */
public record RefSeries(long ref, Labels labels) {
  /** Rejects null labels. */
  public RefSeries {
    Objects.requireNonNull(labels, "labels");
  }
}
