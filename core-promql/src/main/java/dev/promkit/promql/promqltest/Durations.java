package dev.promkit.promql.promqltest;

/** Prometheus' duration syntax in script headers: {@code 1h30m}, {@code 10s53ms}, {@code 0}. */
final class Durations {
  private Durations() {}

  /** Milliseconds, or throws IllegalArgumentException. */
  static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long total = 0;
    int i = 0;
    int lastRank = Integer.MAX_VALUE;
    while (i < s.length()) {
      int j = i;
      while (j < s.length() && Character.isDigit(s.charAt(j))) {
        j++;
      }
      if (j == i) {
        throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
      }
      long n = Long.parseLong(s.substring(i, j));
      int k = j;
      while (k < s.length() && Character.isLetter(s.charAt(k))) {
        k++;
      }
      String unit = s.substring(j, k);
      long mult;
      int rank;
      switch (unit) {
        case "y": mult = 365L * 24 * 3600_000; rank = 7; break;
        case "w": mult = 7L * 24 * 3600_000; rank = 6; break;
        case "d": mult = 24L * 3600_000; rank = 5; break;
        case "h": mult = 3600_000; rank = 4; break;
        case "m": mult = 60_000; rank = 3; break;
        case "s": mult = 1000; rank = 2; break;
        case "ms": mult = 1; rank = 1; break;
        default: throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
      }
      if (rank >= lastRank) {
        throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
      }
      lastRank = rank;
      total += n * mult;
      i = k;
    }
    return total;
  }
}
