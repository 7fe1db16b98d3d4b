package dev.promkit.client.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Quantiles with a bounded <em>relative value error</em> over a sliding time window.
 *
 * <p>Values are mapped to log-linear buckets straight from their bits: a positive normal double's
 * raw bits grow with its value, and their top {@code 11 + k} bits (exponent and the first
 * {@code k} mantissa bits) split every power of two into {@code 2^k} buckets of equal width. A
 * bucket {@code [l, u)} thus has {@code (u - l) / l <= 2^-k}, and its representative, the harmonic
 * mean {@code 2lu / (l + u)}, is within relative distance {@code (u - l) / (u + l) <= 2^-k / (2 + 2^-k)}
 * of every value in it; {@code k} is the smallest with that bound {@code <= e}. No logarithm is
 * computed and bucket edges are exact. Negative values use a mirror store keyed by {@code |v|};
 * zero (and subnormal magnitudes below {@link Double#MIN_NORMAL}) and the infinities have counters
 * of their own. Because the mapping is monotonic, the bucket holding the element of rank
 * {@code floor(q (n - 1))} among the {@code n} values in the window is found by walking bucket
 * counts in value order; its representative is returned. Hence, for every configured quantile,
 * {@code |estimate - exact| <= e * |exact|}, where exact is that element of the observations in
 * the window. Writes are lock-free: a shift and one atomic add.
 *
 * <p>The window is a ring of {@code ageBuckets} age buckets of {@code maxAge / ageBuckets} each.
 * An observation goes into the age bucket of its time; a query merges the current bucket and the
 * {@code ageBuckets - 1} before it, so it covers between {@code maxAge (ageBuckets-1)/ageBuckets}
 * and {@code maxAge} of history. A new age bucket is allocated when time crosses into it (once per
 * {@code maxAge / ageBuckets}, under a lock); old ones are dropped.
 */
final class SlidingQuantiles {
  private static final VarHandle ZERO;
  private static final VarHandle POS_INF;
  private static final VarHandle NEG_INF;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      ZERO = l.findVarHandle(Window.class, "zero", long.class);
      POS_INF = l.findVarHandle(Window.class, "posInf", long.class);
      NEG_INF = l.findVarHandle(Window.class, "negInf", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final long INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);

  private final double[] quantiles; // ascending
  private final double relativeError;
  private final int shift; // 52 - k: drops all but the top k mantissa bits
  private final int minIndex;
  private final int slots;
  private final Clock clock;
  private final long baseNanos;
  private final long ageNanos;
  private final int ageBuckets;
  private final AtomicReferenceArray<Window> ring;
  private volatile Window current;

  /** One age bucket. */
  static final class Window {
    final long epoch;
    final long endNanos;
    final LogBucketStore pos;
    final LogBucketStore neg;
    long zero;
    long posInf;
    long negInf;

    Window(long epoch, long endNanos, int slots) {
      this.epoch = epoch;
      this.endNanos = endNanos;
      this.pos = new LogBucketStore(slots);
      this.neg = new LogBucketStore(slots);
    }
  }

  /**
   * @param quantiles ranks in [0, 1], ascending
   * @param relativeError e in (0, 1): the bound on each estimate's relative value error
   */
  SlidingQuantiles(double[] quantiles, double relativeError, long maxAgeNanos, int ageBuckets, Clock clock) {
    this.quantiles = quantiles.clone();
    this.relativeError = relativeError;
    int k = 0;
    while (Math.scalb(1.0, -k) / (2 + Math.scalb(1.0, -k)) > relativeError) {
      k++; // smallest k whose buckets' relative half-width is within the error
    }
    this.shift = 52 - k;
    this.minIndex = index(Double.MIN_NORMAL);
    this.slots = index(Double.MAX_VALUE) - minIndex + 1;
    this.clock = clock;
    this.ageBuckets = ageBuckets;
    this.ageNanos = Math.max(1, maxAgeNanos / ageBuckets);
    this.baseNanos = clock.nanoTime();
    this.ring = new AtomicReferenceArray<>(ageBuckets);
    Window w = new Window(0, baseNanos + ageNanos, slots);
    ring.set(0, w);
    this.current = w;
  }

  /** Bucket of a positive normal magnitude: its raw bits are monotonic in its value. */
  private int index(double magnitude) {
    return (int) (Double.doubleToRawLongBits(magnitude) >>> shift);
  }

  /** The representative of bucket {@code index}: the harmonic mean of its edges, within e of all of it. */
  double representative(int index) {
    double lower = Double.longBitsToDouble((long) index << shift);
    long upperBits = (long) (index + 1) << shift;
    double upper = upperBits >= INFINITY_BITS ? Double.MAX_VALUE : Double.longBitsToDouble(upperBits);
    return Math.min(Double.MAX_VALUE, lower * (2 / (1 + lower / upper))); // 2lu/(l+u) without overflow
  }

  double relativeError() {
    return relativeError;
  }

  /** Records a value (not NaN). Lock-free except when time crosses into a new age bucket. */
  void observe(double v) {
    Window w = current;
    long now = clock.nanoTime();
    if (now - w.endNanos >= 0) { // overflow-safe "now >= end": rotation is rare, stays out of line
      w = rotate(now);
    }
    if (v > 0) {
      if (v >= Double.MIN_NORMAL && v <= Double.MAX_VALUE) {
        w.pos.increment(index(v) - minIndex);
      } else if (v == Double.POSITIVE_INFINITY) {
        POS_INF.getAndAdd(w, 1L);
      } else {
        ZERO.getAndAdd(w, 1L); // subnormal: counted as zero
      }
    } else if (v < 0) {
      if (v <= -Double.MIN_NORMAL && v >= -Double.MAX_VALUE) {
        w.neg.increment(index(-v) - minIndex);
      } else if (v == Double.NEGATIVE_INFINITY) {
        NEG_INF.getAndAdd(w, 1L);
      } else {
        ZERO.getAndAdd(w, 1L);
      }
    } else {
      ZERO.getAndAdd(w, 1L);
    }
  }

  private synchronized Window rotate(long now) {
    Window w = current;
    if (now - w.endNanos < 0) {
      return w; // another thread rotated already
    }
    long epoch = Math.floorDiv(now - baseNanos, ageNanos);
    Window fresh = new Window(epoch, baseNanos + (epoch + 1) * ageNanos, slots);
    ring.set((int) Math.floorMod(epoch, (long) ageBuckets), fresh);
    current = fresh;
    return fresh;
  }

  /** The age buckets inside the window at the current time. */
  private List<Window> live() {
    long epoch = Math.floorDiv(clock.nanoTime() - baseNanos, ageNanos);
    List<Window> out = new ArrayList<>(ageBuckets);
    for (int i = 0; i < ageBuckets; i++) {
      Window w = ring.get(i);
      if (w != null && w.epoch > epoch - ageBuckets) {
        out.add(w);
      }
    }
    return out;
  }

  /** The configured quantiles' estimates now (NaN each when the window is empty). */
  double[] estimates() {
    List<Window> windows = live();
    long zero = 0;
    long negInf = 0;
    long posInf = 0;
    for (Window w : windows) {
      zero += (long) ZERO.getVolatile(w);
      negInf += (long) NEG_INF.getVolatile(w);
      posInf += (long) POS_INF.getVolatile(w);
    }
    Walk walk = new Walk();
    long[] buf = new long[LogBucketStore.PAGE_SIZE];
    long neg = visit(windows, true, buf, null);
    long pos = visit(windows, false, buf, null);
    long n = zero + negInf + posInf + neg + pos;
    double[] out = new double[quantiles.length];
    if (n == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    walk.ranks = new long[quantiles.length];
    for (int i = 0; i < quantiles.length; i++) {
      walk.ranks[i] = (long) Math.floor(quantiles[i] * (n - 1));
    }
    walk.out = out;
    walk.bucket(negInf, Double.NEGATIVE_INFINITY);
    visit(windows, true, buf, walk); // negative values: largest magnitude first
    walk.bucket(zero, 0);
    visit(windows, false, buf, walk);
    walk.bucket(posInf, Double.POSITIVE_INFINITY);
    // Counts read in the second pass may exceed the first pass' total (concurrent writes):
    while (walk.next < out.length) {
      out[walk.next++] = walk.last;
    }
    return out;
  }

  /**
   * Walks one store of all windows in value order (the negative store by descending slot), page by
   * page, summing the windows' counts into {@code buf}; with a null walk it only counts.
   */
  private long visit(List<Window> windows, boolean negative, long[] buf, Walk walk) {
    boolean descending = negative;
    if (windows.isEmpty()) {
      return 0;
    }
    int dirs = windows.get(0).pos.dirCount();
    long total = 0;
    for (int k = 0; k < dirs; k++) {
      int d = descending ? dirs - 1 - k : k;
      boolean any = false;
      for (Window w : windows) {
        any |= (negative ? w.neg : w.pos).hasDir(d);
      }
      if (!any) {
        continue;
      }
      for (int j = 0; j < LogBucketStore.DIR_SIZE; j++) {
        int p = descending ? LogBucketStore.DIR_SIZE - 1 - j : j;
        Arrays.fill(buf, 0);
        boolean found = false;
        for (Window w : windows) {
          long[] page = (negative ? w.neg : w.pos).page(d, p);
          if (page != null) {
            found = true;
            for (int i = 0; i < buf.length; i++) {
              buf[i] += LogBucketStore.count(page, i);
            }
          }
        }
        if (!found) {
          continue;
        }
        int firstSlot = (d << (LogBucketStore.PAGE_BITS + LogBucketStore.DIR_BITS)) | (p << LogBucketStore.PAGE_BITS);
        for (int x = 0; x < buf.length; x++) {
          int i = descending ? buf.length - 1 - x : x;
          long c = buf[i];
          if (c == 0) {
            continue;
          }
          total += c;
          if (walk != null) {
            double r = representative(firstSlot + i + minIndex);
            walk.bucket(c, negative ? -r : r);
          }
        }
      }
    }
    return total;
  }

  /** Cumulative walk state: assigns each rank the value of the bucket it falls in. */
  private static final class Walk {
    long[] ranks;
    double[] out;
    int next;
    long seen;
    double last = Double.NaN;

    void bucket(long count, double value) {
      if (count == 0 || ranks == null) {
        return;
      }
      seen += count;
      last = value;
      while (next < ranks.length && ranks[next] < seen) {
        out[next++] = value;
      }
    }
  }
}
