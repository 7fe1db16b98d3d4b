package dev.promkit.server.config;

import java.util.Map;

/**
 * The {@code global} section.
 *
 * @param scrapeInterval default scrape interval (1m)
 * @param scrapeTimeout default scrape timeout (10s, at most the interval)
 * @param evaluationInterval rule evaluation interval (1m)
 * @param externalLabels labels added when talking to external systems
 * @param limits default scrape limits for every job (0 = none)
 */
public record GlobalConfig(PromDuration scrapeInterval, PromDuration scrapeTimeout, PromDuration evaluationInterval,
    Map<String, String> externalLabels, ScrapeLimits limits) {

  /** Prometheus' defaults. */
  public static final GlobalConfig DEFAULT = new GlobalConfig(PromDuration.ofSeconds(60), PromDuration.ofSeconds(10),
      PromDuration.ofSeconds(60), Map.of(), ScrapeLimits.NONE);

  /** Copies the map. */
  public GlobalConfig {
    externalLabels = Map.copyOf(externalLabels);
  }
}
