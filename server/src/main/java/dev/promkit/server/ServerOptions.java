package dev.promkit.server;

import dev.promkit.server.config.PromDuration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's command-line flags, with Prometheus' names and defaults.
 *
 * @param configFile {@code --config.file} (prometheus.yml; when absent, an embedded config scrapes the server itself)
 * @param storagePath {@code --storage.tsdb.path} (data/)
 * @param retention {@code --storage.tsdb.retention.time} (15d)
 * @param listenAddress {@code --web.listen-address} (0.0.0.0:9090)
 * @param enableLifecycle {@code --web.enable-lifecycle}
 * @param queryTimeout {@code --query.timeout} (2m)
 * @param maxSamples {@code --query.max-samples} (50000000)
 * @param lookbackDelta {@code --query.lookback-delta} (5m)
 * @param enableAdminApi {@code --web.enable-admin-api}: serves {@code /api/v1/admin/tsdb/*}
 */
public record ServerOptions(Path configFile, Path storagePath, PromDuration retention, String listenAddress,
    boolean enableLifecycle, PromDuration queryTimeout, long maxSamples, PromDuration lookbackDelta,
    boolean enableAdminApi) {

  /** The options without {@code --web.enable-admin-api} (admin API off). */
  public ServerOptions(Path configFile, Path storagePath, PromDuration retention, String listenAddress,
      boolean enableLifecycle, PromDuration queryTimeout, long maxSamples, PromDuration lookbackDelta) {
    this(configFile, storagePath, retention, listenAddress, enableLifecycle, queryTimeout, maxSamples, lookbackDelta,
        false);
  }

  /** Prometheus' defaults. */
  public static ServerOptions defaults() {
    return new ServerOptions(Path.of("prometheus.yml"), Path.of("data/"), PromDuration.parse("15d"), "0.0.0.0:9090",
        false, PromDuration.parse("2m"), 50_000_000, PromDuration.parse("5m"));
  }

  /**
   * Parses {@code --name=value} and {@code --name value} flags (and {@code --flag} for booleans).
   *
   * @throws IllegalArgumentException naming an unknown flag or bad value
   */
  public static ServerOptions parse(String... args) {
    ServerOptions o = defaults();
    Path config = o.configFile;
    Path storage = o.storagePath;
    PromDuration retention = o.retention;
    String listen = o.listenAddress;
    boolean lifecycle = o.enableLifecycle;
    PromDuration timeout = o.queryTimeout;
    long maxSamples = o.maxSamples;
    PromDuration lookback = o.lookbackDelta;
    boolean admin = o.enableAdminApi;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (name.equals("web.enable-lifecycle") || name.equals("no-web.enable-lifecycle")) {
        lifecycle = !name.startsWith("no-") && (value == null || Boolean.parseBoolean(value));
        continue;
      }
      if (name.equals("web.enable-admin-api") || name.equals("no-web.enable-admin-api")) {
        admin = !name.startsWith("no-") && (value == null || Boolean.parseBoolean(value));
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("expected argument for flag --" + name);
        }
        value = args[++i];
      }
      try {
        switch (name) {
          case "config.file": config = Path.of(value); break;
          case "storage.tsdb.path": storage = Path.of(value); break;
          case "storage.tsdb.retention.time": retention = PromDuration.parse(value); break;
          case "web.listen-address": listen = value; break;
          case "query.timeout": timeout = PromDuration.parse(value); break;
          case "query.max-samples": maxSamples = Long.parseLong(value); break;
          case "query.lookback-delta": lookback = PromDuration.parse(value); break;
          default: throw new IllegalArgumentException("unknown long flag '--" + name + "'");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid value \"" + value + "\" for flag --" + name);
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("unknown long flag")) {
          throw e;
        }
        throw new IllegalArgumentException("invalid value \"" + value + "\" for flag --" + name + ": " + e.getMessage());
      }
    }
    return new ServerOptions(config, storage, retention, listen, lifecycle, timeout, maxSamples, lookback, admin);
  }

  /** The flags as {@code /api/v1/status/flags} reports them. */
  public Map<String, String> asFlags() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("config.file", configFile.toString());
    m.put("storage.tsdb.path", storagePath.toString());
    m.put("storage.tsdb.retention.time", retention.toString());
    m.put("web.listen-address", listenAddress);
    m.put("web.enable-lifecycle", Boolean.toString(enableLifecycle));
    m.put("web.enable-admin-api", Boolean.toString(enableAdminApi));
    m.put("query.timeout", queryTimeout.toString());
    m.put("query.max-samples", Long.toString(maxSamples));
    m.put("query.lookback-delta", lookbackDelta.toString());
    return m;
  }

  /** The listen address as a socket address ({@code :9090} means all interfaces). */
  public java.net.InetSocketAddress socketAddress() {
    int colon = listenAddress.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--web.listen-address " + listenAddress + ": missing port");
    }
    String host = listenAddress.substring(0, colon);
    int port = Integer.parseInt(listenAddress.substring(colon + 1));
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new java.net.InetSocketAddress(port) : new java.net.InetSocketAddress(host, port);
  }
}
