package dev.promkit.tsdb.head;

import dev.promkit.tsdb.index.MemPostings;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.StorageException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The head's series: a striped hash map labels -&gt; series (one lock per stripe, so creations of
 * different series rarely contend) and a paged table ref -&gt; series read without locks. Refs are
 * dense ints from 1, so postings can hold them directly.
 *
 * <p>A stripe is an open-addressing table of refs (linear probing, the labels compared through the
 * ref table): ~6 bytes per series where a {@code HashMap} entry with its slot costs ~40.
 */
final class SeriesStore {
  private static final int STRIPE_BITS = 12;
  private static final int STRIPES = 1 << STRIPE_BITS;
  private static final int PAGE_BITS = 12;
  private static final int PAGE = 1 << PAGE_BITS;

  private final Stripe[] stripes = new Stripe[STRIPES];
  private final MemPostings postings;
  private final AtomicLong nextRef = new AtomicLong(1);
  private final AtomicLong size = new AtomicLong();
  private volatile Page[] pages = new Page[0];
  private final Object pagesLock = new Object();

  private static final class Page {
    final AtomicReferenceArray<MemSeries> slots = new AtomicReferenceArray<>(PAGE);
  }

  private static final class Stripe {
    int[] refs = new int[8]; // 0: empty slot; power-of-two length, at most 70 % full
    int size;
  }

  SeriesStore(MemPostings postings) {
    this.postings = postings;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /** The series with this ref, or null. Lock-free. */
  MemSeries get(long ref) {
    if (ref <= 0 || ref > Integer.MAX_VALUE) {
      return null;
    }
    int page = (int) (ref >>> PAGE_BITS);
    Page[] ps = pages;
    if (page >= ps.length) {
      return null;
    }
    return ps[page].slots.get((int) ref & (PAGE - 1));
  }

  /** The series with these labels, or null. */
  MemSeries get(Labels labels) {
    Stripe s = stripe(labels);
    synchronized (s) {
      return find(s, labels);
    }
  }

  /**
   * The series with these labels, created with the next free ref if absent; {@code created[0]}
   * tells which happened.
   */
  MemSeries getOrCreate(Labels labels, boolean[] created) {
    Stripe s = stripe(labels);
    synchronized (s) {
      MemSeries ms = find(s, labels);
      if (ms != null) {
        created[0] = false;
        return ms;
      }
      long ref = nextRef.getAndIncrement();
      if (ref > Integer.MAX_VALUE) {
        throw new StorageException(StorageException.Kind.OTHER,
            "head: series ref space exhausted (2^31 series created since start)");
      }
      ms = insert(s, ref, labels);
      created[0] = true;
      return ms;
    }
  }

  /**
   * For replay: the series with these labels, created with {@code ref} if absent. When the labels
   * already exist under another ref the existing series is returned.
   */
  MemSeries getOrCreateWithRef(long ref, Labels labels, boolean[] created) {
    created[0] = false;
    if (ref <= 0 || ref > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("head: series ref " + ref + " out of range 1.." + Integer.MAX_VALUE);
    }
    Stripe s = stripe(labels);
    synchronized (s) {
      MemSeries ms = find(s, labels);
      if (ms != null) {
        return ms;
      }
      if (get(ref) != null) {
        throw new IllegalArgumentException("head: series ref " + ref + " already used by " + get(ref).labels);
      }
      nextRef.accumulateAndGet(ref + 1, Math::max);
      created[0] = true;
      return insert(s, ref, labels);
    }
  }

  private MemSeries insert(Stripe s, long ref, Labels labels) {
    Labels interned = postings.add((int) ref, labels);
    MemSeries ms = new MemSeries((int) ref, interned);
    // the ref table first: every ref in a stripe resolves while the stripe's lock is held
    page((int) (ref >>> PAGE_BITS)).slots.set((int) ref & (PAGE - 1), ms);
    if ((s.size + 1) * 10 > s.refs.length * 7) {
      rehash(s, s.refs.length * 2);
    }
    put(s.refs, ms);
    s.size++;
    size.incrementAndGet();
    return ms;
  }

  // The series with these labels in stripe s, or null. Caller holds s.
  private MemSeries find(Stripe s, Labels labels) {
    int[] t = s.refs;
    int mask = t.length - 1;
    for (int i = slot(labels, mask); ; i = (i + 1) & mask) {
      int ref = t[i];
      if (ref == 0) {
        return null;
      }
      MemSeries ms = get(ref);
      if (ms.labels.equals(labels)) {
        return ms;
      }
    }
  }

  private void put(int[] t, MemSeries ms) {
    int mask = t.length - 1;
    int i = slot(ms.labels, mask);
    while (t[i] != 0) {
      i = (i + 1) & mask;
    }
    t[i] = ms.ref;
  }

  private void rehash(Stripe s, int length) {
    int[] old = s.refs;
    int[] t = new int[length];
    for (int ref : old) {
      if (ref != 0) {
        put(t, get(ref));
      }
    }
    s.refs = t;
  }

  // Removes ms from stripe s (caller holds s): backward-shift deletion keeps probe chains whole.
  private void delete(Stripe s, MemSeries ms) {
    int[] t = s.refs;
    int mask = t.length - 1;
    int i = slot(ms.labels, mask);
    while (t[i] != ms.ref) {
      if (t[i] == 0) {
        return; // not in the table
      }
      i = (i + 1) & mask;
    }
    int hole = i;
    for (int j = (hole + 1) & mask; t[j] != 0; j = (j + 1) & mask) {
      int home = slot(get(t[j]).labels, mask);
      // move t[j] into the hole unless its home lies cyclically in (hole, j]
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        t[hole] = t[j];
        hole = j;
      }
    }
    t[hole] = 0;
    s.size--;
  }

  // Home slot: bits of the labels hash independent of those that chose the stripe.
  private static int slot(Labels labels, int mask) {
    int x = Integer.rotateLeft(labels.hashCode() * 0x9E3779B9, STRIPE_BITS) * 0x85EBCA6B;
    return (x ^ (x >>> 16)) & mask;
  }

  /** Removes a series (caller holds its lock) from both maps and the postings. */
  void remove(MemSeries ms) {
    Stripe s = stripe(ms.labels);
    synchronized (s) {
      if (find(s, ms.labels) == ms) {
        delete(s, ms);
      }
      // after the stripe: every ref in a stripe resolves while the stripe's lock is held
      page((int) (ms.ref >>> PAGE_BITS)).slots.compareAndSet((int) ms.ref & (PAGE - 1), ms, null);
    }
    postings.delete((int) ms.ref, ms.labels);
    size.decrementAndGet();
  }

  long size() {
    return size.get();
  }

  /** Calls the action for each series, in ref order (series added meanwhile may be missed). */
  void forEach(Consumer<MemSeries> action) {
    Page[] ps = pages;
    for (Page p : ps) {
      for (int i = 0; i < PAGE; i++) {
        MemSeries ms = p.slots.get(i);
        if (ms != null) {
          action.accept(ms);
        }
      }
    }
  }

  private Stripe stripe(Labels labels) {
    // The top bits of a multiplicative hash: a stripe's HashMap indexes by the low bits of the
    // spread hash, which would otherwise be equal for all its keys and put them in one bin.
    return stripes[(labels.hashCode() * 0x9E3779B9) >>> (32 - STRIPE_BITS)];
  }

  private Page page(int i) {
    Page[] ps = pages;
    if (i < ps.length) {
      return ps[i];
    }
    synchronized (pagesLock) {
      ps = pages;
      if (i >= ps.length) {
        Page[] next = new Page[Math.max(i + 1, ps.length * 2)];
        System.arraycopy(ps, 0, next, 0, ps.length);
        for (int j = ps.length; j < next.length; j++) {
          next[j] = new Page();
        }
        pages = next;
        ps = next;
      }
      return ps[i];
    }
  }
}
