package dev.promkit.tsdb.chunkenc;

/** What an iterator's current sample holds; {@link #NONE} once it is exhausted. */
public enum ValueType {
  /** No sample: the iterator is exhausted (or failed: check its {@code err()}). */
  NONE,
  /** A float sample: read {@code atT()} and {@code atV()}. */
  FLOAT,
  /** A native histogram sample (reserved: not produced yet). */
  HISTOGRAM,
  /** A float native histogram sample (reserved: not produced yet). */
  FLOAT_HISTOGRAM
}
