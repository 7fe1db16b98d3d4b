package dev.promkit.examples;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.registry.Registry;

/** A started example: its registry, metrics endpoint and app server. */
record RunningExample(Registry registry, MetricsEndpoint metrics, HttpServer app) implements AutoCloseable {
  int appPort() {
    return app.getAddress().getPort();
  }

  int metricsPort() {
    return metrics.port();
  }

  @Override
  public void close() {
    app.stop(0);
    metrics.close();
  }
}
