package dev.promkit.server.web;

import dev.promkit.client.registry.Registry;
import dev.promkit.promql.engine.Engine;
import dev.promkit.server.config.Config;
import dev.promkit.server.scrape.Target;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.labels.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the HTTP API reads from the running server. Implementations must be thread-safe. */
public interface ApiBackend {
  /** The database queried and described. */
  Tsdb tsdb();

  /** The PromQL engine. */
  Engine engine();

  /** An engine like {@link #engine()} but with a shorter timeout (a request's {@code timeout} parameter). */
  default Engine engine(long timeoutMillis) {
    return engine();
  }

  /** The current configuration. */
  Config config();

  /** Targets being scraped. */
  List<Target> activeTargets();

  /** Discovered labels of dropped targets. */
  List<Labels> droppedTargets();

  /** Command-line flags with their values, Prometheus-style names without dashes. */
  Map<String, String> flags();

  /** The registry served at {@code /metrics}. */
  Registry registry();

  /** When the server started. */
  Instant startTime();

  /** Whether the last configuration reload succeeded, and when the configuration was last loaded. */
  boolean lastReloadSucceeded();

  /** When the configuration in use was loaded. */
  Instant lastConfigTime();

  /** Whether {@code /-/reload} and {@code /-/quit} are enabled ({@code --web.enable-lifecycle}). */
  boolean lifecycleEnabled();

  /** Whether {@code /api/v1/admin/tsdb/*} is enabled ({@code --web.enable-admin-api}); off by default. */
  default boolean adminApiEnabled() {
    return false;
  }

  /** Whether the server has finished starting. */
  boolean ready();

  /**
   * Reloads the configuration file; on error the old configuration stays in use.
   *
   * @throws Exception with a message naming what is wrong
   */
  void reload() throws Exception;

  /** The running rule groups (for {@code /api/v1/rules} and {@code /api/v1/alerts}); none by default. */
  default List<dev.promkit.promql.rules.RuleGroup> ruleGroups() {
    return List.of();
  }

  /** URLs of the active Alertmanagers (for {@code /api/v1/alertmanagers}); none by default. */
  default List<String> alertmanagers() {
    return List.of();
  }
}
