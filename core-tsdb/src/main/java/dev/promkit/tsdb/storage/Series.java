package dev.promkit.tsdb.storage;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
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

  /**
   * Appends the float samples with {@code mint <= t <= maxt} (within the querier's range) to
   * {@code out}, in timestamp order: the bulk path, which storages implement without a virtual call
   * per sample. Returns false when it stopped early: at a sample that is not a float (the floats
   * before it are in {@code out}), or at an iteration error ({@link SampleBuffer#error()} non-null).
   * The default iterates {@link #iterator}, recycling the buffer's iterator.
   */
  default boolean readFloats(long mint, long maxt, SampleBuffer out) {
    ChunkIterator it = iterator(out.iterator);
    out.iterator = it;
    ValueType vt;
    while ((vt = it.next()) != ValueType.NONE) {
      if (vt != ValueType.FLOAT) {
        return false;
      }
      long ts = it.atT();
      if (ts >= mint && ts <= maxt) {
        out.add(ts, it.atV(), it.atST());
      }
    }
    if (it.err() != null) {
      out.fail(it.err());
      return false;
    }
    return true;
  }
}
