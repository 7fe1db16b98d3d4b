package dev.promkit.client.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable label set of a data point, sorted by name. Names are validated by the metric
 * that builds them; this class only keeps them sorted and unique.
 */
public final class Labels implements Comparable<Labels> {
  private static final String[] NONE = new String[0];
  /** The empty label set. */
  public static final Labels EMPTY = new Labels(NONE, NONE);

  private final String[] names;
  private final String[] values;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * Labels from alternating names and values, in any order.
   *
   * @throws IllegalArgumentException on an odd count, a null, or a duplicate name
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels: odd number of names and values");
    }
    int n = namesAndValues.length / 2;
    String[] ns = new String[n];
    String[] vs = new String[n];
    for (int i = 0; i < n; i++) {
      ns[i] = Objects.requireNonNull(namesAndValues[2 * i], "label name");
      vs[i] = Objects.requireNonNull(namesAndValues[2 * i + 1], "label value of " + ns[i]);
    }
    return of(ns, vs);
  }

  /**
   * Labels from parallel name and value arrays (copied, then sorted).
   *
   * @throws IllegalArgumentException on a length mismatch or a duplicate name
   */
  public static Labels of(String[] names, String[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(
          "labels: " + names.length + " names but " + values.length + " values");
    }
    if (names.length == 0) {
      return EMPTY;
    }
    String[] ns = names.clone();
    String[] vs = values.clone();
    sort(ns, vs);
    for (int i = 1; i < ns.length; i++) {
      if (ns[i].equals(ns[i - 1])) {
        throw new IllegalArgumentException("labels: duplicate label name " + ns[i]);
      }
    }
    return new Labels(ns, vs);
  }

  /** Wraps arrays already sorted by name and duplicate-free. No copy: callers must not change them. */
  public static Labels ofSorted(String[] names, String[] values) {
    return names.length == 0 ? EMPTY : new Labels(names, values);
  }

  // Insertion sort: label sets are small (usually < 10), and it keeps names/values paired.
  private static void sort(String[] ns, String[] vs) {
    for (int i = 1; i < ns.length; i++) {
      String n = ns[i];
      String v = vs[i];
      int j = i - 1;
      while (j >= 0 && ns[j].compareTo(n) > 0) {
        ns[j + 1] = ns[j];
        vs[j + 1] = vs[j];
        j--;
      }
      ns[j + 1] = n;
      vs[j + 1] = v;
    }
  }

  /** Number of labels. */
  public int size() {
    return names.length;
  }

  /** True when empty. */
  public boolean isEmpty() {
    return names.length == 0;
  }

  /** Name of the i-th label (sorted). */
  public String name(int i) {
    return names[i];
  }

  /** Value of the i-th label (sorted). */
  public String value(int i) {
    return values[i];
  }

  /** The value for a name, or null when absent. */
  public String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** True when the name is present. */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /** These labels plus one more (replacing an existing value). */
  public Labels add(String name, String value) {
    return merge(Labels.of(name, value));
  }

  /** These labels plus others; on a name clash the other set's value wins. */
  public Labels merge(Labels other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    String[] ns = new String[names.length + other.names.length];
    String[] vs = new String[ns.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < names.length || j < other.names.length) {
      int c = i == names.length ? 1 : j == other.names.length ? -1 : names[i].compareTo(other.names[j]);
      if (c < 0) {
        ns[k] = names[i];
        vs[k++] = values[i++];
      } else if (c > 0) {
        ns[k] = other.names[j];
        vs[k++] = other.values[j++];
      } else {
        ns[k] = other.names[j];
        vs[k++] = other.values[j++];
        i++;
      }
    }
    return new Labels(Arrays.copyOf(ns, k), Arrays.copyOf(vs, k));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels)) {
      return false;
    }
    Labels l = (Labels) o;
    return Arrays.equals(names, l.names) && Arrays.equals(values, l.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(names.length, o.names.length);
    for (int i = 0; i < n; i++) {
      int c = names[i].compareTo(o.names[i]);
      if (c != 0) {
        return c;
      }
      c = values[i].compareTo(o.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(names.length, o.names.length);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(names[i]).append("=\"").append(values[i]).append('"');
    }
    return sb.append('}').toString();
  }
}
