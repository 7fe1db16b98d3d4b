package dev.promkit.server.scrape;

import dev.promkit.tsdb.labels.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * Prometheus' scrape cache: from the text of a sample's series (the parser's
 * {@link dev.promkit.client.exposition.ExpositionParser#seriesBytes() series bytes}, equal exactly
 * for equal names and label lists) to its final label set after target labels and metric
 * relabelling, its storage reference and when it was last seen. As in Prometheus, a known series is
 * found by comparing bytes, so steady-state scrapes decode no label into a String and build no
 * label sets. Not thread-safe (one per scrape loop).
 *
 * <p>Layout: an entry is an int id into parallel arrays, and every key lives in one byte arena,
 * written in the order the series were first scraped. A target lists its series in the same order
 * each time, so a scrape walks the arena (and the arrays) sequentially: the n-th sample is compared
 * with the n-th entry of the last scrape, with no hash and no pointer chasing. (With one object and
 * one key array per entry, scattered over the heap, the same lookups cost ~3x the parsing, mostly
 * in cache misses.) Removed entries leave holes in the arena, squeezed out once they are half of it.
 */
final class SeriesCache {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final int NONE = -1;

  private byte[] arena = new byte[1 << 14];
  private int arenaLen;
  private int deadBytes;

  // per entry id; a free id has keyLength -1 and chain = next free id
  private int[] keyStart = new int[64];
  private int[] keyLength = new int[64];
  private int[] hashes = new int[64];
  private int[] chain = new int[64];
  private long[] refs = new long[64];
  private Labels[] lsets = new Labels[64];
  // scrape numbers as ints (2^31 scrapes are 68 years at one a second)
  private int[] lastSeen = new int[64];
  private int[] prevSeen = new int[64];
  private int[] lastUsed = new int[64];
  private int ids; // ids handed out so far (live or free)
  private int free = NONE;
  private int size;

  private int[] table = newTable(64);

  // Entries in the order the last complete scrape listed them (the order hint).
  private int[] order = new int[0];
  private int orderLen;
  private int[] nextOrder = new int[64];
  private int cursor;

  private static int[] newTable(int n) {
    int[] t = new int[n]; // power of two: the index is a mask
    Arrays.fill(t, NONE);
    return t;
  }

  /**
   * Sizes an empty cache for about {@code entries} series with {@code keyBytes} bytes of keys, so
   * that the scrape creating them grows no array by doubling: no garbage copies (which Serial GC
   * would leave in the old generation until a full collection) and no unused tail. No-op unless
   * the cache is empty.
   */
  void reserve(int entries, int keyBytes) {
    if (ids != 0 || entries <= keyLength.length) {
      return;
    }
    keyStart = new int[entries];
    keyLength = new int[entries];
    hashes = new int[entries];
    chain = new int[entries];
    refs = new long[entries];
    lsets = new Labels[entries];
    lastSeen = new int[entries];
    prevSeen = new int[entries];
    lastUsed = new int[entries];
    nextOrder = new int[entries];
    arena = new byte[Math.max(arena.length, keyBytes)];
    int t = table.length;
    while (entries > t * 3 / 4) {
      t *= 2;
    }
    table = newTable(t);
  }

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

  private boolean matches(int id, byte[] b, int off, int len) {
    int s = keyStart[id];
    return keyLength[id] == len && Arrays.equals(arena, s, s + len, b, off, off + len);
  }

  /** Starts a scrape: the order hint restarts at the first sample. */
  void beginScrape() {
    cursor = 0;
  }

  /** Records the entry of the current sample (found or put), in sample order. */
  void seen(int id) {
    if (cursor == nextOrder.length) {
      nextOrder = Arrays.copyOf(nextOrder, cursor * 2);
    }
    nextOrder[cursor++] = id;
  }

  /** Ends a complete scrape: its sample order becomes the hint for the next one. */
  void endScrape() {
    int[] o = order;
    order = nextOrder;
    orderLen = cursor;
    nextOrder = o.length >= cursor ? o : new int[order.length];
  }

  /** The entry of these series bytes, or {@link #NONE}. */
  int get(byte[] b, int off, int len) {
    if (cursor < orderLen) {
      int id = order[cursor];
      if (keyLength[id] >= 0 && matches(id, b, off, len)) {
        return id;
      }
    }
    int h = hash(b, off, len);
    for (int id = table[h & (table.length - 1)]; id != NONE; id = chain[id]) {
      if (hashes[id] == h && matches(id, b, off, len)) {
        return id;
      }
    }
    return NONE;
  }

  /** Adds an entry for these series bytes (absent: checked by {@link #get}), copying them. */
  int put(byte[] b, int off, int len, Labels lset) {
    if (size >= table.length * 3 / 4) {
      rehash(table.length * 2);
    }
    int id;
    if (free != NONE) {
      id = free;
      free = chain[id];
    } else {
      if (ids == keyLength.length) {
        growIds();
      }
      id = ids++;
    }
    if (arenaLen + len > arena.length) {
      makeRoom(len);
    }
    System.arraycopy(b, off, arena, arenaLen, len);
    keyStart[id] = arenaLen;
    keyLength[id] = len;
    arenaLen += len;
    int h = hash(b, off, len);
    hashes[id] = h;
    refs[id] = 0;
    lsets[id] = lset;
    lastSeen[id] = -1;
    prevSeen[id] = -1;
    lastUsed[id] = 0;
    int i = h & (table.length - 1);
    chain[id] = table[i];
    table[i] = id;
    size++;
    return id;
  }

  Labels lset(int id) {
    return lsets[id];
  }

  void lset(int id, Labels l) {
    lsets[id] = l;
  }

  long ref(int id) {
    return refs[id];
  }

  void ref(int id, long r) {
    refs[id] = r;
  }

  /** Scrape number in which the series was last appended without an explicit timestamp (-1: never). */
  int lastSeen(int id) {
    return lastSeen[id];
  }

  /** The value of lastSeen before its last update. */
  int prevSeen(int id) {
    return prevSeen[id];
  }

  /** Sets lastSeen, keeping the old value as prevSeen. */
  void seenIn(int id, int scrape) {
    prevSeen[id] = lastSeen[id];
    lastSeen[id] = scrape;
  }

  /** Clears lastSeen (the series was marked stale). */
  void unsee(int id) {
    lastSeen[id] = -1;
  }

  /** Scrape number of the last lookup, for eviction. */
  int lastUsed(int id) {
    return lastUsed[id];
  }

  void used(int id, int scrape) {
    lastUsed[id] = scrape;
  }

  private void growIds() {
    int n = keyLength.length * 2;
    keyStart = Arrays.copyOf(keyStart, n);
    keyLength = Arrays.copyOf(keyLength, n);
    hashes = Arrays.copyOf(hashes, n);
    chain = Arrays.copyOf(chain, n);
    refs = Arrays.copyOf(refs, n);
    lsets = Arrays.copyOf(lsets, n);
    lastSeen = Arrays.copyOf(lastSeen, n);
    prevSeen = Arrays.copyOf(prevSeen, n);
    lastUsed = Arrays.copyOf(lastUsed, n);
  }

  private void rehash(int n) {
    int[] t = newTable(n);
    for (int id = 0; id < ids; id++) {
      if (keyLength[id] >= 0) {
        int i = hashes[id] & (n - 1);
        chain[id] = t[i];
        t[i] = id;
      }
    }
    table = t;
  }

  /** Room for {@code len} more key bytes: squeezes out removed keys when they are half the arena, else grows. */
  private void makeRoom(int len) {
    int live = arenaLen - deadBytes;
    int cap = arena.length;
    if (deadBytes < arenaLen / 2 || live + len > cap) {
      cap = Math.max(cap * 2, live + len);
    }
    compact(cap);
  }

  /** Copies the live keys into a new arena of {@code cap} bytes, in the order of the last scrape first. */
  private void compact(int cap) {
    byte[] a = new byte[cap];
    int n = 0;
    int[] newStart = new int[ids];
    Arrays.fill(newStart, NONE);
    for (int k = 0; k < orderLen; k++) {
      int id = order[k];
      if (keyLength[id] >= 0 && newStart[id] == NONE) {
        System.arraycopy(arena, keyStart[id], a, n, keyLength[id]);
        newStart[id] = n;
        n += keyLength[id];
      }
    }
    for (int id = 0; id < ids; id++) {
      if (keyLength[id] >= 0 && newStart[id] == NONE) {
        System.arraycopy(arena, keyStart[id], a, n, keyLength[id]);
        newStart[id] = n;
        n += keyLength[id];
      }
    }
    for (int id = 0; id < ids; id++) {
      if (keyLength[id] >= 0) {
        keyStart[id] = newStart[id];
      }
    }
    arena = a;
    arenaLen = n;
    deadBytes = 0;
  }

  /** Calls {@code action} with every live entry. */
  void forEach(IntConsumer action) {
    for (int id = 0; id < ids; id++) {
      if (keyLength[id] >= 0) {
        action.accept(id);
      }
    }
  }

  /** Removes the entries {@code drop} accepts. */
  void removeIf(IntPredicate drop) {
    boolean removed = false;
    for (int id = 0; id < ids; id++) {
      if (keyLength[id] >= 0 && drop.test(id)) {
        deadBytes += keyLength[id];
        keyLength[id] = -1;
        lsets[id] = null;
        size--;
        removed = true;
      }
    }
    if (!removed) {
      return;
    }
    rehash(table.length); // rebuilds the chains without the removed ids
    free = NONE;
    for (int id = ids - 1; id >= 0; id--) {
      if (keyLength[id] < 0) {
        chain[id] = free;
        free = id;
      }
    }
    // The order hint may name removed (and later reused) ids: get() checks the bytes anyway.
    if (deadBytes > (1 << 16) && deadBytes > arenaLen / 2) {
      compact(Math.max(1 << 14, (arenaLen - deadBytes) * 2));
    }
  }

  void clear() {
    arena = new byte[1 << 14];
    arenaLen = 0;
    deadBytes = 0;
    keyStart = new int[64];
    keyLength = new int[64];
    hashes = new int[64];
    chain = new int[64];
    refs = new long[64];
    lsets = new Labels[64];
    lastSeen = new int[64];
    prevSeen = new int[64];
    lastUsed = new int[64];
    ids = 0;
    free = NONE;
    size = 0;
    table = newTable(64);
    order = new int[0];
    orderLen = 0;
    nextOrder = new int[64];
    cursor = 0;
  }

  int size() {
    return size;
  }
}
