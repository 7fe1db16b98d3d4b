package dev.promkit.promql.value;

import dev.promkit.tsdb.labels.Labels;

/**
 * One element of a {@link Vector}.
 *
 * @param metric the series' labels
 * @param t timestamp (ms): the evaluation time, except under {@code timestamp()} which sees the raw one
 * @param f float value (ignored when {@code h} is set)
 * @param h native histogram value, or null for a float sample (always null today)
 * @param dropName whether the metric name (and {@code __type__}/{@code __unit__}) is to be removed at the
 *     end of evaluation: Prometheus 3.x's delayed name removal. Functions and operators that drop the name
 *     set this flag instead of editing {@code metric}.
 */
public record Sample(Labels metric, long t, double f, HistogramValue h, boolean dropName) {
  /** A float sample that keeps its name. */
  public Sample(Labels metric, long t, double f) {
    this(metric, t, f, null, false);
  }

  /** A float sample. */
  public Sample(Labels metric, long t, double f, boolean dropName) {
    this(metric, t, f, null, dropName);
  }

  /** This sample with another float value. */
  public Sample withValue(double v) {
    return new Sample(metric, t, v, null, dropName);
  }

  /** This sample with other labels. */
  public Sample withMetric(Labels m) {
    return new Sample(m, t, f, h, dropName);
  }

  /** This sample marked (or not) for name removal. */
  public Sample withDropName(boolean drop) {
    return new Sample(metric, t, f, h, drop);
  }
}
