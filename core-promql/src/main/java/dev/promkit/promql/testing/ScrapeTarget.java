package dev.promkit.promql.testing;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionParseException;
import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.client.exposition.ExpositionWriter;
import dev.promkit.client.registry.Registry;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * One registry scraped as Prometheus 2.42 scrapes a {@code MetricsServer}: the body is written in
 * OpenMetrics (the format Prometheus negotiates first) and read back with the client's parser, so
 * exactly the lines on the wire become samples; the target labels {@code job} and {@code instance}
 * are attached (a clashing exposed label becomes {@code exported_<name>}, as with
 * {@code honor_labels: false}); the synthetic series {@code up}, {@code scrape_duration_seconds},
 * {@code scrape_samples_scraped}, {@code scrape_samples_post_metric_relabeling} and
 * {@code scrape_series_added} follow; a series that disappears gets a stale marker.
 */
final class ScrapeTarget {
  /** Prometheus' stale marker NaN (a specific NaN bit pattern the engine recognises). */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private static final ExpositionWriter WRITER = ExpositionFormat.OPENMETRICS.writer();

  final String job;
  final String instance;
  final Registry registry;
  private Set<Labels> previous = Set.of();
  private long lastScrape = Long.MIN_VALUE;

  ScrapeTarget(String job, String instance, Registry registry) {
    this.job = job;
    this.instance = instance;
    this.registry = registry;
  }

  /** The body the target's /metrics would serve to Prometheus now. */
  byte[] body() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      WRITER.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("writing the scrape of " + this + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Scrapes into the appender (not committed) at time t.
   *
   * @return the number of samples stored from the body
   */
  int scrape(Appender app, long t) {
    if (t <= lastScrape) {
      throw new IllegalStateException("scrape of " + this + " at " + java.time.Instant.ofEpochMilli(t)
          + ": already scraped at that time or later; advance the clock between scrapes");
    }
    lastScrape = t;
    byte[] body = body();
    ExpositionParser p = ExpositionParser.create(ExpositionFormat.OPENMETRICS, body, 0, body.length);
    Set<Labels> seen = new HashSet<>();
    Set<Labels> tracked = new HashSet<>(); // series without an explicit timestamp: these go stale
    Labels.Builder b = new Labels.Builder();
    int scraped = 0;
    int added = 0;
    try {
      for (ExpositionParser.Entry e = p.next(); e != ExpositionParser.Entry.END; e = p.next()) {
        if (e != ExpositionParser.Entry.SAMPLE) {
          continue;
        }
        scraped++;
        b.reset();
        for (int i = 0; i < p.labelCount(); i++) {
          b.set(p.labelName(i), p.labelValue(i));
        }
        Labels l = withTargetLabels(b, p.name());
        if (!seen.add(l)) {
          continue; // Prometheus drops a repeated series within one scrape
        }
        if (!previous.contains(l)) {
          added++;
        }
        if (p.hasTimestamp()) {
          append(app, l, p.timestampMillis(), p.value()); // honor_timestamps, and no staleness, as Prometheus
        } else {
          tracked.add(l);
          append(app, l, t, p.value());
        }
      }
    } catch (ExpositionParseException ex) {
      throw new IllegalStateException("the exposition of " + this + " does not parse: " + ex.getMessage(), ex);
    }
    for (Labels gone : previous) {
      if (!tracked.contains(gone)) {
        append(app, gone, t, STALE_NAN);
      }
    }
    previous = tracked;
    append(app, synthetic("up"), t, 1);
    append(app, synthetic("scrape_duration_seconds"), t, 0);
    append(app, synthetic("scrape_samples_scraped"), t, scraped);
    append(app, synthetic("scrape_samples_post_metric_relabeling"), t, scraped);
    append(app, synthetic("scrape_series_added"), t, added);
    return scraped;
  }

  private static void append(Appender app, Labels l, long t, double v) {
    try {
      app.append(0, l, t, v);
    } catch (StorageException e) {
      throw new IllegalStateException("storing " + l + " at " + t + ": " + e.getMessage(), e);
    }
  }

  private Labels synthetic(String name) {
    return Labels.of(Labels.METRIC_NAME, name, "job", job, "instance", instance);
  }

  /** The exposed labels plus name and target labels; a clash renames the exposed one to exported_<name>. */
  private Labels withTargetLabels(Labels.Builder b, String name) {
    moveClash(b, "job");
    moveClash(b, "instance");
    b.set(Labels.METRIC_NAME, name);
    b.set("job", job);
    b.set("instance", instance);
    return b.build();
  }

  private static void moveClash(Labels.Builder b, String target) {
    String v = b.get(target);
    if (v.isEmpty()) {
      return;
    }
    String exported = "exported_" + target;
    while (!b.get(exported).isEmpty()) {
      exported = "exported_" + exported; // Prometheus prefixes again until the name is free
    }
    b.remove(target);
    b.set(exported, v);
  }

  @Override
  public String toString() {
    return "target{job=\"" + job + "\", instance=\"" + instance + "\"}";
  }
}
