package dev.promkit.promql.functions;

import dev.promkit.promql.value.Sample;
import java.util.Comparator;
import java.util.List;

/**
 * Orderings of {@code sort}, {@code sort_desc}, {@code sort_by_label} and
 * {@code sort_by_label_desc}. Values sort with NaN last in both directions; label values sort in
 * natural order (digit runs compared as numbers), ties broken by the whole label set.
 */
final class SortFunctions {
  private SortFunctions() {}

  /** Ascending by value, NaN last. */
  static final Comparator<Sample> BY_VALUE = (a, b) -> compareValues(a.f(), b.f(), false);

  /** Descending by value, NaN last. */
  static final Comparator<Sample> BY_VALUE_DESC = (a, b) -> compareValues(a.f(), b.f(), true);

  static int compareValues(double a, double b, boolean descending) {
    boolean na = Double.isNaN(a);
    boolean nb = Double.isNaN(b);
    if (na || nb) {
      return na == nb ? 0 : na ? 1 : -1;
    }
    int c = a < b ? -1 : a > b ? 1 : 0; // -0 == 0, as Go's '<'
    return descending ? -c : c;
  }

  /** Natural order on the given labels, then on the full label set; reversed when descending. */
  static Comparator<Sample> byLabels(List<String> labels, boolean descending) {
    return (a, b) -> {
      for (String name : labels) {
        String va = a.metric().get(name);
        String vb = b.metric().get(name);
        if (va.equals(vb)) {
          continue;
        }
        boolean less = naturalLess(va, vb);
        return (less ? -1 : 1) * (descending ? -1 : 1);
      }
      int c = a.metric().compareTo(b.metric());
      return descending ? -c : c;
    };
  }

  /**
   * Natural "less than" of facette/natsort, which Prometheus uses: runs of ASCII digits compare by
   * numeric value (leading zeros skipped, longer run is bigger, equal length compares as text),
   * everything else character by character; a proper prefix is less.
   */
  static boolean naturalLess(String a, String b) {
    int la = a.length();
    int lb = b.length();
    int pa = 0;
    int pb = 0;
    while (true) {
      if (la <= pa) {
        return lb > pb;
      } else if (lb <= pb) {
        return false;
      }
      char av = a.charAt(pa);
      char bv = b.charAt(pb);
      if (isDigit(av) && isDigit(bv)) {
        int na = 1;
        while (pa + na < la) {
          char x = a.charAt(pa + na);
          if (av == '0') { // skip a leading zero
            pa++;
            av = x;
            continue;
          }
          if (isDigit(x)) {
            na++;
          } else {
            break;
          }
        }
        int nb = 1;
        while (pb + nb < lb) {
          char x = b.charAt(pb + nb);
          if (bv == '0') {
            pb++;
            bv = x;
            continue;
          }
          if (isDigit(x)) {
            nb++;
          } else {
            break;
          }
        }
        if (nb > na) {
          return true;
        } else if (na > nb) {
          return false;
        }
        int c = a.substring(pa, pa + na).compareTo(b.substring(pb, pb + nb));
        if (c != 0) {
          return c < 0;
        }
        pa += na;
        pb += nb;
        continue;
      }
      if (av == bv) {
        pa++;
        pb++;
        continue;
      }
      return av < bv;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
