package dev.promkit.tsdb.storage;

import java.util.List;

/** Reads series in the time range the querier was opened for. Close it when done. */
public interface Querier extends AutoCloseable {
  /**
   * Series matching all matchers, with samples in the querier's range.
   *
   * @param sorted whether the series must come in label order ({@link dev.promkit.tsdb.labels.Labels#compareTo})
   * @param hints optional hints, may be null
   * @param matchers at least one matcher
   */
  SeriesSet select(boolean sorted, SelectHints hints, LabelMatcher... matchers);

  /** Sorted distinct label names of the series matching the matchers (all series when none). */
  List<String> labelNames(LabelMatcher... matchers);

  /** Sorted distinct values of one label among the series matching the matchers. */
  List<String> labelValues(String name, LabelMatcher... matchers);

  /** Releases resources; the series sets already returned must no longer be used. */
  @Override
  void close();
}
