package dev.promkit.examples;

import com.sun.net.httpserver.HttpHandler;
import dev.promkit.client.registry.Registry;
import java.io.IOException;
import java.util.Arrays;
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
    throw new IllegalArgumentException("unknown example '" + name + "' (one of "
        + Arrays.stream(values()).map(Example::exampleName).toList() + ")");
  }

  /** Registers the example's metrics in a fresh registry and starts both servers (port 0: any free port). */
  RunningExample start(int metricsPort, int appPort) throws IOException {
    Registry registry = new Registry();
    HttpHandler handler = app.apply(registry);
    MetricsEndpoint metrics = MetricsEndpoint.start(registry, metricsPort);
    try {
      return new RunningExample(registry, metrics, HelloServer.start(appPort, handler));
    } catch (IOException | RuntimeException e) {
      metrics.close();
      throw e;
    }
  }
}
