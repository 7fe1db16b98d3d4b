package dev.promkit.server;

import dev.promkit.server.config.PromDuration;
import dev.promkit.server.scrape.ScrapeManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param externalUrl {@code --web.external-url} as given ("" when unset: {@code http://HOSTNAME:PORT})
 * @param routePrefix {@code --web.route-prefix} as given ("" when unset: the external URL's path)
 * @param scrapeAdjustTimestamps {@code --scrape.adjust-timestamps} (true): store a scrape that starts
 *     a little late at its slot on the interval grid
 * @param scrapeTimestampTolerance {@code --scrape.timestamp-tolerance} (2ms): how late, at most 1 % of
 *     the interval
 */
public record ServerOptions(Path configFile, Path storagePath, PromDuration retention, String listenAddress,
    boolean enableLifecycle, PromDuration queryTimeout, long maxSamples, PromDuration lookbackDelta,
    boolean enableAdminApi, String externalUrl, String routePrefix, boolean scrapeAdjustTimestamps,
    PromDuration scrapeTimestampTolerance) {

  /** Validates the two web URL flags. */
  public ServerOptions {
    externalUrl = externalUrl == null ? "" : externalUrl;
    routePrefix = routePrefix == null ? "" : routePrefix;
    checkExternalUrl(externalUrl);
    checkRoutePrefix(routePrefix);
    scrapeTimestampTolerance = scrapeTimestampTolerance == null
        ? PromDuration.ofMillis(ScrapeManager.DEFAULT_TIMESTAMP_TOLERANCE.toMillis()) : scrapeTimestampTolerance;
  }

  /** The options with Prometheus' scrape timestamp adjustment (on, 2ms). */
  public ServerOptions(Path configFile, Path storagePath, PromDuration retention, String listenAddress,
      boolean enableLifecycle, PromDuration queryTimeout, long maxSamples, PromDuration lookbackDelta,
      boolean enableAdminApi, String externalUrl, String routePrefix) {
    this(configFile, storagePath, retention, listenAddress, enableLifecycle, queryTimeout, maxSamples, lookbackDelta,
        enableAdminApi, externalUrl, routePrefix, true, null);
  }

  /** The options without {@code --web.external-url} and {@code --web.route-prefix} (both defaulted). */
  public ServerOptions(Path configFile, Path storagePath, PromDuration retention, String listenAddress,
      boolean enableLifecycle, PromDuration queryTimeout, long maxSamples, PromDuration lookbackDelta,
      boolean enableAdminApi) {
    this(configFile, storagePath, retention, listenAddress, enableLifecycle, queryTimeout, maxSamples, lookbackDelta,
        enableAdminApi, "", "");
  }

  /** The options without {@code --web.enable-admin-api} (admin API off) and with the web URLs defaulted. */
  public ServerOptions(Path configFile, Path storagePath, PromDuration retention, String listenAddress,
      boolean enableLifecycle, PromDuration queryTimeout, long maxSamples, PromDuration lookbackDelta) {
    this(configFile, storagePath, retention, listenAddress, enableLifecycle, queryTimeout, maxSamples, lookbackDelta,
        false, "", "");
  }

  /** Prometheus' defaults. */
  public static ServerOptions defaults() {
    return new ServerOptions(Path.of("prometheus.yml"), Path.of("data/"), PromDuration.parse("15d"), "0.0.0.0:9090",
        false, PromDuration.parse("2m"), 50_000_000, PromDuration.parse("5m"), false, "", "", true, null);
  }

  /** The scrape timestamp tolerance in effect: {@link Duration#ZERO} when timestamps are not adjusted. */
  public Duration effectiveScrapeTimestampTolerance() {
    return scrapeAdjustTimestamps ? scrapeTimestampTolerance.toDuration() : Duration.ZERO;
  }

  /**
   * The external URL as Prometheus computes it: {@code --web.external-url}, or
   * {@code http://HOSTNAME:PORT} with the bound port when unset, without a trailing slash.
   *
   * @param boundPort the port the server listens on (the listen address may say 0)
   */
  public String resolvedExternalUrl(int boundPort) {
    return resolveExternalUrl(externalUrl, boundPort);
  }

  /**
   * The route prefix every path is served under: {@code --web.route-prefix}, or the external
   * URL's path; {@code ""} for the root, else {@code /x} without a trailing slash.
   */
  public String resolvedRoutePrefix() {
    return normalizePrefix(routePrefix.isEmpty() ? pathOf(externalUrl) : routePrefix);
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
    String externalUrl = o.externalUrl;
    String routePrefix = o.routePrefix;
    boolean adjustTimestamps = o.scrapeAdjustTimestamps;
    PromDuration tolerance = o.scrapeTimestampTolerance;
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
      if (name.equals("scrape.adjust-timestamps") || name.equals("no-scrape.adjust-timestamps")) {
        adjustTimestamps = !name.startsWith("no-") && (value == null || Boolean.parseBoolean(value));
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
          case "web.external-url": externalUrl = checkExternalUrl(value); break;
          case "web.route-prefix": routePrefix = checkRoutePrefix(value); break;
          case "scrape.timestamp-tolerance": tolerance = PromDuration.parse(value); break;
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
    return new ServerOptions(config, storage, retention, listen, lifecycle, timeout, maxSamples, lookback, admin,
        externalUrl, routePrefix, adjustTimestamps, tolerance);
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
    m.put("web.external-url", externalUrl);
    String prefix = resolvedRoutePrefix();
    m.put("web.route-prefix", prefix.isEmpty() ? "/" : prefix);
    m.put("scrape.adjust-timestamps", Boolean.toString(scrapeAdjustTimestamps));
    m.put("scrape.timestamp-tolerance", scrapeTimestampTolerance.toString());
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

  /** Prometheus' checks on {@code --web.external-url}: no surrounding quotes, a parseable URL. */
  static String checkExternalUrl(String u) {
    if (!u.isEmpty() && (u.startsWith("\"") || u.startsWith("'") || u.endsWith("\"") || u.endsWith("'"))) {
      throw new IllegalArgumentException("--web.external-url " + u + ": URL must not begin or end with quotes");
    }
    try {
      new URI(u);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--web.external-url " + u + ": " + e.getMessage());
    }
    return u;
  }

  static String checkRoutePrefix(String p) {
    if (p.contains("?") || p.contains("#") || p.contains("\\")) {
      throw new IllegalArgumentException("--web.route-prefix " + p + ": must be a plain path");
    }
    return p;
  }

  /** Prometheus' computeExternalURL: default {@code http://HOSTNAME:PORT}, the path without trailing slashes. */
  static String resolveExternalUrl(String given, int port) {
    String u = given;
    if (u.isEmpty()) {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
      u = "http://" + host + ":" + port + "/";
    }
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--web.external-url " + u + ": " + e.getMessage(), e);
    }
    StringBuilder b = new StringBuilder();
    if (uri.getScheme() != null) {
      b.append(uri.getScheme()).append(':');
    }
    if (uri.getRawAuthority() != null) {
      b.append("//").append(uri.getRawAuthority());
    }
    b.append(normalizePrefix(uri.getRawPath() == null ? "" : uri.getRawPath()));
    if (uri.getRawQuery() != null) {
      b.append('?').append(uri.getRawQuery());
    }
    if (uri.getRawFragment() != null) {
      b.append('#').append(uri.getRawFragment());
    }
    return b.toString();
  }

  /**
   * The path prefix the browser sees ({@code ""} or {@code /x}): the path of {@code --web.external-url}
   * when given, else the route prefix. (Prometheus' classic pages use the external URL's path even
   * when it is unset, which breaks their links under a bare {@code --web.route-prefix}; its React UI
   * derives the prefix from the page's location, which amounts to this.)
   */
  String externalPath() {
    return externalUrl.isEmpty() ? resolvedRoutePrefix() : normalizePrefix(pathOf(externalUrl));
  }

  private static String pathOf(String externalUrl) {
    try {
      String p = new URI(externalUrl).getRawPath();
      return p == null ? "" : p;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--web.external-url " + externalUrl + ": " + e.getMessage(), e);
    }
  }

  /** {@code ""} for the root, else {@code /a/b}: one leading slash, none trailing. */
  static String normalizePrefix(String p) {
    int start = 0;
    int end = p.length();
    while (start < end && p.charAt(start) == '/') {
      start++;
    }
    while (end > start && p.charAt(end - 1) == '/') {
      end--;
    }
    return start == end ? "" : "/" + p.substring(start, end);
  }
}
