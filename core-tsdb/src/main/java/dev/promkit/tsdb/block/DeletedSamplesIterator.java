package dev.promkit.tsdb.block;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.tombstones.Intervals;

/**
 * A series iterator that skips the samples lying in deleted intervals (tombstones), for blocks and
 * for the head.
 */
public final class DeletedSamplesIterator implements ChunkIterator {
  private final ChunkIterator in;
  private final Intervals deleted;

  /** Wraps {@code in}, hiding every sample whose timestamp lies in {@code deleted}. */
  public DeletedSamplesIterator(ChunkIterator in, Intervals deleted) {
    this.in = in;
    this.deleted = deleted;
  }

  @Override
  public ValueType next() {
    ValueType v;
    while ((v = in.next()) != ValueType.NONE && deleted.contains(in.atT())) {
      // skip deleted samples
    }
    return v;
  }

  @Override
  public ValueType seek(long t) {
    ValueType v = in.seek(t);
    while (v != ValueType.NONE && deleted.contains(in.atT())) {
      v = in.next();
    }
    return v;
  }

  @Override
  public long atT() {
    return in.atT();
  }

  @Override
  public double atV() {
    return in.atV();
  }

  @Override
  public long atST() {
    return in.atST();
  }

  @Override
  public Throwable err() {
    return in.err();
  }
}
