package dev.promkit.server.scrape;

import dev.promkit.tsdb.labels.Labels;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One scrape target: its labels after relabelling, the labels discovery gave it, where it is
 * scraped and how its last scrape went. Health fields are updated by the scrape loop and read by
 * the HTTP API; they are published together under the target's lock.
 */
public final class Target {
  /** Scrape health as the targets API reports it. */
  public enum Health {
    /** Last scrape succeeded. */
    UP("up"),
    /** Last scrape failed. */
    DOWN("down"),
    /** Not scraped yet. */
    UNKNOWN("unknown");

    private final String text;

    Health(String text) {
      this.text = text;
    }

    /** The API spelling. */
    public String text() {
      return text;
    }
  }

  /**
   * A metric family's metadata as last seen in a scrape.
   *
   * @param type counter, gauge, histogram, summary, unknown, ...
   * @param help help text
   * @param unit unit (OpenMetrics), or ""
   */
  public record Metadata(String type, String help, String unit) {}

  private final String scrapePool;
  private final Labels labels;
  private final Labels discoveredLabels;
  private final String scrapeUrl;
  private final long intervalMillis;
  private final long timeoutMillis;
  private final Map<String, Metadata> metadata = new ConcurrentHashMap<>();

  private Health health = Health.UNKNOWN;
  private String lastError = "";
  private Instant lastScrape;
  private double lastScrapeDurationSeconds;

  Target(String scrapePool, Labels labels, Labels discoveredLabels, String scrapeUrl, long intervalMillis,
      long timeoutMillis) {
    this.scrapePool = scrapePool;
    this.labels = labels;
    this.discoveredLabels = discoveredLabels;
    this.scrapeUrl = scrapeUrl;
    this.intervalMillis = intervalMillis;
    this.timeoutMillis = timeoutMillis;
  }

  /** The job (scrape pool) name. */
  public String scrapePool() {
    return scrapePool;
  }

  /** Labels after relabelling (job, instance, group labels); added to every sample. */
  public Labels labels() {
    return labels;
  }

  /** Labels before relabelling ({@code __address__}, {@code __scheme__}, ...). */
  public Labels discoveredLabels() {
    return discoveredLabels;
  }

  /** The URL scraped. */
  public String scrapeUrl() {
    return scrapeUrl;
  }

  /** Scrape interval in ms. */
  public long intervalMillis() {
    return intervalMillis;
  }

  /** Scrape timeout in ms. */
  public long timeoutMillis() {
    return timeoutMillis;
  }

  /** Health of the last scrape. */
  public synchronized Health health() {
    return health;
  }

  /** Error of the last scrape, or "". */
  public synchronized String lastError() {
    return lastError;
  }

  /** Start of the last scrape, or null. */
  public synchronized Instant lastScrape() {
    return lastScrape;
  }

  /** Duration of the last scrape in seconds. */
  public synchronized double lastScrapeDurationSeconds() {
    return lastScrapeDurationSeconds;
  }

  /** Metadata per metric family, from the last scrapes. */
  public Map<String, Metadata> metadata() {
    return metadata;
  }

  synchronized void report(Instant start, double durationSeconds, String error) {
    lastScrape = start;
    lastScrapeDurationSeconds = durationSeconds;
    lastError = error == null ? "" : error;
    health = error == null ? Health.UP : Health.DOWN;
  }

  /** Identity within a pool: labels, URL, interval and timeout (a change in any of them restarts the loop). */
  String key() {
    return labels + " " + scrapeUrl + " " + intervalMillis + "/" + timeoutMillis;
  }

  /** FNV-1a over the key: spreads start offsets as Prometheus' target hash does. */
  long hash() {
    long h = 0xcbf29ce484222325L;
    String k = key();
    for (int i = 0; i < k.length(); i++) {
      h ^= k.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public String toString() {
    return scrapeUrl + " " + labels;
  }
}
