package dev.promkit.tsdb.chunkenc;

/**
 * Iterates samples in timestamp order: of one chunk, or of a whole series across chunks.
 * The same shape everywhere (advance, read current, sticky error), as Prometheus' chunkenc.Iterator.
 */
public interface ChunkIterator {
  /** Advances to the next sample; {@link ValueType#NONE} once exhausted, then check {@link #err()}. */
  ValueType next();

  /**
   * Advances to the first sample with timestamp &gt;= t, staying put when the current sample already
   * qualifies. Returns {@link ValueType#NONE} if there is none.
   */
  ValueType seek(long t);

  /** Timestamp (ms) of the current sample. */
  long atT();

  /** Float value of the current sample; valid after {@link ValueType#FLOAT}. */
  double atV();

  /** Start (created) timestamp of the current sample in ms, or 0 when unknown. */
  default long atST() {
    return 0;
  }

  /** The error that stopped iteration, or null. */
  default Throwable err() {
    return null;
  }

  /** An iterator over nothing. */
  static ChunkIterator empty() {
    return EmptyIterator.INSTANCE;
  }
}
