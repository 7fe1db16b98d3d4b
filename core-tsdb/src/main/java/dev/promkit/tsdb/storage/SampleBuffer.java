package dev.promkit.tsdb.storage;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import java.util.Arrays;

/**
 * Float samples of a series in primitive arrays, filled by {@link Series#readFloats}: the bulk read
 * path, one call per series instead of a virtual call chain per sample. Reusable across series
 * ({@link #clear()}); it also keeps the iterator the fallback path recycles.
 */
public final class SampleBuffer {
  long[] t;
  double[] v;
  long[] st; // start timestamps; null while every one is unknown (0)
  int n;
  Throwable err;
  ChunkIterator iterator; // recycled by Series.readFloats' iterator path

  /** An empty buffer with room for {@code capacity} samples. */
  public SampleBuffer(int capacity) {
    int cap = Math.max(capacity, 16);
    t = new long[cap];
    v = new double[cap];
  }

  /** Number of samples. */
  public int size() {
    return n;
  }

  /** The time array (valid indices {@code [0, size())}); replaced when the buffer grows. */
  public long[] times() {
    return t;
  }

  /** The value array (raw bits kept, e.g. stale markers), as {@link #times()}. */
  public double[] values() {
    return v;
  }

  /** The start-time array, as {@link #times()}; null while every start time is unknown (0). */
  public long[] startTimes() {
    return st;
  }

  /** Why the last {@link Series#readFloats} stopped early (an iteration error), or null. */
  public Throwable error() {
    return err;
  }

  /** Empties the buffer (arrays and recycled iterator kept) and clears the error. */
  public void clear() {
    n = 0;
    st = null;
    err = null;
  }

  /** Appends one sample. */
  public void add(long ts, double val, long startTs) {
    if (n == t.length) {
      grow(n + 1);
    }
    if (startTs != 0 && st == null) {
      st = new long[t.length];
    }
    if (st != null) {
      st[n] = startTs;
    }
    t[n] = ts;
    v[n++] = val;
  }

  /**
   * Makes room for {@code k} more samples and returns the index the first of them goes to; the
   * caller writes {@link #times()}/{@link #values()} there and then calls {@link #setSize}.
   */
  public int reserve(int k) {
    if (n + k > t.length) {
      grow(n + k);
    }
    return n;
  }

  /** Sets the number of samples after writing through {@link #reserve}, or drops samples at the end. */
  public void setSize(int size) {
    if (size < 0 || size > t.length) {
      throw new IllegalArgumentException("sample buffer size " + size + " outside [0, " + t.length + "]");
    }
    if (st != null && size > n) {
      Arrays.fill(st, n, size, 0L); // samples written through reserve have unknown start times
    }
    n = size;
  }

  /**
   * Ends a {@link #reserve}d write of {@code k} samples at index {@code at}: keeps those with
   * {@code lo <= t <= hi} (a chunk may stick out of the query's window at either end), moved down
   * to {@code at}, and sets the size after them.
   */
  public void setSizeWithin(int at, int k, long lo, long hi) {
    int a = at;
    int b = at + k;
    while (a < b && t[a] < lo) {
      a++;
    }
    while (b > a && t[b - 1] > hi) {
      b--;
    }
    if (a > at) {
      System.arraycopy(t, a, t, at, b - a);
      System.arraycopy(v, a, v, at, b - a);
    }
    setSize(at + b - a);
  }

  void fail(Throwable e) {
    err = e;
  }

  private void grow(int min) {
    int cap = Math.max(min, t.length * 2);
    t = Arrays.copyOf(t, cap);
    v = Arrays.copyOf(v, cap);
    if (st != null) {
      st = Arrays.copyOf(st, cap);
    }
  }
}
