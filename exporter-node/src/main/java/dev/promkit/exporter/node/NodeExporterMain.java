package dev.promkit.exporter.node;

import dev.promkit.client.defaults.DefaultMetrics;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.registry.Registry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable node exporter ({@code java -jar promkit-node-exporter.jar}), with node_exporter's
 * flag names: {@code --web.listen-address}, {@code --web.telemetry-path}, {@code --path.procfs},
 * {@code --path.sysfs}, {@code --path.rootfs}, {@code --path.udev.data}, {@code --collector.NAME},
 * {@code --no-collector.NAME}, {@code --collector.disable-defaults},
 * {@code --collector.<option>=<regex>} and {@code --web.disable-exporter-metrics} (leaves out the
 * exporter's own {@code process_*} and {@code jvm_*} metrics). Served by client-instrumentation's {@link MetricsServer}
 * (content negotiation, gzip); the metrics are at the telemetry path and at {@code /}.
 */
public final class NodeExporterMain {
  private static final System.Logger LOG = System.getLogger(NodeExporterMain.class.getName());

  /** Parsed command line. */
  record Options(String listenAddress, String telemetryPath, boolean exporterMetrics, NodeExporter.Builder builder) {}

  private NodeExporterMain() {}

  /** Starts the exporter; exits with status 2 on a bad flag. */
  public static void main(String[] args) throws IOException {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("promkit-node-exporter: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    if (o == null) {
      usage(System.out);
      return;
    }
    MetricsServer server = start(o);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "node-exporter-shutdown"));
    LOG.log(System.Logger.Level.INFO, "listening on {0}, metrics at {1}", server.address(), o.telemetryPath());
    try {
      new CountDownLatch(1).await(); // serve until the process is stopped
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parses node_exporter-style flags; null for --help. */
  static Options parse(String[] args) {
    String listen = ":9100";
    String path = "/metrics";
    boolean exporterMetrics = true;
    NodeExporter.Builder b = NodeExporter.builder();
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help")) {
        return null;
      }
      int eq = arg.indexOf('=');
      String flag = eq < 0 ? arg : arg.substring(0, eq);
      String value = eq < 0 ? null : arg.substring(eq + 1);
      switch (flag) {
        case "--web.listen-address":
          listen = required(flag, value);
          break;
        case "--web.telemetry-path":
          path = required(flag, value);
          if (!path.startsWith("/")) {
            throw new IllegalArgumentException("--web.telemetry-path must start with '/': " + path);
          }
          break;
        case "--path.procfs":
          b.procfs(Path.of(required(flag, value)));
          break;
        case "--path.sysfs":
          b.sysfs(Path.of(required(flag, value)));
          break;
        case "--path.rootfs":
          b.rootfs(Path.of(required(flag, value)));
          break;
        case "--path.udev.data":
          b.udevData(Path.of(required(flag, value)));
          break;
        case "--web.disable-exporter-metrics":
          exporterMetrics = false;
          break;
        case "--collector.disable-defaults":
          b.disableDefaults();
          break;
        default:
          if (flag.startsWith("--no-collector.") && value == null) {
            b.disable(flag.substring("--no-collector.".length()));
          } else if (flag.startsWith("--collector.") && value == null) {
            b.enable(flag.substring("--collector.".length()));
          } else if (flag.startsWith("--collector.")) {
            b.option(flag.substring("--collector.".length()), value);
          } else {
            throw new IllegalArgumentException("unknown flag " + arg);
          }
      }
    }
    return new Options(listen, path, exporterMetrics, b);
  }

  private static String required(String flag, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(flag + " needs a value (" + flag + "=...)");
    }
    return value;
  }

  /** Starts the HTTP server for the options; the caller closes it. */
  static MetricsServer start(Options o) throws IOException {
    Registry registry = new Registry();
    o.builder().build().register(registry);
    if (o.exporterMetrics()) {
      // The exporter's own process_* and jvm_* metrics, as node_exporter serves its process_* and go_*.
      DefaultMetrics.register(registry);
    }
    InetSocketAddress a = address(o.listenAddress());
    MetricsServer.Builder b = MetricsServer.builder().registry(registry).metricsPath(o.telemetryPath())
        .port(a.getPort());
    if (!a.getAddress().isAnyLocalAddress()) {
      b.bindAddress(a.getAddress());
    }
    return b.start();
  }

  // ":9100" listens on all interfaces, "host:port" on one; "[::1]:9100" for IPv6.
  static InetSocketAddress address(String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--web.listen-address must be [host]:port, got " + listen);
    }
    String host = listen.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--web.listen-address has an invalid port: " + listen, e);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar promkit-node-exporter.jar [flags]");
    out.println("  --web.listen-address=[host]:port   default :9100");
    out.println("  --web.telemetry-path=/metrics");
    out.println("  --web.disable-exporter-metrics      no process_* and jvm_* metrics of the exporter itself");
    out.println("  --path.procfs=/proc --path.sysfs=/sys --path.rootfs=/ --path.udev.data=/run/udev/data");
    out.println("  --collector.NAME | --no-collector.NAME | --collector.disable-defaults");
    out.println("  --collector.OPTION=REGEX   options: " + NodeExporter.Builder.optionNames());
    out.println("  collectors: " + NodeExporter.availableCollectors());
  }
}
