package dev.promkit.client.metrics;

import java.util.function.DoubleConsumer;

/**
 * A running timer from {@code startTimer()}: {@link #observeDuration()} (or {@link #close()} in
 * try-with-resources) hands the elapsed seconds to its metric once.
 *
 * <pre>{@code
 * try (Timer t = latency.startTimer()) {
 *   handle(request);
 * }
 * }</pre>
 */
public final class Timer implements AutoCloseable {
  private final Clock clock;
  private final DoubleConsumer sink;
  private final long startNanos;
  private boolean done;

  Timer(Clock clock, DoubleConsumer sink) {
    this.clock = clock;
    this.sink = sink;
    this.startNanos = clock.nanoTime();
  }

  /**
   * Records the seconds since the start (the first call only) and returns them.
   *
   * @return elapsed seconds; later calls return the elapsed time without recording it again
   */
  public double observeDuration() {
    double seconds = (clock.nanoTime() - startNanos) / 1e9;
    if (!done) {
      done = true;
      sink.accept(seconds);
    }
    return seconds;
  }

  /** Same as {@link #observeDuration()}. */
  @Override
  public void close() {
    observeDuration();
  }

  /** Runs {@code r} and hands its duration in seconds to {@code sink}, also when it throws. */
  static void time(Clock clock, DoubleConsumer sink, Runnable r) {
    long start = clock.nanoTime();
    try {
      r.run();
    } finally {
      sink.accept((clock.nanoTime() - start) / 1e9);
    }
  }

  /** Calls {@code c} and hands its duration in seconds to {@code sink}, also when it throws. */
  static <T> T time(Clock clock, DoubleConsumer sink, java.util.concurrent.Callable<T> c) throws Exception {
    long start = clock.nanoTime();
    try {
      return c.call();
    } finally {
      sink.accept((clock.nanoTime() - start) / 1e9);
    }
  }
}
