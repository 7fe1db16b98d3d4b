package dev.promkit.promql.testing;

import dev.promkit.client.metrics.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock that moves only when told to: the harness' time, and also a {@link Clock} for the
 * instrumented metrics (created timestamps, summary windows, timers), so that everything a test
 * sees agrees on the time. Wall time and monotonic time advance together. Thread-safe.
 *
 * <pre>{@code
 * TestClock clock = harness.clock();
 * Counter c = Counter.builder().name("jobs").clock(clock).register(registry);
 * clock.advance(Duration.ofSeconds(15));
 * }</pre>
 */
public final class TestClock implements Clock {
  /** The default start: 2026-01-01T00:00:00Z, a realistic, round wall time. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private long millis;
  private long nanos;

  private TestClock(long millis) {
    this.millis = millis;
    this.nanos = 0;
  }

  /** A clock at {@link #DEFAULT_START}. */
  public static TestClock create() {
    return at(DEFAULT_START);
  }

  /** A clock at this instant (millisecond precision). */
  public static TestClock at(Instant start) {
    return new TestClock(Objects.requireNonNull(start, "start").toEpochMilli());
  }

  /**
   * Moves the clock forward.
   *
   * @throws IllegalArgumentException if the duration is negative (time never goes back)
   */
  public synchronized void advance(Duration d) {
    Objects.requireNonNull(d, "duration");
    if (d.isNegative()) {
      throw new IllegalArgumentException("TestClock.advance: negative duration " + d + " (time only moves forward)");
    }
    millis = Math.addExact(millis, d.toMillis());
    nanos = Math.addExact(nanos, d.toNanos());
  }

  /** The current time as an instant. */
  public synchronized Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public synchronized long currentTimeMillis() {
    return millis;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public String toString() {
    return "TestClock[" + instant() + "]";
  }
}
