package dev.promkit.tsdb.tombstones;

import java.util.Arrays;

/**
 * An immutable, sorted set of disjoint closed time intervals [mint, maxt] (ms), as Prometheus keeps
 * per series: adding an interval that overlaps or touches others merges them into one.
 */
public final class Intervals {
  /** No interval. */
  public static final Intervals EMPTY = new Intervals(new long[0]);

  // mint0, maxt0, mint1, maxt1, ... ascending and disjoint, not even adjacent
  private final long[] bounds;

  private Intervals(long[] bounds) {
    this.bounds = bounds;
  }

  /** The single interval [mint, maxt]. */
  public static Intervals of(long mint, long maxt) {
    return EMPTY.add(mint, maxt);
  }

  /**
   * This set plus [mint, maxt], merged with every interval it overlaps or touches.
   *
   * @throws IllegalArgumentException if mint &gt; maxt
   */
  public Intervals add(long mint, long maxt) {
    if (mint > maxt) {
      throw new IllegalArgumentException("interval [" + mint + ", " + maxt + "] is empty");
    }
    long[] out = new long[bounds.length + 2];
    int n = 0;
    int i = 0;
    // intervals ending before mint-1 stay as they are
    while (i < bounds.length && bounds[i + 1] < mint && bounds[i + 1] + 1 < mint) {
      out[n++] = bounds[i];
      out[n++] = bounds[i + 1];
      i += 2;
    }
    long lo = mint;
    long hi = maxt;
    // absorb intervals overlapping or adjacent to [lo, hi] (maxt+1 guarded against overflow)
    while (i < bounds.length && (bounds[i] <= hi || bounds[i] - 1 <= hi)) {
      lo = Math.min(lo, bounds[i]);
      hi = Math.max(hi, bounds[i + 1]);
      i += 2;
    }
    out[n++] = lo;
    out[n++] = hi;
    while (i < bounds.length) {
      out[n++] = bounds[i];
      out[n++] = bounds[i + 1];
      i += 2;
    }
    return new Intervals(Arrays.copyOf(out, n));
  }

  /** Every interval of {@code other} added to this set. */
  public Intervals addAll(Intervals other) {
    Intervals r = this;
    for (int i = 0; i < other.size(); i++) {
      r = r.add(other.mint(i), other.maxt(i));
    }
    return r;
  }

  /** This set without the parts before {@code mint}. */
  public Intervals dropBefore(long mint) {
    Intervals r = EMPTY;
    for (int i = 0; i < size(); i++) {
      if (maxt(i) >= mint) {
        r = r.add(Math.max(mint, mint(i)), maxt(i));
      }
    }
    return r;
  }

  /** Number of intervals. */
  public int size() {
    return bounds.length / 2;
  }

  /** Whether there is no interval. */
  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** Start of interval {@code i} (inclusive). */
  public long mint(int i) {
    return bounds[2 * i];
  }

  /** End of interval {@code i} (inclusive). */
  public long maxt(int i) {
    return bounds[2 * i + 1];
  }

  /** Whether {@code t} lies in one of the intervals (binary search). */
  public boolean contains(long t) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (t < mint(mid)) {
        hi = mid - 1;
      } else if (t > maxt(mid)) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Whether one interval covers all of [mint, maxt]. */
  public boolean covers(long mint, long maxt) {
    for (int i = 0; i < size(); i++) {
      if (mint(i) <= mint && maxt <= maxt(i)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intervals && Arrays.equals(bounds, ((Intervals) o).bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size(); i++) {
      sb.append(i == 0 ? "" : ", ").append('[').append(mint(i)).append(", ").append(maxt(i)).append(']');
    }
    return sb.append(']').toString();
  }
}
