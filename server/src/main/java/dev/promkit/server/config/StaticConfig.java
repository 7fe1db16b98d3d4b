package dev.promkit.server.config;

import java.util.List;
import java.util.Map;

/**
 * A target group: addresses and the labels they share ({@code static_configs} entries and the
 * groups of a {@code file_sd_configs} file).
 *
 * @param targets host:port addresses
 * @param labels labels for every target of the group
 * @param source where the group came from (file name and index), for discovered labels
 */
public record StaticConfig(List<String> targets, Map<String, String> labels, String source) {
  /** Copies the collections. */
  public StaticConfig {
    targets = List.copyOf(targets);
    labels = Map.copyOf(labels);
  }
}
