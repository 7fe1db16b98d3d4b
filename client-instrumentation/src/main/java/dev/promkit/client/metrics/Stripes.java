package dev.promkit.client.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * Per-thread-owned cells of a concurrently updated value. A thread hashes its id to a home slot;
 * when the cell there is owned by it, the update is a plain store (a few cycles) rather than a
 * locked CAS (~20 cycles plus cache-line ping-pong). Otherwise the slow path probes neighbouring
 * slots, claims a free cell or one whose owner has died, grows the array (up to a bound), and as a
 * last resort returns null so the caller updates the home cell's shared fields atomically
 * (LongAdder-like striping). Readers sum all cells; nothing is ever lost or double counted because
 * a cell changes owner only when the old owner is dead (its writes then happen-before the new
 * owner's, JLS 17.4.4).
 */
final class Stripes<C extends Cell> {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Cell[].class);
  private static final int PROBES = 3;
  /** Enough slots for every core to have a home without collisions, bounded to limit memory. */
  static final int MAX_CELLS =
      Math.min(64, Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1);

  private volatile Cell[] cells = new Cell[2];
  private final Supplier<C> factory;

  Stripes(Supplier<C> factory) {
    this.factory = factory;
  }

  /** Fibonacci hashing: the top bits of id * 2^64/phi spread consecutive thread ids evenly. */
  static int home(Thread t, int length) {
    return (int) ((t.getId() * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(length)));
  }

  /** Hot path: the calling thread's cell when it owns its home cell, else null. */
  @SuppressWarnings("unchecked")
  C owned(Thread t) {
    Cell[] cs = cells;
    Cell c = cs[home(t, cs.length)];
    return c != null && c.owner == t ? (C) c : null; // only t ever writes t here: a plain read is safe
  }

  /**
   * Slow path: a cell the thread owns (found, claimed or created), or null when all nearby cells
   * belong to live threads and the array is at its maximum size. While the array may still grow,
   * a thread whose home slot is taken grows it rather than settling next door, so that its next
   * update finds its cell at home, on the fast path.
   */
  @SuppressWarnings("unchecked")
  C claim(Thread t) {
    while (true) {
      Cell[] cs = cells;
      int n = cs.length;
      int h = home(t, n);
      boolean canGrow = n < MAX_CELLS;
      boolean ownsNearby = false;
      for (int k = 0; k < PROBES && k < n; k++) {
        Cell c = (Cell) SLOT.getAcquire(cs, (h + k) & (n - 1));
        if (c != null && c.owner == t) {
          if (k == 0 || !canGrow) {
            return (C) c;
          }
          ownsNearby = true; // off its home slot: grow below so it moves home
          break;
        }
      }
      if (!ownsNearby) {
        for (int k = 0; k < (canGrow ? 1 : Math.min(PROBES, n)); k++) { // home first; neighbours only at max size
          int i = (h + k) & (n - 1);
          Cell c = (Cell) SLOT.getAcquire(cs, i);
          if (c == null) {
            C created = createAt(cs, i, t);
            if (created != null) {
              return created;
            }
            continue;
          }
          Thread o = (Thread) Cell.OWNER.getVolatile(c);
          if ((o == null || !o.isAlive()) && Cell.OWNER.compareAndSet(c, o, t)) {
            return (C) c;
          }
        }
        if (!canGrow) {
          return null; // every nearby cell belongs to a live thread: the caller goes atomic
        }
      }
      grow(cs); // bounded: at most log2(MAX_CELLS) growths
    }
  }

  /** The home cell for a shared (atomic) update, created unowned if missing. */
  @SuppressWarnings("unchecked")
  C shared(Thread t) {
    Cell[] cs = cells;
    int i = home(t, cs.length);
    Cell c = (Cell) SLOT.getAcquire(cs, i);
    if (c != null) {
      return (C) c;
    }
    synchronized (this) {
      cs = cells;
      i = home(t, cs.length);
      c = cs[i];
      if (c == null) {
        c = factory.get();
        SLOT.setRelease(cs, i, c);
      }
      return (C) c;
    }
  }

  private synchronized C createAt(Cell[] seen, int i, Thread t) {
    if (cells != seen || seen[i] != null) {
      return null;
    }
    C c = factory.get();
    c.owner = t;
    SLOT.setRelease(seen, i, c); // publish a fully built, owned cell
    return c;
  }

  private synchronized void grow(Cell[] seen) {
    if (cells != seen) {
      return; // someone else grew it: retry with the new array
    }
    Cell[] bigger = new Cell[seen.length * 2];
    int mask = bigger.length - 1;
    for (int pass = 0; pass < 2; pass++) { // owned cells first, so each gets its owner's home if free
      for (Cell c : seen) {
        if (c == null) {
          continue;
        }
        Thread o = (Thread) Cell.OWNER.getVolatile(c);
        if ((pass == 0) != (o != null)) {
          continue;
        }
        int i = o == null ? 0 : home(o, bigger.length);
        while (bigger[i] != null) {
          i = (i + 1) & mask;
        }
        bigger[i] = c;
      }
    }
    cells = bigger; // volatile publish; every old cell is in the new array, so no count is lost
  }

  /** The current cells (entries may be null) for readers to sum. */
  Cell[] cells() {
    return cells;
  }
}
