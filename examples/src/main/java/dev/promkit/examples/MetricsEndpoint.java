package dev.promkit.examples;

import dev.promkit.client.registry.Registry;
import java.io.IOException;

/**
 * Serves a registry on {@code /metrics}. The examples need only this much from the client's HTTP
 * server: start on a port (0 for any free one) for a registry, tell the bound port, stop. Until
 * {@code dev.promkit.client.http.MetricsServer} is on main, {@link TextEndpoint} (Prometheus text
 * format 0.0.4 only) stands behind it; afterwards {@link #start} becomes
 * {@code MetricsServer.builder().port(port).registry(registry).start()}.
 */
interface MetricsEndpoint extends AutoCloseable {
  /** The bound port. */
  int port();

  /** Stops serving. */
  @Override
  void close();

  /** Starts serving {@code registry} on {@code port}. */
  static MetricsEndpoint start(Registry registry, int port) throws IOException {
    return TextEndpoint.start(registry, port);
  }
}
