package dev.promkit.tsdb.storage;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.labels.Labels;

/** One series of a {@link SeriesSet}: its labels and an iterator over its samples. */
public interface Series {
  /** The series' labels. */
  Labels labels();

  /**
   * An iterator over the series' samples in the querier's time range, in timestamp order.
   *
   * @param reuse an iterator returned earlier by any series of the same storage, or null; may be reused
   */
  ChunkIterator iterator(ChunkIterator reuse);
}
