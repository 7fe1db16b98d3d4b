package dev.promkit.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration in Prometheus' syntax ({@code model.Duration}): units y, w, d, h, m, s, ms from
 * largest to smallest, each at most once, e.g. {@code 1h30m}, {@code 15s}, {@code 0}.
 *
 * @param millis the length in milliseconds
 */
public record PromDuration(long millis) implements Comparable<PromDuration> {
  private static final Pattern SYNTAX = Pattern.compile(
      "(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?");
  private static final long[] UNIT = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};
  private static final String[] NAME = {"y", "w", "d", "h", "m", "s", "ms"};

  /** Rejects negative lengths. */
  public PromDuration {
    if (millis < 0) {
      throw new IllegalArgumentException("negative duration " + millis + "ms");
    }
  }

  /** Milliseconds. */
  public static PromDuration ofMillis(long ms) {
    return new PromDuration(ms);
  }

  /** Seconds. */
  public static PromDuration ofSeconds(long s) {
    return new PromDuration(s * 1000);
  }

  /**
   * Parses Prometheus' syntax.
   *
   * @throws IllegalArgumentException {@code not a valid duration string: "x"} as Prometheus words it
   */
  public static PromDuration parse(String s) {
    if (s.equals("0")) {
      return new PromDuration(0);
    }
    Matcher m = SYNTAX.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    }
    long total = 0;
    for (int i = 0; i < UNIT.length; i++) {
      String g = m.group(i + 1);
      if (g != null) {
        try {
          total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), UNIT[i]));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("duration out of range: \"" + s + "\"");
        }
      }
    }
    return new PromDuration(total);
  }

  /** As a {@link Duration}. */
  public Duration toDuration() {
    return Duration.ofMillis(millis);
  }

  @Override
  public int compareTo(PromDuration o) {
    return Long.compare(millis, o.millis);
  }

  /** Prometheus' rendering: {@code 1h30m}, {@code 15s}, {@code 0s}. */
  @Override
  public String toString() {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long ms = millis;
    for (int i = 0; i < UNIT.length; i++) {
      // Prometheus renders weeks and years only when the value is an exact multiple of them.
      if ((i == 0 || i == 1) && ms % UNIT[i] != 0) {
        continue;
      }
      long n = ms / UNIT[i];
      if (n > 0) {
        sb.append(n).append(NAME[i]);
        ms -= n * UNIT[i];
      }
    }
    return sb.toString();
  }
}
