package dev.promkit.server.config;

import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry (a job), with the global defaults already applied.
 *
 * @param jobName the job name (unique)
 * @param scrapeInterval how often to scrape
 * @param scrapeTimeout per-scrape timeout, at most the interval
 * @param metricsPath path of the metrics endpoint ({@code /metrics})
 * @param scheme http or https
 * @param params URL parameters
 * @param honorLabels keep the target's labels on conflict instead of renaming them {@code exported_*}
 * @param honorTimestamps use timestamps from the body (true)
 * @param enableCompression ask for gzip (true)
 * @param limits scrape limits
 * @param http authentication and TLS
 * @param staticConfigs static target groups
 * @param fileSdConfigs file-based discovery
 * @param relabelConfigs target relabelling
 * @param metricRelabelConfigs sample relabelling
 */
public record ScrapeConfig(String jobName, PromDuration scrapeInterval, PromDuration scrapeTimeout, String metricsPath,
    String scheme, Map<String, List<String>> params, boolean honorLabels, boolean honorTimestamps,
    boolean enableCompression, ScrapeLimits limits, HttpClientConfig http, List<StaticConfig> staticConfigs,
    List<FileSdConfig> fileSdConfigs, List<RelabelConfig> relabelConfigs, List<RelabelConfig> metricRelabelConfigs) {

  /** Copies the collections. */
  public ScrapeConfig {
    params = Map.copyOf(params);
    staticConfigs = List.copyOf(staticConfigs);
    fileSdConfigs = List.copyOf(fileSdConfigs);
    relabelConfigs = List.copyOf(relabelConfigs);
    metricRelabelConfigs = List.copyOf(metricRelabelConfigs);
  }
}
