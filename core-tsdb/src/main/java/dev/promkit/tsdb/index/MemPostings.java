package dev.promkit.tsdb.index;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory inverted index of the head: label name -&gt; label value -&gt; bitmap of series ids,
 * plus the set of all ids. Its keys double as the head's string interner: {@link #add} returns the
 * label set rebuilt from the canonical name and value strings, so each distinct string is stored
 * once however many series carry it, and it disappears when its last series is deleted.
 *
 * <p>Thread-safe: writers (series creation, garbage collection) take a write lock; queries take a
 * read lock and return fresh bitmaps they own.
 */
public final class MemPostings {
  private final Map<String, Name> index = new HashMap<>();
  private final RoaringBitmap all = new RoaringBitmap();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  // A label name with its values; keeps the canonical name string.
  private static final class Name {
    final String name;
    final Map<String, Value> values = new HashMap<>(4);

    Name(String name) {
      this.name = name;
    }
  }

  // One label value's postings list; keeps the canonical value string.
  private static final class Value {
    final String value;
    final RoaringBitmap ids = new RoaringBitmap();

    Value(String value) {
      this.value = value;
    }
  }

  /** Indexes series {@code id} and returns its labels with interned strings. */
  public Labels add(int id, Labels labels) {
    String[] nv = new String[labels.size() * 2];
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        Name n = index.computeIfAbsent(labels.name(i), Name::new);
        Value v = n.values.computeIfAbsent(labels.value(i), Value::new);
        v.ids.add(id);
        nv[2 * i] = n.name;
        nv[2 * i + 1] = v.value;
      }
      all.add(id);
    } finally {
      lock.writeLock().unlock();
    }
    return Labels.fromSortedArray(nv);
  }

  /** Removes series {@code id}, indexed with these labels; empty lists and their strings go too. */
  public void delete(int id, Labels labels) {
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        Name n = index.get(labels.name(i));
        Value v = n == null ? null : n.values.get(labels.value(i));
        if (v == null) {
          continue;
        }
        v.ids.remove(id);
        if (v.ids.isEmpty()) {
          n.values.remove(labels.value(i));
          if (n.values.isEmpty()) {
            index.remove(labels.name(i));
          }
        }
      }
      all.remove(id);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Ids of series with {@code name="value"} (a copy). */
  public RoaringBitmap get(String name, String value) {
    lock.readLock().lock();
    try {
      Name n = index.get(name);
      Value v = n == null ? null : n.values.get(value);
      return v == null ? new RoaringBitmap() : v.ids.clone();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ids of all series (a copy). */
  public RoaringBitmap all() {
    lock.readLock().lock();
    try {
      return all.clone();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Number of indexed series. */
  public int size() {
    lock.readLock().lock();
    try {
      return all.getCardinality();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Ids of the series matching every matcher, with Prometheus' semantics: a series without the
   * label sees the empty value, so {@code foo=""} selects series without foo and {@code foo!=""}
   * requires it. No matchers select every series.
   */
  public RoaringBitmap select(LabelMatcher... matchers) {
    lock.readLock().lock();
    try {
      List<RoaringBitmap> intersect = new ArrayList<>();
      List<RoaringBitmap> subtract = new ArrayList<>();
      for (LabelMatcher m : matchers) {
        Name n = index.get(m.name());
        Map<String, Value> values = n == null ? Collections.emptyMap() : n.values;
        if (m.matchesEmpty()) {
          // keeps series without the label: drop those whose value does not match
          subtract.add(valuesMatching(values, m, false));
        } else {
          RoaringBitmap bm = valuesMatching(values, m, true);
          if (bm.isEmpty()) {
            return bm;
          }
          intersect.add(bm);
        }
      }
      RoaringBitmap out = intersect.isEmpty() ? all.clone() : Postings.intersect(intersect);
      for (RoaringBitmap s : subtract) {
        if (out.isEmpty()) {
          break;
        }
        out.andNot(s);
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  // Union of the lists of values v with m.matches(v) == want. Caller holds the read lock.
  private static RoaringBitmap valuesMatching(Map<String, Value> values, LabelMatcher m, boolean want) {
    List<RoaringBitmap> hits = new ArrayList<>();
    switch (m.type()) {
      case EQ:
      case NEQ: {
        // =v wants v; !=v not wanting a match means wanting v itself: one lookup either way
        boolean lookup = (m.type() == LabelMatcher.Type.EQ) == want;
        if (lookup) {
          Value v = values.get(m.value());
          if (v != null) {
            hits.add(v.ids);
          }
        } else {
          for (Value v : values.values()) {
            if (!v.value.equals(m.value())) {
              hits.add(v.ids);
            }
          }
        }
        break;
      }
      default: {
        RegexShape shape = RegexShape.of(m.value());
        boolean positive = m.type() == LabelMatcher.Type.RE;
        if (shape.alternatives != null && positive == want) {
          // literal alternation a|b|c: direct lookups instead of running the regex per value
          for (String alt : shape.alternatives) {
            Value v = values.get(alt);
            if (v != null) {
              hits.add(v.ids);
            }
          }
          break;
        }
        for (Value v : values.values()) {
          boolean regexMatch = shape.matches(v.value, m);
          if ((positive == regexMatch) == want) {
            hits.add(v.ids);
          }
        }
      }
    }
    return Postings.merge(hits);
  }

  /** Sorted label names carried by at least one series in {@code ids} (all series when null). */
  public List<String> labelNames(RoaringBitmap ids) {
    List<String> out = new ArrayList<>();
    lock.readLock().lock();
    try {
      for (Name n : index.values()) {
        if (ids == null) {
          out.add(n.name);
          continue;
        }
        for (Value v : n.values.values()) {
          if (RoaringBitmap.intersects(v.ids, ids)) {
            out.add(n.name);
            break;
          }
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    Collections.sort(out);
    return out;
  }

  /** Sorted values of label {@code name} among the series in {@code ids} (all series when null). */
  public List<String> labelValues(String name, RoaringBitmap ids) {
    List<String> out = new ArrayList<>();
    lock.readLock().lock();
    try {
      Name n = index.get(name);
      if (n != null) {
        for (Value v : n.values.values()) {
          if (ids == null || RoaringBitmap.intersects(v.ids, ids)) {
            out.add(v.value);
          }
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    Collections.sort(out);
    return out;
  }
}
