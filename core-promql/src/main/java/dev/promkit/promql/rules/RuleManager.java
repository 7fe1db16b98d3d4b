package dev.promkit.promql.rules;

import dev.promkit.client.registry.Collector;
import dev.promkit.promql.engine.Engine;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Queryable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rule groups of one or more rules files in-process: the library counterpart of
 * Prometheus' rule manager, without the server.
 *
 * <pre>{@code
 * try (RuleManager rules = RuleManager.builder().engine(engine).storage(tsdb, tsdb)
 *     .notifier(alerts -> log(alerts)).build()) {
 *   rules.load(List.of(Path.of("rules.yml")));   // validates every file first
 *   rules.start();                                 // one scheduler thread evaluates all groups
 *   registry.register(rules.metrics());
 * }
 * }</pre>
 */
public final class RuleManager implements AutoCloseable {
  private final Builder opts;
  private volatile List<RuleGroup> groups = List.of();
  private boolean loaded;
  private ScheduledExecutorService scheduler;

  private RuleManager(Builder b) {
    this.opts = b;
  }

  /** A builder with Prometheus' defaults (interval 1m, resend 1m, outage tolerance 1h, grace 10m). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads and validates the files, then replaces the running groups with theirs (all or nothing).
   *
   * @throws RuleFileException when any file is invalid; the current groups keep running
   */
  public synchronized void load(List<Path> files) {
    List<RuleGroupSpec> specs = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Path f : files) {
      try {
        specs.addAll(RuleFiles.load(f));
      } catch (RuleFileException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new RuleFileException(errors);
    }
    update(specs);
  }

  /**
   * Replaces the running groups with these (started if the manager is running), as Prometheus'
   * reload: an unchanged group keeps running untouched; a changed one takes over the state of its
   * predecessor (same file and name); a removed one marks its series stale. {@code for} state is
   * restored from storage only on the first load.
   */
  public synchronized void update(List<RuleGroupSpec> specs) {
    Map<String, RuleGroup> old = new HashMap<>();
    for (RuleGroup g : groups) {
      old.put(RuleGroupMetrics.groupKey(g), g);
    }
    boolean restore = opts.restore && !loaded;
    List<RuleGroup> next = new ArrayList<>();
    List<RuleGroup> fresh = new ArrayList<>();
    for (RuleGroupSpec s : specs) {
      RuleGroup prev = old.get(s.file() + ";" + s.name());
      if (prev != null && prev.spec().equals(s)) {
        old.remove(s.file() + ";" + s.name());
        next.add(prev);
        continue;
      }
      RuleGroup g = RuleGroup.builder(s).engine(opts.engine).storage(opts.queryable, opts.appendable)
          .notifier(opts.notifier).clock(opts.clock).defaultInterval(opts.defaultInterval)
          .defaultQueryOffset(opts.defaultQueryOffset).externalLabels(opts.externalLabels).externalUrl(opts.externalUrl)
          .resendDelay(opts.resendDelay).restoreForState(restore, opts.outageTolerance, opts.forGracePeriod)
          .build();
      if (prev != null) {
        g.copyStateFrom(prev);
      }
      next.add(g);
      fresh.add(g);
    }
    Set<String> kept = new HashSet<>();
    for (RuleGroupSpec s : specs) {
      kept.add(s.file() + ";" + s.name());
    }
    for (Map.Entry<String, RuleGroup> e : old.entrySet()) {
      e.getValue().stop();
      if (!kept.contains(e.getKey())) {
        e.getValue().markStale(opts.clock.millis());
      }
    }
    groups = List.copyOf(next);
    loaded = true;
    if (scheduler != null) {
      for (RuleGroup g : fresh) {
        g.start(scheduler);
      }
    }
  }

  /** Starts scheduled evaluation of every group on one daemon thread. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "promkit-rules");
      t.setDaemon(true);
      return t;
    });
    for (RuleGroup g : groups) {
      g.start(scheduler);
    }
  }

  /** Evaluates every group once at this time, in order (manual stepping for tests). */
  public void evaluateAll(long tsMillis) {
    for (RuleGroup g : groups) {
      g.evaluate(tsMillis);
    }
  }

  /** The current groups, in file order. */
  public List<RuleGroup> groups() {
    return groups;
  }

  /** Pending and firing alerts of every group (what /api/v1/alerts lists). */
  public List<Alert> activeAlerts() {
    List<Alert> out = new ArrayList<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule) {
          out.addAll(((AlertingRule) r).activeAlerts());
        }
      }
    }
    return out;
  }

  /** The groups' own metrics, to register with a client-instrumentation registry. */
  public Collector metrics() {
    return new RuleGroupMetrics(this::groups);
  }

  /** Stops evaluation and the scheduler thread. */
  @Override
  public synchronized void close() {
    for (RuleGroup g : groups) {
      g.stop();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }

  /** Options shared by every group. */
  public static final class Builder {
    private Engine engine;
    private Queryable queryable;
    private Appendable appendable;
    private Notifier notifier;
    private Clock clock = Clock.systemUTC();
    private Duration defaultInterval = Duration.ofMinutes(1);
    private Duration defaultQueryOffset = Duration.ZERO;
    private Map<String, String> externalLabels = Map.of();
    private String externalUrl = "";
    private Duration resendDelay = Duration.ofMinutes(1);
    private boolean restore = true;
    private Duration outageTolerance = Duration.ofHours(1);
    private Duration forGracePeriod = Duration.ofMinutes(10);

    private Builder() {}

    /** The PromQL engine (required). */
    public Builder engine(Engine e) {
      this.engine = e;
      return this;
    }

    /** Where rules read and write (required). */
    public Builder storage(Queryable q, Appendable a) {
      this.queryable = q;
      this.appendable = a;
      return this;
    }

    /** Receives alerts; none by default. */
    public Builder notifier(Notifier n) {
      this.notifier = n;
      return this;
    }

    /** Wall clock. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /** evaluation_interval for groups that set none. */
    public Builder defaultInterval(Duration d) {
      this.defaultInterval = d;
      return this;
    }

    /** rule_query_offset for groups that set none. */
    public Builder defaultQueryOffset(Duration d) {
      this.defaultQueryOffset = d;
      return this;
    }

    /** External labels ($externalLabels in templates). */
    public Builder externalLabels(Map<String, String> l) {
      this.externalLabels = Map.copyOf(l);
      return this;
    }

    /** External URL ($externalURL, generator URLs). */
    public Builder externalUrl(String u) {
      this.externalUrl = u;
      return this;
    }

    /** Resend delay of firing alerts. */
    public Builder resendDelay(Duration d) {
      this.resendDelay = d;
      return this;
    }

    /** Restoring of for state (on, 1h, 10m by default). */
    public Builder restoreForState(boolean on, Duration outageTolerance, Duration gracePeriod) {
      this.restore = on;
      this.outageTolerance = outageTolerance;
      this.forGracePeriod = gracePeriod;
      return this;
    }

    /** Builds a manager with no groups yet. */
    public RuleManager build() {
      Objects.requireNonNull(engine, "engine");
      Objects.requireNonNull(queryable, "queryable");
      Objects.requireNonNull(appendable, "appendable");
      return new RuleManager(this);
    }
  }
}
