package dev.promkit.client.metrics;

import java.time.Duration;

/** A clock tests move by hand. */
final class ManualClock implements Clock {
  volatile long millis = 1_700_000_000_000L;
  volatile long nanos = 5_000_000_000L;

  @Override
  public long currentTimeMillis() {
    return millis;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  void advance(Duration d) {
    nanos += d.toNanos();
    millis += d.toMillis();
  }
}
