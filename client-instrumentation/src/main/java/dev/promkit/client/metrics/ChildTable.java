package dev.promkit.client.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Label values to child: an open-addressing table read without locks or allocation, written under
 * a lock. Lookups hash the caller's array in place (no key object); inserts publish a fully built
 * child with a release store; removal rebuilds the table, so readers never see a half-removed chain.
 */
final class ChildTable<C extends ChildBase> {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ChildBase[].class);

  private volatile ChildBase[] table = new ChildBase[8];
  private int size; // guarded by this

  static int hash(String[] values) {
    int h = 1;
    for (String v : values) {
      h = 31 * h + v.hashCode(); // String caches its hash: no rehashing of the text
    }
    return h ^ (h >>> 16);
  }

  /** The child for these values, or null. Lock-free, allocation-free. */
  @SuppressWarnings("unchecked")
  C get(String[] values) {
    int h = hash(values);
    ChildBase[] t = table;
    int mask = t.length - 1; // power-of-two length: the modulo is a mask
    for (int i = h & mask;; i = (i + 1) & mask) {
      ChildBase c = (ChildBase) SLOT.getAcquire(t, i); // pairs with the release store in insert
      if (c == null) {
        return null; // load factor <= 1/2: a probe always ends on an empty slot
      }
      if (c.hash == h && Arrays.equals(c.labelValues, values)) {
        return (C) c;
      }
    }
  }

  /** The child for these values, created by {@code factory} (given a private copy) when absent. */
  C getOrCreate(String[] values, Function<String[], C> factory) {
    C c = get(values);
    return c != null ? c : create(values, factory);
  }

  private synchronized C create(String[] values, Function<String[], C> factory) {
    C c = get(values);
    if (c != null) {
      return c;
    }
    c = factory.apply(values.clone());
    ChildBase[] t = table;
    if (2 * (size + 1) > t.length) {
      t = rehash(t, t.length * 2, null);
      insert(t, c);
      table = t; // volatile publish of the grown table
    } else {
      insert(t, c);
    }
    size++;
    return c;
  }

  private static void insert(ChildBase[] t, ChildBase c) {
    int mask = t.length - 1;
    int i = c.hash & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    SLOT.setRelease(t, i, c);
  }

  private static ChildBase[] rehash(ChildBase[] old, int length, ChildBase without) {
    ChildBase[] t = new ChildBase[length];
    for (ChildBase c : old) {
      if (c != null && c != without) {
        insert(t, c);
      }
    }
    return t;
  }

  /** Removes the child for these values; true when there was one. */
  synchronized boolean remove(String[] values) {
    C c = get(values);
    if (c == null) {
      return false;
    }
    table = rehash(table, table.length, c);
    size--;
    return true;
  }

  /** Removes all children. */
  synchronized void clear() {
    table = new ChildBase[8];
    size = 0;
  }

  /** The children now present, in no particular order. */
  @SuppressWarnings("unchecked")
  List<C> all() {
    ChildBase[] t = table;
    List<C> out = new ArrayList<>();
    for (int i = 0; i < t.length; i++) {
      ChildBase c = (ChildBase) SLOT.getAcquire(t, i);
      if (c != null) {
        out.add((C) c);
      }
    }
    return out;
  }
}
