package dev.promkit.server;

import dev.promkit.client.defaults.DefaultMetrics;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.registry.Registry;
import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.rules.RuleGroupMetrics;
import dev.promkit.promql.rules.RuleManager;
import dev.promkit.server.config.Config;
import dev.promkit.server.config.ConfigException;
import dev.promkit.server.notifier.AlertmanagerNotifier;
import dev.promkit.server.scrape.ScrapeManager;
import dev.promkit.server.scrape.Target;
import dev.promkit.server.web.Api;
import dev.promkit.server.web.ApiBackend;
import dev.promkit.server.web.WebServer;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runnable server: a TSDB in the storage directory, the scrape manager fed from the
 * configuration, the PromQL engine and the HTTP API, wired as {@code prometheus} wires them.
 *
 * <pre>{@code
 * try (PromkitServer s = PromkitServer.start(ServerOptions.parse("--web.listen-address=127.0.0.1:0"))) {
 *   int port = s.port();
 * }
 * }</pre>
 */
public final class PromkitServer implements ApiBackend, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PromkitServer.class.getName());

  private final ServerOptions options;
  private final Registry registry = new Registry();
  private final Tsdb tsdb;
  private final Engine engine;
  private final ScrapeManager scrapes;
  private final Instant startTime = Instant.now();
  private final ScheduledExecutorService housekeeping;
  private final Gauge reloadSuccess;
  private final Gauge reloadTime;
  private final AlertmanagerNotifier notifier;
  private volatile RuleManager rules;
  private volatile Config config;
  private volatile boolean lastReloadOk = true;
  private volatile Instant lastConfigTime;
  private volatile boolean ready;
  private WebServer web;

  private PromkitServer(ServerOptions options) throws IOException {
    this.options = options;
    DefaultMetrics.register(registry);
    reloadSuccess = Gauge.builder().name("prometheus_config_last_reload_successful")
        .help("Whether the last configuration reload attempt was successful.").register(registry);
    reloadTime = Gauge.builder().name("prometheus_config_last_reload_success_timestamp_seconds")
        .help("Timestamp of the last successful configuration reload.").register(registry);
    this.config = initialConfig(options);
    Files.createDirectories(options.storagePath());
    this.tsdb = Tsdb.open(TsdbOptions.defaults().withDir(options.storagePath()).withRegistry(registry)
        .withRetentionMs(options.retention().millis()));
    this.engine = Engine.builder().timeoutMillis(options.queryTimeout().millis()).maxSamples(options.maxSamples())
        .lookbackDeltaMillis(options.lookbackDelta().millis()).build();
    this.scrapes = new ScrapeManager(tsdb, Clock.systemUTC(), Math.max(4, Runtime.getRuntime().availableProcessors()),
        options.effectiveScrapeTimestampTolerance());
    this.notifier = new AlertmanagerNotifier(registry, AlertmanagerNotifier.DEFAULT_CAPACITY);
    registry.register(new RuleGroupMetrics(() -> rules == null ? List.of() : rules.groups()));
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "promkit-housekeeping");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens the storage, starts the HTTP API and scraping.
   *
   * @throws IOException if the storage cannot be opened or the address bound
   * @throws dev.promkit.server.config.ConfigException if the configuration file is invalid
   */
  public static PromkitServer start(ServerOptions options) throws IOException {
    return start(options, 0);
  }

  /**
   * Like {@link #start(ServerOptions)}, but before reporting ready spends about
   * {@code warmupMillis} warming the JIT for queries ({@link dev.promkit.server.web.Warmup}, on a
   * synthetic database: the stored data is not read), so that the first queries are not served
   * by interpreted code.
   *
   * @throws IOException if the storage cannot be opened or the address bound
   * @throws dev.promkit.server.config.ConfigException if the configuration file is invalid
   */
  public static PromkitServer start(ServerOptions options, long warmupMillis) throws IOException {
    PromkitServer s = new PromkitServer(options);
    try {
      s.web = WebServer.start(options.socketAddress(), new Api(s), s.registry, options.resolvedRoutePrefix(),
          options.externalPath());
      if (!Files.exists(options.configFile())) {
        // The embedded config scrapes this server; its port is known only now (listen port 0 in tests).
        s.config = Config.parse(embeddedConfig(s.web.port(), options.resolvedRoutePrefix()));
      }
      s.applyRules(s.config);
      s.scrapes.apply(s.config);
      s.configLoaded(true);
      long retention = options.retention().millis();
      s.housekeeping.scheduleWithFixedDelay(() -> s.retain(retention), 1, 1, TimeUnit.MINUTES);
      dev.promkit.server.web.Warmup.run(s.engine, warmupMillis);
      s.ready = true;
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private static Config initialConfig(ServerOptions o) throws IOException {
    if (Files.exists(o.configFile())) {
      return Config.load(o.configFile());
    }
    LOG.log(System.Logger.Level.INFO, "no " + o.configFile() + ": using the embedded configuration (scrape myself every 15s)");
    return Config.parse(embeddedConfig(o.socketAddress().getPort(), o.resolvedRoutePrefix()));
  }

  static String embeddedConfig(int port) {
    return embeddedConfig(port, "");
  }

  /** The embedded configuration; {@code /metrics} sits under the route prefix. */
  static String embeddedConfig(int port, String routePrefix) {
    return "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\n"
        + "scrape_configs:\n  - job_name: prometheus\n"
        + (routePrefix.isEmpty() ? "" : "    metrics_path: '" + routePrefix.replace("'", "''") + "/metrics'\n")
        + "    static_configs:\n      - targets: ['localhost:" + port + "']\n";
  }

  /**
   * Loads the configuration's rule files into the rule manager and points the notifier at its
   * Alertmanagers. Every file is validated first: on any error nothing changes. A new evaluation
   * interval or new external labels need a new manager (alert state restarts from storage).
   */
  private void applyRules(Config c) throws IOException {
    List<Path> files = ruleFiles(c);
    Runnable alerting;
    try {
      alerting = notifier.prepare(c.alerting(), c.global().externalLabels());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("alerting: " + e.getMessage(), 0);
    }
    RuleManager current = rules;
    RuleManager target = current;
    Map<String, String> ext = c.global().externalLabels();
    long interval = c.global().evaluationInterval().millis();
    boolean rebuild = current == null || config == null || config.global().evaluationInterval().millis() != interval
        || !config.global().externalLabels().equals(ext);
    if (rebuild) {
      target = RuleManager.builder().engine(engine).storage(tsdb, tsdb).notifier(notifier)
          .defaultInterval(Duration.ofMillis(interval)).externalLabels(ext).externalUrl(externalUrl()).build();
    }
    try {
      target.load(files); // throws before touching the running groups when a file is invalid
    } catch (RuntimeException e) {
      if (target != current) {
        target.close();
      }
      throw new ConfigException("loading rule files: " + e.getMessage(), 0);
    }
    alerting.run();
    if (target != current) {
      target.start();
      rules = target;
      if (current != null) {
        current.close();
      }
    }
  }

  /** {@code --web.external-url}, or http://HOSTNAME:PORT: generator URLs and templates' $externalURL. */
  public String externalUrl() {
    return options.resolvedExternalUrl(web == null ? options.socketAddress().getPort() : web.port());
  }

  /** The configuration's {@code rule_files}, globs in the file name expanded (sorted), relative to the config file. */
  static List<Path> ruleFiles(Config c) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String rf : c.ruleFiles()) {
      Path p = c.resolve(rf);
      String name = p.getFileName().toString();
      if (name.contains("*") || name.contains("?") || name.contains("[")) {
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<Path> matched = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name)) {
          ds.forEach(matched::add);
        }
        matched.sort(null);
        out.addAll(matched);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /** The rule manager, null before the first configuration is applied. */
  public RuleManager rules() {
    return rules;
  }

  /** The Alertmanager notifier. */
  public AlertmanagerNotifier notifier() {
    return notifier;
  }

  @Override
  public List<dev.promkit.promql.rules.RuleGroup> ruleGroups() {
    RuleManager r = rules;
    return r == null ? List.of() : r.groups();
  }

  @Override
  public List<String> alertmanagers() {
    return notifier.alertmanagerUrls();
  }

  private void retain(long retentionMillis) {
    try {
      tsdb.truncate(System.currentTimeMillis() - retentionMillis);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "retention: truncating the TSDB failed", e);
    }
  }

  private void configLoaded(boolean ok) {
    lastReloadOk = ok;
    reloadSuccess.set(ok ? 1 : 0);
    if (ok) {
      lastConfigTime = Instant.now();
      reloadTime.set(lastConfigTime.toEpochMilli() / 1000.0);
    }
  }

  /** The HTTP port. */
  public int port() {
    return web.port();
  }

  @Override
  public synchronized void reload() throws Exception {
    try {
      Config c = Files.exists(options.configFile()) ? Config.load(options.configFile())
          : Config.parse(embeddedConfig(web.port(), options.resolvedRoutePrefix()));
      applyRules(c);
      scrapes.apply(c);
      config = c;
      configLoaded(true);
      LOG.log(System.Logger.Level.INFO, "configuration reloaded from " + options.configFile());
    } catch (Exception e) {
      configLoaded(false);
      LOG.log(System.Logger.Level.ERROR, "configuration reload failed, keeping the old one: " + e.getMessage());
      throw e;
    }
  }

  @Override
  public Tsdb tsdb() {
    return tsdb;
  }

  @Override
  public Engine engine() {
    return engine;
  }

  @Override
  public Engine engine(long timeoutMillis) {
    if (timeoutMillis <= 0 || timeoutMillis >= options.queryTimeout().millis()) {
      return engine;
    }
    return Engine.builder().timeoutMillis(timeoutMillis).maxSamples(options.maxSamples())
        .lookbackDeltaMillis(options.lookbackDelta().millis()).build();
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<Target> activeTargets() {
    return scrapes.activeTargets();
  }

  @Override
  public List<Labels> droppedTargets() {
    return scrapes.droppedTargets();
  }

  @Override
  public Map<String, String> flags() {
    return options.asFlags();
  }

  @Override
  public Registry registry() {
    return registry;
  }

  @Override
  public Instant startTime() {
    return startTime;
  }

  @Override
  public boolean lastReloadSucceeded() {
    return lastReloadOk;
  }

  @Override
  public Instant lastConfigTime() {
    return lastConfigTime == null ? startTime : lastConfigTime;
  }

  @Override
  public boolean lifecycleEnabled() {
    return options.enableLifecycle();
  }

  @Override
  public boolean adminApiEnabled() {
    return options.enableAdminApi();
  }

  @Override
  public boolean ready() {
    return ready;
  }

  /** Stops serving and scraping (marking scraped series stale), then closes the TSDB (flushing its WAL). */
  @Override
  public synchronized void close() {
    ready = false;
    if (web != null) {
      web.close();
    }
    housekeeping.shutdownNow();
    if (rules != null) {
      rules.close();
    }
    notifier.close();
    scrapes.close();
    tsdb.close();
  }
}
