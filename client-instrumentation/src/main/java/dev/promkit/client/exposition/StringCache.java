package dev.promkit.client.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A direct-mapped cache from byte ranges to Strings, so that names and label values repeated on
 * every line of a scrape (and across scrapes, when the parser is reused) are decoded once.
 * A miss replaces the slot: no eviction bookkeeping, bounded memory.
 */
final class StringCache {
  private static final int SLOTS = 4096; // power of two: slot = hash & (SLOTS - 1)
  private static final int MAX_CACHED_LENGTH = 128;
  private final byte[][] keys = new byte[SLOTS][];
  private final String[] values = new String[SLOTS];

  String get(byte[] b, int from, int to) {
    int len = to - from;
    if (len == 0) {
      return "";
    }
    if (len > MAX_CACHED_LENGTH) {
      return new String(b, from, len, StandardCharsets.UTF_8);
    }
    int h = 0x811C9DC5;
    for (int i = from; i < to; i++) {
      h = (h ^ b[i]) * 0x01000193; // FNV-1a
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] k = keys[slot];
    if (k != null && Arrays.equals(k, 0, k.length, b, from, to)) {
      return values[slot];
    }
    String s = new String(b, from, len, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(b, from, to);
    values[slot] = s;
    return s;
  }
}
