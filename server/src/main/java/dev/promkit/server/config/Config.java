package dev.promkit.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A parsed {@code prometheus.yml}, read as Prometheus reads it: unknown fields and wrong types are
 * errors naming the field and line, durations use Prometheus' syntax, job defaults come from
 * {@code global}.
 *
 * <pre>{@code
 * Config c = Config.load(Path.of("prometheus.yml"));
 * for (ScrapeConfig job : c.scrapeConfigs()) { ... }
 * }</pre>
 *
 * @param global the global section with defaults applied
 * @param ruleFiles rule file patterns (relative to {@code baseDir})
 * @param alerting the alerting section
 * @param scrapeConfigs the jobs
 * @param source the YAML text this came from
 * @param baseDir directory relative paths are resolved against (null for the working directory)
 */
public record Config(GlobalConfig global, List<String> ruleFiles, AlertingConfig alerting,
    List<ScrapeConfig> scrapeConfigs, String source, Path baseDir) {

  /** Copies the lists. */
  public Config {
    ruleFiles = List.copyOf(ruleFiles);
    scrapeConfigs = List.copyOf(scrapeConfigs);
  }

  /**
   * Parses YAML text.
   *
   * @param baseDir directory for relative file names, or null
   * @throws ConfigException naming field and line
   */
  public static Config parse(String yaml, Path baseDir) {
    return new ConfigParser(baseDir).parse(yaml);
  }

  /** Parses YAML text with relative files resolved against the working directory. */
  public static Config parse(String yaml) {
    return parse(yaml, null);
  }

  /**
   * Reads and parses a file.
   *
   * @throws ConfigException naming the file, field and line
   * @throws IOException if the file cannot be read
   */
  public static Config load(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    try {
      return parse(text, dir);
    } catch (ConfigException e) {
      throw new ConfigException("parsing YAML file " + file + ": " + e.getMessage(), e.line());
    }
  }

  /** A job by name, or null. */
  public ScrapeConfig scrapeConfig(String jobName) {
    for (ScrapeConfig s : scrapeConfigs) {
      if (s.jobName().equals(jobName)) {
        return s;
      }
    }
    return null;
  }

  /** Resolves a file name from the configuration against its directory. */
  public Path resolve(String file) {
    return baseDir == null ? Path.of(file) : baseDir.resolve(file);
  }
}
