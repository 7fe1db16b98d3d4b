package dev.promkit.server.scrape;

import dev.promkit.server.config.Config;
import dev.promkit.server.config.ScrapeConfig;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appendable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes every job of a configuration into a storage, as Prometheus' scrape manager does: one
 * loop per target on a shared scheduled executor, start offsets spread over the interval, and
 * staleness markers when a target goes away.
 *
 * <pre>{@code
 * try (ScrapeManager m = new ScrapeManager(tsdb, Clock.systemUTC(), 4)) {
 *   m.apply(Config.load(Path.of("prometheus.yml")));
 *   ...
 * }
 * }</pre>
 */
public final class ScrapeManager implements AutoCloseable {
  /** Prometheus' default {@code --scrape.timestamp-tolerance}. */
  public static final Duration DEFAULT_TIMESTAMP_TOLERANCE = Duration.ofMillis(2);

  private final Appendable storage;
  private final Clock clock;
  private final long toleranceMillis;
  private final ScheduledExecutorService executor;
  private final Map<String, ScrapePool> pools = new LinkedHashMap<>();
  private boolean closed;

  /**
   * A manager appending to a storage.
   *
   * @param threads scrape threads (scrapes of different targets run in parallel up to this)
   */
  public ScrapeManager(Appendable storage, Clock clock, int threads) {
    this(storage, clock, threads, DEFAULT_TIMESTAMP_TOLERANCE);
  }

  /**
   * A manager appending to a storage, adjusting scrape timestamps as Prometheus'
   * {@code --scrape.adjust-timestamps} / {@code --scrape.timestamp-tolerance} do.
   *
   * @param threads scrape threads (scrapes of different targets run in parallel up to this)
   * @param timestampTolerance how late a scrape may start and still be stored at its slot on the
   *     interval grid (capped at 1 % of the interval); {@link Duration#ZERO} stores the times as read
   */
  public ScrapeManager(Appendable storage, Clock clock, int threads, Duration timestampTolerance) {
    if (timestampTolerance.isNegative()) {
      throw new IllegalArgumentException("scrape timestamp tolerance " + timestampTolerance + " is negative");
    }
    this.storage = storage;
    this.clock = clock;
    this.toleranceMillis = timestampTolerance.toMillis();
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(Math.max(2, threads), r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("promkit-scrape-" + t.getName());
      t.setDaemon(true);
      return t;
    });
    ex.setRemoveOnCancelPolicy(true);
    this.executor = ex;
  }

  /**
   * Applies a configuration: new jobs start, removed jobs stop (their series marked stale), changed
   * jobs restart, unchanged jobs keep running.
   */
  public synchronized void apply(Config config) {
    if (closed) {
      throw new IllegalStateException("scrape manager closed");
    }
    Map<String, ScrapeConfig> wanted = new LinkedHashMap<>();
    for (ScrapeConfig sc : config.scrapeConfigs()) {
      wanted.put(sc.jobName(), sc);
    }
    for (var it = pools.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      ScrapeConfig sc = wanted.get(e.getKey());
      if (sc == null) {
        e.getValue().stop();
        it.remove();
      } else if (!sc.equals(e.getValue().config())) {
        e.getValue().update(sc);
      }
    }
    for (ScrapeConfig sc : wanted.values()) {
      if (!pools.containsKey(sc.jobName())) {
        ScrapePool p = new ScrapePool(sc, storage, clock, executor, toleranceMillis);
        p.sync();
        pools.put(sc.jobName(), p);
      }
    }
  }

  /** Targets being scraped, by job in configuration order. */
  public synchronized List<Target> activeTargets() {
    List<Target> out = new ArrayList<>();
    for (ScrapePool p : pools.values()) {
      out.addAll(p.targets());
    }
    return out;
  }

  /** Discovered labels of targets dropped by relabelling or invalid. */
  public synchronized List<Labels> droppedTargets() {
    List<Labels> out = new ArrayList<>();
    for (ScrapePool p : pools.values()) {
      out.addAll(p.dropped());
    }
    return out;
  }

  /** Every scrape loop, for tests of this package. */
  synchronized List<ScrapeLoop> loops() {
    List<ScrapeLoop> all = new ArrayList<>();
    for (ScrapePool p : pools.values()) {
      all.addAll(p.loops());
    }
    return all;
  }

  /** Scrapes every target once now, in the calling thread (for tests and tools). */
  public void scrapeAllNow() throws InterruptedException {
    List<ScrapeLoop> all = new ArrayList<>();
    synchronized (this) {
      for (ScrapePool p : pools.values()) {
        all.addAll(p.loops());
      }
    }
    for (ScrapeLoop l : all) {
      l.scrapeOnce();
    }
  }

  /** Stops every loop, marking all scraped series stale, and the executor. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ScrapePool p : pools.values()) {
      p.stop();
    }
    pools.clear();
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
