package dev.promkit.client.defaults;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.registry.Registry;
import java.nio.file.Path;

/**
 * The metrics every process exposes: {@code process_*} (CPU, memory, file descriptors, start time)
 * and {@code jvm_*} (memory and pools, GC, threads, classes, JIT, buffer pools, runtime info), named
 * as client_java names them so that existing dashboards work.
 *
 * <pre>{@code
 * Registry registry = new Registry();
 * DefaultMetrics.register(registry);
 * }</pre>
 */
public final class DefaultMetrics {
  private DefaultMetrics() {}

  /** Registers {@link #process()} and {@link #jvm()} in the registry. */
  public static void register(Registry registry) {
    registry.register(process());
    registry.register(jvm());
  }

  /** A new collector of the {@code process_*} metrics (memory from {@code /proc/self} on Linux). */
  public static Collector process() {
    return new ProcessMetrics(Path.of("/proc/self"));
  }

  /** A new collector of the {@code jvm_*} metrics. */
  public static Collector jvm() {
    return new JvmMetrics();
  }
}
