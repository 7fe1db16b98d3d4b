package dev.promkit.client.metrics;

/**
 * The time source of a metric: wall-clock milliseconds for created timestamps, exemplars and
 * {@code setToCurrentTime()}, and monotonic nanoseconds for timers and summary windows.
 * Production code uses {@link #system()}; tests inject their own through the builders.
 */
public interface Clock {
  /** Wall-clock time in milliseconds since the epoch. */
  long currentTimeMillis();

  /** Monotonic time in nanoseconds (only differences are meaningful). */
  long nanoTime();

  /** The JVM's clocks ({@link System#currentTimeMillis()}, {@link System#nanoTime()}). */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}

/** The one production clock: a single implementation keeps calls through {@link Clock} monomorphic. */
final class SystemClock implements Clock {
  static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
