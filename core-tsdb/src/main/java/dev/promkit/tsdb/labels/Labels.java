package dev.promkit.tsdb.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by name, with no duplicate names and no empty values
 * (a label with an empty value is the same as no label, as in Prometheus).
 *
 * <p>Names and values sit interleaved in one array ({@code n0, v0, n1, v1, ...}): one object
 * per label set instead of one per label, and a cache-friendly scan for {@link #get}.
 * {@code __name__} is an ordinary label.
 */
public final class Labels implements Comparable<Labels> {
  /** The metric name label. */
  public static final String METRIC_NAME = "__name__";

  private static final Labels EMPTY = new Labels(new String[0]);

  private final String[] nv;
  private int hash; // cached; 0 means "not computed yet" (String-style)

  private Labels(String[] nv) {
    this.nv = nv;
  }

  /** The empty label set. */
  public static Labels empty() {
    return EMPTY;
  }

  /**
   * Label set from alternating names and values, in any order. Empty values are dropped.
   *
   * @throws IllegalArgumentException on an odd count, a null, or a duplicate name
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels: odd number of names and values");
    }
    Builder b = new Builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (b.names.contains(namesAndValues[i])) {
        throw new IllegalArgumentException("labels: duplicate label name " + namesAndValues[i]);
      }
      b.set(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** Label set from a map. Empty values are dropped. */
  public static Labels fromMap(Map<String, String> map) {
    Builder b = new Builder();
    map.forEach(b::set);
    return b.build();
  }

  /** Wraps an array that is already sorted by name, duplicate-free and without empty values. No copy. */
  public static Labels fromSortedArray(String[] namesAndValues) {
    return namesAndValues.length == 0 ? EMPTY : new Labels(namesAndValues);
  }

  /** Number of labels. */
  public int size() {
    return nv.length >> 1;
  }

  /** True when there are no labels. */
  public boolean isEmpty() {
    return nv.length == 0;
  }

  /** Name of the i-th label in sort order. */
  public String name(int i) {
    return nv[i << 1];
  }

  /** Value of the i-th label in sort order. */
  public String value(int i) {
    return nv[(i << 1) + 1];
  }

  /** Value of the label with this name, or the empty string when absent (Prometheus' convention). */
  public String get(String name) {
    for (int i = 0; i < nv.length; i += 2) {
      if (nv[i].equals(name)) {
        return nv[i + 1];
      }
    }
    return "";
  }

  /** True when a label with this name is present. */
  public boolean has(String name) {
    for (int i = 0; i < nv.length; i += 2) {
      if (nv[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The metric name, or the empty string. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** Calls the action for each label in sort order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < nv.length; i += 2) {
      action.accept(nv[i], nv[i + 1]);
    }
  }

  /** A builder seeded with these labels. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < nv.length; i += 2) {
      b.set(nv[i], nv[i + 1]);
    }
    return b;
  }

  /** This set without the named labels. */
  public Labels without(String... names) {
    Builder b = toBuilder();
    for (String n : names) {
      b.remove(n);
    }
    return b.build();
  }

  /** A copy of the backing array (names and values interleaved). */
  public String[] toArray() {
    return nv.clone();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels)) {
      return false;
    }
    Labels other = (Labels) o;
    return hashCode() == other.hashCode() && Arrays.equals(nv, other.nv);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(nv);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** Orders as Prometheus' {@code labels.Compare}: label by label, name then value. */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(nv.length, o.nv.length);
    for (int i = 0; i < n; i++) {
      int c = nv[i].compareTo(o.nv[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(nv.length, o.nv.length);
  }

  /** Prometheus' notation: {@code name{a="1", b="2"}}; label values escaped as Go's %q would. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append('{');
    boolean first = true;
    for (int i = 0; i < nv.length; i += 2) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(nv[i]).append("=\"");
      escape(sb, nv[i + 1]);
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  private static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\': sb.append("\\\\"); break;
        case '"': sb.append("\\\""); break;
        case '\n': sb.append("\\n"); break;
        default: sb.append(c);
      }
    }
  }

  /** Mutable builder; {@link #build()} sorts and drops empty values. Reusable after build. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    /** Sets (or replaces) a label. An empty value removes it at build time. */
    public Builder set(String name, String value) {
      Objects.requireNonNull(name, "label name");
      Objects.requireNonNull(value, "label value");
      int i = names.indexOf(name);
      if (i >= 0) {
        values.set(i, value);
      } else {
        names.add(name);
        values.add(value);
      }
      return this;
    }

    /** Removes a label if present. */
    public Builder remove(String name) {
      int i = names.indexOf(name);
      if (i >= 0) {
        names.remove(i);
        values.remove(i);
      }
      return this;
    }

    /** Value currently set for this name, or the empty string. */
    public String get(String name) {
      int i = names.indexOf(name);
      return i >= 0 ? values.get(i) : "";
    }

    /** Removes all labels. */
    public Builder reset() {
      names.clear();
      values.clear();
      return this;
    }

    /** Builds the sorted, immutable label set. */
    public Labels build() {
      int n = 0;
      for (String v : values) {
        if (!v.isEmpty()) {
          n++;
        }
      }
      if (n == 0) {
        return EMPTY;
      }
      Integer[] order = new Integer[names.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> names.get(a).compareTo(names.get(b)));
      String[] nv = new String[n * 2];
      int j = 0;
      for (Integer i : order) {
        String v = values.get(i);
        if (!v.isEmpty()) {
          nv[j++] = names.get(i);
          nv[j++] = v;
        }
      }
      return new Labels(nv);
    }
  }
}
