package dev.promkit.client.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A stripe of a histogram: per-bucket counts and the sum. The owner bumps its own array with
 * opaque stores; other threads landing here use the shared array with atomic adds.
 */
final class HistogramCell extends Cell {
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle SUM;
  private static final VarHandle SHARED_SUM;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      SUM = l.findVarHandle(HistogramCell.class, "sumBits", long.class);
      SHARED_SUM = l.findVarHandle(HistogramCell.class, "sharedSumBits", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long[] counts;
  private final long[] sharedCounts;
  private long sumBits;
  private long sharedSumBits;
  /** Right padding (see {@link CellLeftPad}). */
  long p10, p11, p12, p13, p14, p15;

  HistogramCell(int buckets) {
    counts = new long[buckets];
    sharedCounts = new long[buckets];
  }

  /** Owner only: one opaque store per field, no atomic instruction. */
  void ownerObserve(int bucket, double v) {
    long[] c = counts;
    LONGS.setOpaque(c, bucket, c[bucket] + 1);
    SUM.setOpaque(this, Double.doubleToRawLongBits(Double.longBitsToDouble(sumBits) + v));
  }

  /** Any thread. */
  void sharedObserve(int bucket, double v) {
    LONGS.getAndAdd(sharedCounts, bucket, 1L);
    long old;
    do {
      old = (long) SHARED_SUM.getVolatile(this);
    } while (!SHARED_SUM.compareAndSet(this, old, Double.doubleToRawLongBits(Double.longBitsToDouble(old) + v)));
  }

  /** Adds this cell's bucket counts into {@code into}. */
  void addCountsTo(long[] into) {
    for (int i = 0; i < into.length; i++) {
      into[i] += (long) LONGS.getOpaque(counts, i) + (long) LONGS.getVolatile(sharedCounts, i);
    }
  }

  /** This cell's part of the sum. */
  double sum() {
    return Double.longBitsToDouble((long) SUM.getOpaque(this))
        + Double.longBitsToDouble((long) SHARED_SUM.getVolatile(this));
  }
}
