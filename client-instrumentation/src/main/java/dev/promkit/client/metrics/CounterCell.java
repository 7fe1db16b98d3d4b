package dev.promkit.client.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A stripe of a monotonic sum: integral increments go to long counts (exact, one add), fractional
 * ones to double sums kept as raw long bits. Owner fields are written with opaque stores only by
 * the owning thread; shared fields take atomic updates from anyone else.
 */
final class CounterCell extends Cell {
  private static final VarHandle COUNT;
  private static final VarHandle SUM;
  private static final VarHandle SHARED_COUNT;
  private static final VarHandle SHARED_SUM;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      COUNT = l.findVarHandle(CounterCell.class, "count", long.class);
      SUM = l.findVarHandle(CounterCell.class, "sumBits", long.class);
      SHARED_COUNT = l.findVarHandle(CounterCell.class, "sharedCount", long.class);
      SHARED_SUM = l.findVarHandle(CounterCell.class, "sharedSumBits", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long count;
  private long sumBits; // 0L is the bit pattern of +0.0
  private long sharedCount;
  private long sharedSumBits;
  /** Right padding (see {@link CellLeftPad}). */
  long p10, p11, p12, p13, p14, p15, p16;

  /** Owner only: opaque store, so the value is never torn and readers eventually see it. */
  void ownerAdd(long n) {
    COUNT.setOpaque(this, count + n);
  }

  /** Owner only. */
  void ownerAdd(double d) {
    SUM.setOpaque(this, Double.doubleToRawLongBits(Double.longBitsToDouble(sumBits) + d));
  }

  /** Any thread. */
  void sharedAdd(long n) {
    SHARED_COUNT.getAndAdd(this, n);
  }

  /** Any thread: CAS loop on the double bits. */
  void sharedAdd(double d) {
    long old;
    do {
      old = (long) SHARED_SUM.getVolatile(this);
    } while (!SHARED_SUM.compareAndSet(this, old, Double.doubleToRawLongBits(Double.longBitsToDouble(old) + d)));
  }

  /** Integral part as readers see it now. */
  long count() {
    return (long) COUNT.getOpaque(this) + (long) SHARED_COUNT.getVolatile(this);
  }

  /** Fractional part as readers see it now. */
  double sum() {
    return Double.longBitsToDouble((long) SUM.getOpaque(this))
        + Double.longBitsToDouble((long) SHARED_SUM.getVolatile(this));
  }
}
