package dev.promkit.examples;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.registry.Registry;

/** A started example: its registry, the client's metrics server and the app server. */
record RunningExample(Registry registry, MetricsServer metrics, HttpServer app) implements AutoCloseable {
  int appPort() {
    return app.getAddress().getPort();
  }

  int metricsPort() {
    return metrics.getPort();
  }

  @Override
  public void close() {
    app.stop(0);
    metrics.close();
  }
}
