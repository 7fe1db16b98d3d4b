package dev.promkit.server.config;

import java.util.List;

/**
 * A {@code file_sd_configs} entry: JSON or YAML files (globs allowed in the last path element)
 * listing target groups, re-read every refresh interval.
 *
 * @param files file names or patterns, relative to the configuration file's directory
 * @param refreshInterval how often to re-read (5m by default)
 */
public record FileSdConfig(List<String> files, PromDuration refreshInterval) {
  /** Copies the list. */
  public FileSdConfig {
    files = List.copyOf(files);
  }
}
