package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.defaults.DefaultMetrics;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.registry.Registry;
import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The examples, each the Java version of the client_python tutorial program of the same name. */
enum Example {
  HELLO_WORLD("hello-world", HelloWorld::app),
  COUNTER("counter", CounterExample::app),
  GAUGE("gauge", GaugeExample::app),
  SUMMARY("summary", SummaryExample::app),
  HISTOGRAM("histogram", HistogramExample::app);

  private final String name;
  private final Function<Registry, HttpHandler> app;

  Example(String name, Function<Registry, HttpHandler> app) {
    this.name = name;
    this.app = app;
  }

  String exampleName() {
    return name;
  }

  static Example byName(String name) {
    for (Example e : values()) {
      if (e.name.equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown example '" + name + "' (one of " + allNames() + ")");
  }

  /** The names {@code Main} accepts: these server examples and {@code short-job}. */
  static List<String> allNames() {
    List<String> names = new ArrayList<>();
    for (Example e : values()) {
      names.add(e.name);
    }
    names.add(ShortJob.NAME);
    return names;
  }

  /**
   * Registers the example's metrics and the default {@code process_*}/{@code jvm_*} metrics in a
   * fresh registry, then starts the metrics server and the app server (port 0: any free port).
   *
   * @throws BindException naming the port and its role when a port is taken
   */
  RunningExample start(int metricsPort, int appPort) throws IOException {
    Registry registry = new Registry();
    DefaultMetrics.register(registry);
    HttpHandler handler = app.apply(registry);
    MetricsServer metrics;
    try {
      metrics = MetricsServer.builder().port(metricsPort).registry(registry).start();
    } catch (BindException e) {
      throw bindError("metrics", metricsPort, e);
    }
    try {
      return new RunningExample(registry, metrics, HelloServer.start(appPort, handler));
    } catch (BindException e) {
      metrics.close();
      throw bindError("app", appPort, e);
    } catch (IOException | RuntimeException e) {
      metrics.close();
      throw e;
    }
  }

  private BindException bindError(String role, int port, BindException cause) {
    BindException e = new BindException(name + ": cannot listen on " + role + " port " + port + ": "
        + cause.getMessage() + " (choose another with --" + role + "-port N)");
    e.initCause(cause);
    return e;
  }
}
