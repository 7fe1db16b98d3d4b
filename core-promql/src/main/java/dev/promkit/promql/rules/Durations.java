package dev.promkit.promql.rules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus' duration notation ({@code 1h30m}, {@code 5m}, {@code 2d}, {@code 100ms}) in milliseconds. */
final class Durations {
  private static final Pattern P = Pattern.compile(
      "^(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");
  private static final long[] UNITS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};

  private Durations() {}

  /** Parses a duration; "0" is allowed. */
  static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = P.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    }
    long total = 0;
    for (int i = 0; i < UNITS.length; i++) {
      if (m.group(i + 1) != null) {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(i + 1)), UNITS[i]));
      }
    }
    return total;
  }

  /** Formats as Prometheus' model.Duration does (years and weeks only when exact). */
  static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    if (ms < 0) {
      b.append('-');
      ms = -ms;
    }
    String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < UNITS.length; i++) {
      if (i < 2 && ms % UNITS[i] != 0) {
        continue;
      }
      long v = ms / UNITS[i];
      if (v > 0) {
        b.append(v).append(names[i]);
        ms -= v * UNITS[i];
      }
    }
    return b.toString();
  }
}
