package dev.promkit.server.config;

import java.util.List;

/**
 * The {@code alerting} section, parsed and kept for the notifier.
 *
 * @param alertRelabelConfigs relabelling applied to alerts
 * @param alertmanagers where to send alerts
 */
public record AlertingConfig(List<RelabelConfig> alertRelabelConfigs, List<Alertmanager> alertmanagers) {
  /** No Alertmanager. */
  public static final AlertingConfig NONE = new AlertingConfig(List.of(), List.of());

  /** Copies the lists. */
  public AlertingConfig {
    alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
    alertmanagers = List.copyOf(alertmanagers);
  }

  /**
   * One {@code alertmanagers} entry.
   *
   * @param scheme http or https
   * @param pathPrefix prefix of the API path
   * @param timeout per-request timeout (10s)
   * @param apiVersion v2
   * @param http authentication and TLS
   * @param staticConfigs static Alertmanager addresses
   * @param fileSdConfigs file-discovered Alertmanagers
   * @param relabelConfigs relabelling of discovered Alertmanagers
   */
  public record Alertmanager(String scheme, String pathPrefix, PromDuration timeout, String apiVersion,
      HttpClientConfig http, List<StaticConfig> staticConfigs, List<FileSdConfig> fileSdConfigs,
      List<RelabelConfig> relabelConfigs) {
    /** Copies the lists. */
    public Alertmanager {
      staticConfigs = List.copyOf(staticConfigs);
      fileSdConfigs = List.copyOf(fileSdConfigs);
      relabelConfigs = List.copyOf(relabelConfigs);
    }
  }
}
