package dev.promkit.server.scrape;

import dev.promkit.server.config.FileSdConfig;
import dev.promkit.server.config.ScrapeConfig;
import dev.promkit.server.config.StaticConfig;
import dev.promkit.server.discovery.FileDiscovery;
import dev.promkit.server.relabel.Relabeler;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appendable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The targets of one job and their scrape loops. */
final class ScrapePool {
  private static final System.Logger LOG = System.getLogger(ScrapePool.class.getName());

  private volatile ScrapeConfig config;
  private final Appendable storage;
  private final Clock clock;
  private final long toleranceMillis;
  private final ScheduledExecutorService executor;
  private HttpFetcher fetcher;
  private Relabeler relabeler;
  private final FileDiscovery files = new FileDiscovery();
  private final Map<String, ScrapeLoop> loops = new LinkedHashMap<>();
  private volatile List<Labels> dropped = List.of();
  private ScheduledFuture<?> refresher;

  ScrapePool(ScrapeConfig config, Appendable storage, Clock clock, ScheduledExecutorService executor,
      long toleranceMillis) {
    this.toleranceMillis = toleranceMillis;
    this.config = config;
    this.storage = storage;
    this.clock = clock;
    this.executor = executor;
    this.fetcher = new HttpFetcher(config.http(), config.enableCompression(), executor);
    this.relabeler = Relabeler.of(config.relabelConfigs());
  }

  ScrapeConfig config() {
    return config;
  }

  /**
   * Takes a changed job configuration: targets that stay the same (labels, URL, interval, timeout)
   * keep their loops and staleness state; the others stop with staleness markers or start.
   */
  synchronized void update(ScrapeConfig c) {
    boolean sdChanged = !c.fileSdConfigs().equals(config.fileSdConfigs());
    this.config = c;
    this.fetcher = new HttpFetcher(c.http(), c.enableCompression(), executor);
    this.relabeler = Relabeler.of(c.relabelConfigs());
    for (ScrapeLoop l : loops.values()) {
      l.reconfigure(c, fetcher);
    }
    if (sdChanged && refresher != null) {
      refresher.cancel(false);
      refresher = null;
    }
    sync();
  }

  /** Discovers targets now, starts loops for new ones and stops vanished ones with staleness markers. */
  synchronized void sync() {
    List<StaticConfig> groups = new ArrayList<>(config.staticConfigs());
    for (FileSdConfig sd : config.fileSdConfigs()) {
      groups.addAll(files.discover(sd));
    }
    Map<String, Target> wanted = new LinkedHashMap<>();
    List<Labels> drop = new ArrayList<>();
    for (StaticConfig g : groups) {
      for (String addr : g.targets()) {
        try {
          Target t = TargetLabels.populate(config, relabeler, g.labels(), addr);
          if (t == null) {
            drop.add(discovered(g, addr));
          } else {
            wanted.putIfAbsent(t.key(), t);
          }
        } catch (IllegalArgumentException e) {
          LOG.log(System.Logger.Level.WARNING, "job " + config.jobName() + ": dropping target " + addr + ": "
              + e.getMessage());
          drop.add(discovered(g, addr));
        }
      }
    }
    dropped = List.copyOf(drop);
    for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!wanted.containsKey(e.getKey())) {
        e.getValue().stop(true);
        it.remove();
      }
    }
    for (Target t : wanted.values()) {
      if (!loops.containsKey(t.key())) {
        ScrapeLoop loop = new ScrapeLoop(t, config, storage, clock, fetcher, toleranceMillis);
        loops.put(t.key(), loop);
        long interval = t.intervalMillis();
        long now = clock.millis();
        // Prometheus' spread: each target starts at a fixed offset into the interval, from its hash.
        long base = interval - Math.floorMod(now, interval);
        long next = base + Long.remainderUnsigned(t.hash(), interval);
        if (next > interval) {
          next -= interval;
        }
        loop.future = executor.scheduleAtFixedRate(loop::run, next, interval, TimeUnit.MILLISECONDS);
      }
    }
    if (refresher == null && !config.fileSdConfigs().isEmpty()) {
      long every = Long.MAX_VALUE;
      for (FileSdConfig sd : config.fileSdConfigs()) {
        every = Math.min(every, Math.max(100, sd.refreshInterval().millis()));
      }
      refresher = executor.scheduleWithFixedDelay(() -> {
        try {
          sync();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "file_sd refresh of job " + config.jobName() + " failed", e);
        }
      }, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private Labels discovered(StaticConfig g, String addr) {
    return TargetLabels.discovered(config, g.labels(), addr);
  }

  synchronized List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (ScrapeLoop l : loops.values()) {
      out.add(l.target());
    }
    return out;
  }

  synchronized List<ScrapeLoop> loops() {
    return new ArrayList<>(loops.values());
  }

  List<Labels> dropped() {
    return dropped;
  }

  /** Stops every loop, marking the series of each target stale. */
  synchronized void stop() {
    if (refresher != null) {
      refresher.cancel(false);
    }
    for (ScrapeLoop l : loops.values()) {
      l.stop(true);
    }
    loops.clear();
  }
}
