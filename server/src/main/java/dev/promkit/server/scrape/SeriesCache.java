package dev.promkit.server.scrape;

import dev.promkit.tsdb.labels.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Prometheus' scrape cache: from the text of a sample's series (the parser's
 * {@link dev.promkit.client.exposition.ExpositionParser#seriesBytes() series bytes}, equal exactly for equal names and label
 * lists) to its final label set after target labels and metric relabelling, its storage reference
 * and when it was last seen. As in Prometheus, a known series is found by comparing bytes, so
 * steady-state scrapes decode no label into a String and build no label sets. Not thread-safe (one
 * per scrape loop).
 */
final class SeriesCache {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** One exposed series. */
  static final class Entry {
    /** The series bytes, copied. */
    final byte[] key;
    final int hash;
    /** Final labels, or null when metric relabelling drops the series; shared with the head once stored. */
    Labels lset;
    long ref;
    // scrape numbers as ints (2^31 scrapes are 68 years at one a second): 12 bytes less per series
    /** Scrape number in which the series was last appended without an explicit timestamp (-1: never). */
    int lastSeen = -1;
    /** The value of lastSeen before its last update. */
    int prevSeen = -1;
    /** Scrape number of the last lookup, for eviction. */
    int lastUsed;
    Entry next;

    Entry(byte[] key, int hash, Labels lset) {
      this.key = key;
      this.hash = hash;
      this.lset = lset;
    }

    boolean matches(byte[] b, int off, int len) {
      byte[] k = key;
      return k.length == len && Arrays.equals(k, 0, len, b, off, off + len);
    }
  }

  private Entry[] table = new Entry[64];
  private int size;
  // Entries in the order the last complete scrape listed them: targets list their series in the
  // same order every time, so the n-th sample is first checked against the n-th entry of last time,
  // a sequential walk instead of a hash and a random probe of the table.
  private Entry[] order = new Entry[0];
  private int orderLen;
  private Entry[] nextOrder = new Entry[64];
  private int cursor;

  /** A hash of the series bytes, eight bytes per step. */
  static int hash(byte[] b, int off, int len) {
    long h = len * 0x9E3779B97F4A7C15L;
    int i = off;
    int stop = off + len - 7;
    for (; i < stop; i += 8) {
      h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    for (; i < off + len; i++) {
      h = (h ^ b[i]) * 0x100000001B3L;
    }
    h ^= h >>> 32;
    return (int) (h ^ (h >>> 16));
  }

  /** Starts a scrape: the order hint restarts at the first sample. */
  void beginScrape() {
    cursor = 0;
  }

  /** Records the entry of the current sample (found or put), in sample order. */
  void seen(Entry e) {
    if (cursor == nextOrder.length) {
      nextOrder = Arrays.copyOf(nextOrder, cursor * 2);
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
    Arrays.fill(nextOrder, 0, Math.min(oldLen, nextOrder.length), null);
  }

  /** The entry of these series bytes, or null. */
  Entry get(byte[] b, int off, int len) {
    if (cursor < orderLen) {
      Entry e = order[cursor];
      if (e.matches(b, off, len)) {
        return e;
      }
    }
    int h = hash(b, off, len);
    for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
      if (e.hash == h && e.matches(b, off, len)) {
        return e;
      }
    }
    return null;
  }

  /** Adds an entry for these series bytes (absent: checked by {@link #get}), copying them. */
  Entry put(byte[] b, int off, int len, Labels lset) {
    if (size >= table.length * 3 / 4) {
      resize();
    }
    int h = hash(b, off, len);
    Entry e = new Entry(Arrays.copyOfRange(b, off, off + len), h, lset);
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
