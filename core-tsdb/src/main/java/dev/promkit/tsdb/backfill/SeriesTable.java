package dev.promkit.tsdb.backfill;

import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.tsdb.labels.Labels;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the series of a parsed sample line without building its label set: lines are keyed by their
 * strings in line order (name, then label names and values), which the parser hands out from its
 * cache as the same String objects line after line, so a lookup is a hash over cached String hashes
 * and reference comparisons. A miss builds the sorted {@link Labels}; two spellings of one series
 * (other label order, an empty label) share one {@link SeriesEntry}.
 */
final class SeriesTable {
  private final ConcurrentHashMap<Labels, SeriesEntry> byLabels; // shared by the workers' tables
  private Key[] slots = new Key[1 << 10]; // open addressing, power-of-two size: index by mask
  private int size;
  private Key last;

  SeriesTable(ConcurrentHashMap<Labels, SeriesEntry> byLabels) {
    this.byLabels = byLabels;
  }

  private static final class Key {
    final String[] strings;
    final int hash;
    final SeriesEntry series;

    Key(String[] strings, int hash, SeriesEntry series) {
      this.strings = strings;
      this.hash = hash;
      this.series = series;
    }
  }

  /** The series of the parser's current sample. */
  SeriesEntry lookup(ExpositionParser p) {
    int n = p.labelCount();
    String name = p.name();
    int h = name.hashCode();
    for (int i = 0; i < n; i++) {
      h = h * 31 + p.labelName(i).hashCode();
      h = h * 31 + p.labelValue(i).hashCode();
    }
    Key k = last;
    if (k != null && k.hash == h && matches(k.strings, p, name, n)) {
      return k.series; // the same series as the line before: the common layout of a backfill file
    }
    int mask = slots.length - 1;
    int i = mix(h) & mask;
    while ((k = slots[i]) != null) {
      if (k.hash == h && matches(k.strings, p, name, n)) {
        last = k;
        return k.series;
      }
      i = (i + 1) & mask;
    }
    String[] strings = new String[1 + 2 * n];
    strings[0] = name;
    String[] nv = new String[2 + 2 * n];
    nv[0] = Labels.METRIC_NAME;
    nv[1] = name;
    for (int j = 0; j < n; j++) {
      strings[1 + 2 * j] = nv[2 + 2 * j] = p.labelName(j);
      strings[2 + 2 * j] = nv[3 + 2 * j] = p.labelValue(j);
    }
    Labels labels = Labels.of(nv); // sorts, drops empty values, rejects a duplicate name
    SeriesEntry s = byLabels.get(labels);
    if (s == null) {
      s = byLabels.computeIfAbsent(labels, SeriesEntry::new);
    }
    k = new Key(strings, h, s);
    slots[i] = k;
    last = k;
    if (++size * 2 > slots.length) {
      grow();
    }
    return s;
  }

  private static boolean matches(String[] s, ExpositionParser p, String name, int n) {
    if (s.length != 1 + 2 * n || !eq(s[0], name)) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!eq(s[1 + 2 * i], p.labelName(i)) || !eq(s[2 + 2 * i], p.labelValue(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean eq(String a, String b) {
    return a == b || a.equals(b); // the parser's cache makes the reference test the usual answer
  }

  private static int mix(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }

  private void grow() {
    Key[] old = slots;
    slots = new Key[old.length * 2];
    int mask = slots.length - 1;
    for (Key k : old) {
      if (k != null) {
        int i = mix(k.hash) & mask;
        while (slots[i] != null) {
          i = (i + 1) & mask;
        }
        slots[i] = k;
      }
    }
    Arrays.fill(old, null);
  }
}
