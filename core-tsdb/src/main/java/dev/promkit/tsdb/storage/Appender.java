package dev.promkit.tsdb.storage;

import dev.promkit.tsdb.labels.Labels;

/**
 * A batch of appends, made visible together by {@link #commit()} or dropped by {@link #rollback()}.
 * Not thread-safe: one appender per thread.
 */
public interface Appender {
  /**
   * Adds a float sample.
   *
   * @param ref a series reference returned by an earlier append, or 0 to look the series up by labels
   * @param labels the series' labels (used when ref is 0 or unknown)
   * @param t timestamp in ms
   * @param v value (the stale marker NaN is kept bit-exact)
   * @return the series reference, for faster later appends
   * @throws StorageException if the sample is rejected; the appender stays usable
   */
  long append(long ref, Labels labels, long t, double v);

  /** As {@link #append(long, Labels, long, double)}, with a start (created) timestamp, 0 if unknown. */
  default long append(long ref, Labels labels, long st, long t, double v) {
    return append(ref, labels, t, v);
  }

  /** Makes every sample appended so far visible to readers, durably where the storage has a WAL. */
  void commit();

  /** Drops every sample appended since the last commit. */
  void rollback();
}
