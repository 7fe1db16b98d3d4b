package dev.promkit.tsdb.record;

import java.util.Arrays;

/**
 * A caller-owned, reusable batch of float samples in columns (series ref, timestamp, value): the
 * encoder reads it and the decoder appends to it, so replaying millions of samples allocates no
 * object per sample. {@link #clear()} keeps the storage.
 */
public final class RefSamples {
  private long[] refs;
  private long[] ts;
  private double[] vs;
  private int size;

  /** An empty batch. */
  public RefSamples() {
    this(64);
  }

  /** An empty batch with room for {@code capacity} samples. */
  public RefSamples(int capacity) {
    int c = Math.max(1, capacity);
    refs = new long[c];
    ts = new long[c];
    vs = new double[c];
  }

  /** Adds one sample. */
  public void add(long ref, long t, double v) {
    if (size == refs.length) {
      int c = refs.length << 1;
      refs = Arrays.copyOf(refs, c);
      ts = Arrays.copyOf(ts, c);
      vs = Arrays.copyOf(vs, c);
    }
    refs[size] = ref;
    ts[size] = t;
    vs[size] = v;
    size++;
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  /** Empties the batch, keeping its storage. */
  public void clear() {
    size = 0;
  }

  /** Series reference of sample i. */
  public long ref(int i) {
    check(i);
    return refs[i];
  }

  /** Timestamp (ms) of sample i. */
  public long t(int i) {
    check(i);
    return ts[i];
  }

  /** Value of sample i. */
  public double v(int i) {
    check(i);
    return vs[i];
  }

  private void check(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " of " + size);
    }
  }
}
