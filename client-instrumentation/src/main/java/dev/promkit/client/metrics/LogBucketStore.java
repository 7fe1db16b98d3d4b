package dev.promkit.client.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lock-free counts per bucket slot over a large, sparsely used slot range: a two-level directory
 * of 128-count pages allocated on first use, so a store covering every double magnitude costs a
 * few hundred bytes until values arrive, and then one page per 128 neighbouring buckets.
 */
final class LogBucketStore {
  static final int PAGE_BITS = 7; // 128 counts (1 KiB) per page
  static final int PAGE_SIZE = 1 << PAGE_BITS;
  static final int DIR_BITS = 6; // 64 pages per directory
  static final int DIR_SIZE = 1 << DIR_BITS;
  private static final VarHandle DIRS = MethodHandles.arrayElementVarHandle(long[][][].class);
  private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(long[][].class);
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[][][] dirs;

  /** A store for slots {@code [0, slots)}. */
  LogBucketStore(int slots) {
    dirs = new long[(slots + (PAGE_SIZE * DIR_SIZE) - 1) >>> (PAGE_BITS + DIR_BITS)][][];
  }

  /** Adds one to a slot: two acquire loads and one atomic add once the page exists. */
  void increment(int slot) {
    int d = slot >>> (PAGE_BITS + DIR_BITS);
    long[][] dir = (long[][]) DIRS.getAcquire(dirs, d);
    if (dir == null) {
      dir = install(dirs, d);
    }
    int p = (slot >>> PAGE_BITS) & (DIR_SIZE - 1);
    long[] page = (long[]) PAGES.getAcquire(dir, p);
    if (page == null) {
      page = install(dir, p);
    }
    COUNTS.getAndAdd(page, slot & (PAGE_SIZE - 1), 1L);
  }

  private static long[][] install(long[][][] dirs, int d) {
    DIRS.compareAndSet(dirs, d, null, new long[DIR_SIZE][]); // first writer wins; losers use its array
    return (long[][]) DIRS.getAcquire(dirs, d);
  }

  private static long[] install(long[][] dir, int p) {
    PAGES.compareAndSet(dir, p, null, new long[PAGE_SIZE]);
    return (long[]) PAGES.getAcquire(dir, p);
  }

  /** Number of directory entries. */
  int dirCount() {
    return dirs.length;
  }

  /** The page {@code p} of directory {@code d}, or null when nothing landed there. */
  long[] page(int d, int p) {
    long[][] dir = (long[][]) DIRS.getAcquire(dirs, d);
    return dir == null ? null : (long[]) PAGES.getAcquire(dir, p);
  }

  /** Whether directory {@code d} has any page. */
  boolean hasDir(int d) {
    return DIRS.getAcquire(dirs, d) != null;
  }

  /** A count as readers see it now. */
  static long count(long[] page, int i) {
    return (long) COUNTS.getVolatile(page, i);
  }
}
