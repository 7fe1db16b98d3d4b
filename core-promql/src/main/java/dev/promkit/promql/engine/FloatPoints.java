package dev.promkit.promql.engine;

import dev.promkit.promql.value.FPoint;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A series' float points held in primitive arrays (times, values, optional start times) and seen
 * as a {@code List<FPoint>}: the engine stores every series it builds this way (16 bytes a point
 * instead of a 32-byte record and a reference) and its inner loops read the arrays directly;
 * generic code reading {@link dev.promkit.promql.value.Series#floats()} gets records made on the fly.
 *
 * <p>Function implementations in other packages may test a range-vector argument's point list for
 * {@link Window} to read the arrays of the whole series without copying.
 */
public final class FloatPoints extends AbstractList<FPoint> implements RandomAccess {
  private long[] t;
  private double[] f;
  private long[] st; // start timestamps; null while every one is unknown (0)
  private int n;

  /** An empty list with room for {@code capacity} points. */
  public FloatPoints(int capacity) {
    int cap = Math.max(capacity, 1);
    t = new long[cap];
    f = new double[cap];
  }

  /** The first n points of these arrays, which the list takes over (no copy). */
  static FloatPoints wrap(long[] t, double[] f, long[] st, int n) {
    FloatPoints p = new FloatPoints(0);
    p.t = t.length == 0 ? new long[1] : t;
    p.f = f.length == 0 ? new double[1] : f;
    p.st = st;
    p.n = n;
    return p;
  }

  /** Number of points. */
  @Override
  public int size() {
    return n;
  }

  /** Time (ms) of point {@code i}. */
  public long t(int i) {
    return t[i];
  }

  /** Value of point {@code i}. */
  public double f(int i) {
    return f[i];
  }

  /** Start time of point {@code i} (0 when unknown). */
  public long st(int i) {
    return st == null ? 0 : st[i];
  }

  /**
   * The backing time array (valid indices {@code [0, size())}). Callers must not modify it; it is
   * replaced when the list grows.
   */
  public long[] times() {
    return t;
  }

  /** The backing value array, as {@link #times()}. */
  public double[] values() {
    return f;
  }

  /** The backing start-time array, as {@link #times()}; null when every start time is unknown (0). */
  public long[] startTimes() {
    return st;
  }

  @Override
  public FPoint get(int i) {
    if (i >= n) {
      throw new IndexOutOfBoundsException("index " + i + ", size " + n);
    }
    return new FPoint(t[i], f[i], st == null ? 0 : st[i]);
  }

  /** Appends a point with an unknown start time. */
  public void add(long ts, double v) {
    if (n == t.length) {
      grow();
    }
    t[n] = ts;
    f[n++] = v;
  }

  /** Appends a point. */
  public void add(long ts, double v, long startTs) {
    if (startTs != 0 && st == null) {
      st = new long[t.length];
    }
    if (n == t.length) {
      grow();
    }
    if (st != null) {
      st[n] = startTs;
    }
    t[n] = ts;
    f[n++] = v;
  }

  @Override
  public boolean add(FPoint p) {
    add(p.t(), p.f(), p.st());
    return true;
  }

  @Override
  public void add(int index, FPoint p) {
    if (index < 0 || index > n) {
      throw new IndexOutOfBoundsException("index " + index + ", size " + n);
    }
    add(p.t(), p.f(), p.st()); // grows and sets up st; then shift into place
    System.arraycopy(t, index, t, index + 1, n - 1 - index);
    System.arraycopy(f, index, f, index + 1, n - 1 - index);
    if (st != null) {
      System.arraycopy(st, index, st, index + 1, n - 1 - index);
    }
    t[index] = p.t();
    f[index] = p.f();
    if (st != null) {
      st[index] = p.st();
    }
    modCount++;
  }

  @Override
  public FPoint set(int i, FPoint p) {
    FPoint old = get(i);
    t[i] = p.t();
    f[i] = p.f();
    if (p.st() != 0 && st == null) {
      st = new long[t.length];
    }
    if (st != null) {
      st[i] = p.st();
    }
    return old;
  }

  /** Replaces the value of point {@code i}. */
  public void setF(int i, double v) {
    f[i] = v;
  }

  @Override
  public FPoint remove(int i) {
    FPoint old = get(i);
    System.arraycopy(t, i + 1, t, i, n - 1 - i);
    System.arraycopy(f, i + 1, f, i, n - 1 - i);
    if (st != null) {
      System.arraycopy(st, i + 1, st, i, n - 1 - i);
    }
    n--;
    modCount++;
    return old;
  }

  @Override
  public void clear() {
    n = 0;
    modCount++;
  }

  private void grow() {
    int cap = Math.max(4, t.length * 2);
    t = Arrays.copyOf(t, cap);
    f = Arrays.copyOf(f, cap);
    if (st != null) {
      st = Arrays.copyOf(st, cap);
    }
  }

  /** The points {@code [from, to)} as a view (see {@link Window}). */
  public Window window(int from, int to) {
    if (from < 0 || to < from || to > n) {
      throw new IndexOutOfBoundsException("window [" + from + ", " + to + ") of " + n + " points");
    }
    Window w = new Window(this);
    w.set(from, to);
    return w;
  }

  /** Time of point {@code i} of any point list: primitive read when it is a {@link FloatPoints}. */
  static long timeAt(List<FPoint> pts, int i) {
    return pts instanceof FloatPoints ? ((FloatPoints) pts).t[i] : pts.get(i).t();
  }

  /** Value of point {@code i} of any point list, as {@link #timeAt}. */
  static double valueAt(List<FPoint> pts, int i) {
    return pts instanceof FloatPoints ? ((FloatPoints) pts).f[i] : pts.get(i).f();
  }

  /** A copy of any point list as FloatPoints (the same object when it is one already). */
  static FloatPoints of(List<FPoint> pts) {
    if (pts instanceof FloatPoints) {
      return (FloatPoints) pts;
    }
    FloatPoints out = new FloatPoints(pts.size());
    for (FPoint p : pts) {
      out.add(p.t(), p.f(), p.st());
    }
    return out;
  }

  /**
   * The points {@code [from(), to())} of one {@link FloatPoints}, as a read-only list: what a
   * range-vector function receives for one step. The engine moves the same view along the series
   * from step to step, so it is valid only during one function call; implementations may read
   * {@link #base()}'s arrays between {@link #from()} and {@link #to()} instead of the list.
   */
  public static final class Window extends AbstractList<FPoint> implements RandomAccess {
    private final FloatPoints base;
    private int from;
    private int to;

    Window(FloatPoints base) {
      this.base = base;
    }

    void set(int from, int to) {
      this.from = from;
      this.to = to;
    }

    /** The whole series' points; not modified while a query runs. */
    public FloatPoints base() {
      return base;
    }

    /** First index of the window in {@link #base()}. */
    public int from() {
      return from;
    }

    /** End index (exclusive) of the window in {@link #base()}. */
    public int to() {
      return to;
    }

    @Override
    public int size() {
      return to - from;
    }

    @Override
    public FPoint get(int i) {
      if (i < 0 || i >= to - from) {
        throw new IndexOutOfBoundsException("index " + i + ", size " + (to - from));
      }
      return base.get(from + i);
    }
  }
}
