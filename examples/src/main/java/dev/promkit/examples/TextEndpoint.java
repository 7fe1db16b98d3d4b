package dev.promkit.examples;

import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.InfoSnapshot;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.StateSetSnapshot;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.UnknownSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in {@link MetricsEndpoint}: Prometheus text format 0.0.4 over the JDK HTTP server, no
 * content negotiation, gzip or OpenMetrics. Replaced by the client's own server once merged.
 */
final class TextEndpoint implements MetricsEndpoint {
  private final HttpServer server;

  private TextEndpoint(HttpServer server) {
    this.server = server;
  }

  static TextEndpoint start(Registry registry, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = write(registry).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return new TextEndpoint(server);
  }

  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** The registry in text format 0.0.4. */
  static String write(Registry registry) {
    StringBuilder sb = new StringBuilder();
    for (MetricSnapshot s : registry.scrape()) {
      String name = s.metadata().name();
      String type;
      if (s instanceof CounterSnapshot) {
        type = "counter";
      } else if (s instanceof HistogramSnapshot) {
        type = "histogram";
      } else if (s instanceof SummarySnapshot) {
        type = "summary";
      } else if (s instanceof UnknownSnapshot) {
        type = "untyped";
      } else {
        type = "gauge"; // gauge, info and state set are gauges in 0.0.4
      }
      String exposed = s instanceof CounterSnapshot ? name + "_total" : s instanceof InfoSnapshot ? name + "_info" : name;
      if (!s.metadata().help().isEmpty()) {
        sb.append("# HELP ").append(exposed).append(' ').append(escapeHelp(s.metadata().help())).append('\n');
      }
      sb.append("# TYPE ").append(exposed).append(' ').append(type).append('\n');
      if (s instanceof CounterSnapshot c) {
        c.dataPoints().forEach(p -> sample(sb, exposed, p.labels(), p.value()));
      } else if (s instanceof GaugeSnapshot g) {
        g.dataPoints().forEach(p -> sample(sb, name, p.labels(), p.value()));
      } else if (s instanceof UnknownSnapshot u) {
        u.dataPoints().forEach(p -> sample(sb, name, p.labels(), p.value()));
      } else if (s instanceof InfoSnapshot i) {
        i.dataPoints().forEach(p -> sample(sb, exposed, p.labels(), 1));
      } else if (s instanceof StateSetSnapshot ss) {
        for (StateSetSnapshot.StateSetDataPoint p : ss.dataPoints()) {
          for (int k = 0; k < p.states().size(); k++) {
            sample(sb, name, p.labels().add(name, p.states().get(k)), p.enabled().get(k) ? 1 : 0);
          }
        }
      } else if (s instanceof HistogramSnapshot h) {
        for (HistogramSnapshot.HistogramDataPoint p : h.dataPoints()) {
          long cumulative = 0;
          for (int k = 0; k < p.counts().length; k++) {
            cumulative += p.counts()[k];
            sample(sb, name + "_bucket", p.labels().add("le", format(p.upperBounds()[k])), cumulative);
          }
          sample(sb, name + "_count", p.labels(), cumulative);
          sample(sb, name + "_sum", p.labels(), p.sum());
        }
      } else if (s instanceof SummarySnapshot sum) {
        for (SummarySnapshot.SummaryDataPoint p : sum.dataPoints()) {
          for (SummarySnapshot.Quantile q : p.quantiles()) {
            sample(sb, name, p.labels().add("quantile", format(q.quantile())), q.value());
          }
          sample(sb, name + "_count", p.labels(), p.count());
          sample(sb, name + "_sum", p.labels(), p.sum());
        }
      } else {
        throw new IllegalStateException("no text format for " + s.getClass().getName());
      }
    }
    return sb.toString();
  }

  private static void sample(StringBuilder sb, String name, Labels labels, double value) {
    sb.append(name);
    if (!labels.isEmpty()) {
      sb.append('{');
      for (int i = 0; i < labels.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(labels.name(i)).append("=\"").append(escapeLabel(labels.value(i))).append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(format(value)).append('\n');
  }

  static String format(double v) {
    if (v == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (v == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    if (Double.isNaN(v)) {
      return "NaN";
    }
    return Double.toString(v);
  }

  private static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
  }
}
