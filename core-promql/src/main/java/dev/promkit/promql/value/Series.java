package dev.promkit.promql.value;

import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/** A series of a {@link Matrix}: labels and points in timestamp order. Mutable while being built. */
public final class Series {
  private Labels metric;
  private final List<FPoint> floats;
  private final List<HPoint> histograms;
  private boolean dropName;

  /** A series with empty point lists. */
  public Series(Labels metric) {
    this(metric, new ArrayList<>(), new ArrayList<>(), false);
  }

  /** A series over these point lists (not copied). */
  public Series(Labels metric, List<FPoint> floats, List<HPoint> histograms, boolean dropName) {
    this.metric = metric;
    this.floats = floats;
    this.histograms = histograms;
    this.dropName = dropName;
  }

  /** The labels. */
  public Labels metric() {
    return metric;
  }

  /** Replaces the labels. */
  public void setMetric(Labels m) {
    this.metric = m;
  }

  /** Float points in timestamp order (mutable). */
  public List<FPoint> floats() {
    return floats;
  }

  /** Histogram points in timestamp order (mutable; always empty today). */
  public List<HPoint> histograms() {
    return histograms;
  }

  /** Whether the name is to be removed at the end of evaluation (delayed name removal). */
  public boolean dropName() {
    return dropName;
  }

  /** Marks the series for name removal. */
  public void setDropName(boolean drop) {
    this.dropName = drop;
  }

  @Override
  public String toString() {
    return metric + " => " + floats;
  }
}
