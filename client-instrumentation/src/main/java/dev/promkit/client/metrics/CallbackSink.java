package dev.promkit.client.metrics;

/**
 * Receives the values a callback metric reports at scrape time, one call per label set.
 *
 * <pre>{@code
 * sink -> {
 *   sink.accept(pool.active(), "active");
 *   sink.accept(pool.idle(), "idle");
 * }
 * }</pre>
 */
@FunctionalInterface
public interface CallbackSink {
  /**
   * Reports one value.
   *
   * @param value the value now
   * @param labelValues one value per configured label name, in order
   * @throws IllegalArgumentException on a wrong label count, a repeated label set, or a value the type forbids
   */
  void accept(double value, String... labelValues);
}
