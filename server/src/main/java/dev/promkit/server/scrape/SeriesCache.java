package dev.promkit.server.scrape;

import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.tsdb.labels.Labels;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Prometheus' scrape cache: from a sample's exposed name and labels (as the parser returns them)
 * to its final label set after target labels and metric relabelling, its storage reference and
 * when it was last seen. A hit costs a hash over cached String hash codes and a few reference
 * compares, so steady-state scrapes build no label sets. Not thread-safe (one per scrape loop).
 */
final class SeriesCache {
  /** One exposed series. */
  static final class Entry {
    /** The exposed name, then label names and values alternating, as the parser returned them. */
    final String[] key;
    final int hash;
    /** Final labels, or null when metric relabelling drops the series; shared with the head once stored. */
    Labels lset;
    long ref;
    /** Scrape number in which the series was last appended without an explicit timestamp (-1: never). */
    long lastSeen = -1;
    /** The value of lastSeen before its last update. */
    long prevSeen = -1;
    /** Scrape number of the last lookup, for eviction. */
    long lastUsed;
    Entry next;

    Entry(ExpositionParser p, int hash, Labels lset) {
      int n = p.labelCount();
      String[] k = new String[1 + 2 * n]; // one array instead of three objects: ~40 bytes less per series
      k[0] = p.name();
      for (int i = 0; i < n; i++) {
        k[1 + 2 * i] = p.labelName(i);
        k[2 + 2 * i] = p.labelValue(i);
      }
      this.key = k;
      this.hash = hash;
      this.lset = lset;
    }

    boolean matches(ExpositionParser p, int h) {
      String[] k = key;
      if (hash != h || k.length != 1 + 2 * p.labelCount() || !k[0].equals(p.name())) {
        return false;
      }
      for (int i = 1; i < k.length; i += 2) {
        // equals() returns at once on identical references, which the parser's string cache gives.
        if (!k[i].equals(p.labelName(i >> 1)) || !k[i + 1].equals(p.labelValue(i >> 1))) {
          return false;
        }
      }
      return true;
    }
  }

  private Entry[] table = new Entry[64];
  private int size;
  // Entries in the order the last complete scrape listed them: targets list their series in the
  // same order every time, so the n-th sample is first checked against the n-th entry of last time,
  // a sequential walk instead of a random probe of the table.
  private Entry[] order = new Entry[0];
  private int orderLen;
  private Entry[] nextOrder = new Entry[64];
  private int cursor;

  /** Hash of the current sample's name and labels (String caches its hash code: no rehashing of bytes). */
  static int hash(ExpositionParser p) {
    int h = p.name().hashCode();
    for (int i = 0; i < p.labelCount(); i++) {
      h = 31 * (31 * h + p.labelName(i).hashCode()) + p.labelValue(i).hashCode();
    }
    return h ^ (h >>> 16);
  }

  /** Starts a scrape: the order hint restarts at the first sample. */
  void beginScrape() {
    cursor = 0;
  }

  /** Records the entry of the current sample (found or put), in sample order. */
  void seen(Entry e) {
    if (cursor == nextOrder.length) {
      nextOrder = java.util.Arrays.copyOf(nextOrder, cursor * 2);
    }
    nextOrder[cursor++] = e;
  }

  /** Ends a complete scrape: its sample order becomes the hint for the next one. */
  void endScrape() {
    Entry[] o = order;
    order = nextOrder;
    int oldLen = orderLen;
    orderLen = cursor;
    nextOrder = o.length >= cursor ? o : new Entry[order.length];
    java.util.Arrays.fill(nextOrder, 0, Math.min(oldLen, nextOrder.length), null);
  }

  Entry get(ExpositionParser p, int h) {
    if (cursor < orderLen) {
      Entry e = order[cursor];
      if (e.matches(p, h)) {
        return e;
      }
    }
    for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
      if (e.matches(p, h)) {
        return e;
      }
    }
    return null;
  }

  Entry put(ExpositionParser p, int h, Labels lset) {
    if (size >= table.length * 3 / 4) {
      resize();
    }
    Entry e = new Entry(p, h, lset);
    int i = h & (table.length - 1);
    e.next = table[i];
    table[i] = e;
    size++;
    return e;
  }

  private void resize() {
    Entry[] old = table;
    table = new Entry[old.length * 2]; // power of two: the index is a mask
    for (Entry head : old) {
      for (Entry e = head; e != null; ) {
        Entry next = e.next;
        int i = e.hash & (table.length - 1);
        e.next = table[i];
        table[i] = e;
        e = next;
      }
    }
  }

  void forEach(Consumer<Entry> action) {
    for (Entry head : table) {
      for (Entry e = head; e != null; e = e.next) {
        action.accept(e);
      }
    }
  }

  void removeIf(Predicate<Entry> drop) {
    for (int i = 0; i < table.length; i++) {
      Entry prev = null;
      for (Entry e = table[i]; e != null; e = e.next) {
        if (drop.test(e)) {
          if (prev == null) {
            table[i] = e.next;
          } else {
            prev.next = e.next;
          }
          size--;
        } else {
          prev = e;
        }
      }
    }
  }

  void clear() {
    table = new Entry[64];
    size = 0;
    order = new Entry[0];
    orderLen = 0;
    nextOrder = new Entry[64];
    cursor = 0;
  }

  int size() {
    return size;
  }
}
