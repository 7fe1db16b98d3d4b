package dev.promkit.promql.testing;

import dev.promkit.client.registry.Registry;
import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.promqltest.PromqlTestRunner;
import dev.promkit.promql.promqltest.ScriptResult;
import dev.promkit.promql.promqltest.StorageFactory;
import dev.promkit.promql.rules.AlertState;
import dev.promkit.promql.rules.AlertingRule;
import dev.promkit.promql.rules.Rule;
import dev.promkit.promql.rules.RuleFileException;
import dev.promkit.promql.rules.RuleFiles;
import dev.promkit.promql.rules.RuleGroup;
import dev.promkit.promql.rules.RuleGroupSpec;
import dev.promkit.promql.rules.RuleHealth;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Value;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An application's own metrics, queried with PromQL inside a unit test: scrapes client-instrumentation
 * {@link Registry}s into an in-memory {@link Tsdb} at the time of a {@link TestClock}, runs the
 * promkit PromQL engine over them, and evaluates recording and alerting rules with promkit's rules
 * engine ({@link dev.promkit.promql.rules}).
 *
 * <pre>{@code
 * try (PromQLTestHarness h = PromQLTestHarness.create()) {
 *   Registry registry = new Registry();
 *   Counter requests = Counter.builder().name("http_requests").clock(h.clock()).register(registry);
 *   h.addTarget(registry);
 *   h.scrape();
 *   requests.inc(60);
 *   h.advance(Duration.ofMinutes(1));
 *   h.scrape();
 *   h.query("rate(http_requests_total[1m])").assertSingleValue(1.0, 1e-9);
 * }
 * }</pre>
 *
 * <p>A scrape stores what Prometheus 2.42 stores when it scrapes the registry through a
 * {@code MetricsServer}: the OpenMetrics body (counters as {@code _total} plus {@code _created},
 * histogram {@code _bucket}/{@code _count}/{@code _sum}/{@code _created}, summary quantiles,
 * {@code _count}, {@code _sum}, {@code _created}, gauges, {@code _info}) with the target labels
 * {@code job} and {@code instance}, the synthetic {@code up}, {@code scrape_*} series
 * ({@code scrape_duration_seconds} is 0), and stale markers for series that disappeared.
 *
 * <p>The engine uses Prometheus' defaults (5 minute lookback). Not thread-safe: one harness per test.
 */
public final class PromQLTestHarness implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PromQLTestHarness.class.getName());

  private final TestClock clock;
  private final Tsdb tsdb;
  private final Engine engine;
  private final List<ScrapeTarget> targets = new ArrayList<>();
  private final List<RuleGroup> ruleGroups = new ArrayList<>();
  private int inlineRuleFiles;
  private String lastQuery;
  private String lastResult;

  private PromQLTestHarness(TestClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tsdb = Tsdb.inMemory();
    this.engine = Engine.builder().build();
  }

  /** A harness with a fresh clock at {@link TestClock#DEFAULT_START} and an empty database. */
  public static PromQLTestHarness create() {
    return new PromQLTestHarness(TestClock.create());
  }

  /** A harness over this clock and an empty database. */
  public static PromQLTestHarness create(TestClock clock) {
    return new PromQLTestHarness(clock);
  }

  /** The harness' clock: pass it to the metrics' builders ({@code .clock(h.clock())}). */
  public TestClock clock() {
    return clock;
  }

  /** The current time of the clock. */
  public Instant now() {
    return clock.instant();
  }

  /** The database the scrapes go to (for direct queries through the storage API). */
  public Queryable storage() {
    return tsdb;
  }

  /**
   * Adds a registry scraped as {@code job="app"}, {@code instance="app-<n>"} (n = 1, 2, ... in the
   * order added).
   */
  public PromQLTestHarness addTarget(Registry registry) {
    return addTarget("app", "app-" + (targets.size() + 1), registry);
  }

  /**
   * Adds a registry scraped with these target labels.
   *
   * @throws IllegalArgumentException if a target with the same job and instance exists
   */
  public PromQLTestHarness addTarget(String job, String instance, Registry registry) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(registry, "registry");
    for (ScrapeTarget t : targets) {
      if (t.job.equals(job) && t.instance.equals(instance)) {
        throw new IllegalArgumentException("a target with job=\"" + job + "\", instance=\"" + instance + "\" exists");
      }
    }
    targets.add(new ScrapeTarget(job, instance, registry));
    return this;
  }

  /**
   * Scrapes every target at the clock's time.
   *
   * @throws IllegalStateException without targets, or when the clock has not moved since the last scrape
   */
  public PromQLTestHarness scrape() {
    if (targets.isEmpty()) {
      throw new IllegalStateException("no targets to scrape: call addTarget(registry) first");
    }
    long t = clock.currentTimeMillis();
    Appender app = tsdb.appender();
    try {
      for (ScrapeTarget target : targets) {
        target.scrape(app, t);
      }
    } catch (RuntimeException e) {
      app.rollback();
      throw e;
    }
    app.commit();
    return this;
  }

  /** Moves the clock forward. */
  public PromQLTestHarness advance(Duration d) {
    clock.advance(d);
    return this;
  }

  /**
   * Steps the clock through {@code total} by {@code interval}: after each step, scrapes every
   * target (if any) and evaluates the loaded rules (if any), as a Prometheus with this scrape and
   * evaluation interval would.
   *
   * @throws IllegalArgumentException if interval is not positive
   */
  public PromQLTestHarness advanceScraping(Duration total, Duration interval) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("advanceScraping: interval must be positive, got " + interval);
    }
    Duration done = Duration.ZERO;
    while (done.compareTo(total) < 0) {
      Duration step = total.minus(done).compareTo(interval) < 0 ? total.minus(done) : interval;
      clock.advance(step);
      done = done.plus(step);
      if (!targets.isEmpty()) {
        scrape();
      }
      if (!ruleGroups.isEmpty()) {
        evaluateRules();
      }
    }
    return this;
  }

  /**
   * Loads series in the notation of Prometheus' {@code .test} files, position 0 at the clock's
   * current time:
   *
   * <pre>{@code
   * h.load("""
   *     load 1m
   *       http_requests_total{job="api", code="200"} 0+10x30
   *       http_requests_total{job="api", code="500"} 0 1 _ 3 stale
   *     """);
   * }</pre>
   *
   * Reads {@code load} blocks only (with their expanding notation, {@code _} gaps and
   * {@code stale}); the clock does not move. Samples must be newer than those already stored for the
   * same series.
   *
   * @throws IllegalArgumentException for malformed text or an {@code eval}/{@code clear} command
   */
  public PromQLTestHarness load(String loadText) {
    for (String line : loadText.split("\n")) {
      String w = line.trim().toLowerCase(Locale.ROOT);
      if (w.startsWith("eval") || w.equals("clear")) {
        throw new IllegalArgumentException("load: only load blocks are accepted, found: " + line.trim());
      }
    }
    long origin = clock.currentTimeMillis();
    Appendable shifted = () -> shift(tsdb.appender(), origin);
    StorageFactory.TestStorage ts = new StorageFactory.TestStorage() {
      @Override
      public Queryable queryable() {
        return tsdb;
      }

      @Override
      public Appendable appendable() {
        return shifted;
      }
    };
    ScriptResult r;
    try {
      r = PromqlTestRunner.create(engine, () -> ts).withoutVariants().run("load", loadText);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("load: " + e.getMessage(), e);
    }
    LOG.log(System.Logger.Level.DEBUG, "loaded series: {0}", r.summary());
    return this;
  }

  private static Appender shift(Appender a, long origin) {
    return new Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        return a.append(ref, labels, origin + t, v);
      }

      @Override
      public long append(long ref, Labels labels, long st, long t, double v) {
        return a.append(ref, labels, st == 0 ? 0 : origin + st, origin + t, v);
      }

      @Override
      public void commit() {
        a.commit();
      }

      @Override
      public void rollback() {
        a.rollback();
      }
    };
  }

  /**
   * Runs an instant query at the clock's time.
   *
   * @throws dev.promkit.promql.engine.PromQLException for a bad query or an evaluation error
   */
  public InstantResult query(String query) {
    return query(query, clock.instant());
  }

  /** Runs an instant query at a given time. */
  public InstantResult query(String query, Instant at) {
    lastQuery = query + " at " + at;
    lastResult = "(failed)";
    Value v = engine.instantQuery(tsdb, query, at.toEpochMilli()).value();
    InstantResult r = new InstantResult(query, at.toEpochMilli(), v);
    lastResult = Format.result(v);
    return r;
  }

  /** Runs a range query from {@code start} to {@code end} every {@code step}. */
  public RangeResult queryRange(String query, Instant start, Instant end, Duration step) {
    lastQuery = query + " from " + start + " to " + end + " step " + step;
    lastResult = "(failed)";
    Value v = engine.rangeQuery(tsdb, query, start.toEpochMilli(), end.toEpochMilli(), step.toMillis()).value();
    RangeResult r = new RangeResult(query, start.toEpochMilli(), end.toEpochMilli(), step.toMillis(), (Matrix) v);
    lastResult = Format.result(v);
    return r;
  }

  /**
   * Loads rules-file text (recording and alerting rules) into promkit's rules engine
   * ({@link dev.promkit.promql.rules.RuleFiles}, {@link RuleGroup}): the file is validated as
   * {@code promtool check rules} does, and templates are full Go templates as in Prometheus. The
   * groups are evaluated, in the order loaded, by {@link #evaluateRules()} and
   * {@link #advanceScraping} at the clock's time (not at the groups' own interval).
   *
   * @throws IllegalArgumentException naming group and rule for malformed YAML, a bad expression or
   *     template, or a group name that is already loaded ({@link RuleFileException} lists every problem)
   */
  public PromQLTestHarness loadRules(String rulesYaml) {
    inlineRuleFiles++;
    return addRuleGroups(RuleFiles.parse("rules-" + inlineRuleFiles, rulesYaml));
  }

  /**
   * Loads a rules file from disk; see {@link #loadRules(String)}.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public PromQLTestHarness loadRules(Path file) {
    return addRuleGroups(RuleFiles.load(file));
  }

  private PromQLTestHarness addRuleGroups(List<RuleGroupSpec> specs) {
    List<RuleGroup> built = new ArrayList<>();
    for (RuleGroupSpec spec : specs) {
      for (RuleGroup have : ruleGroups) {
        if (have.name().equals(spec.name())) {
          throw new IllegalArgumentException(spec.file() + ": rule group \"" + spec.name()
              + "\" is already loaded (from " + have.file() + ")");
        }
      }
      try {
        built.add(RuleGroup.builder(spec)
            .engine(engine)
            .storage(tsdb, tsdb)
            .clock(new WallClock(clock))
            // A test starts with no history: write ALERTS from the first evaluation, restore nothing.
            .restoreForState(false, Duration.ofHours(1), Duration.ofMinutes(10))
            .build());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(spec.file() + ": group \"" + spec.name() + "\": " + e.getMessage(), e);
      }
    }
    ruleGroups.addAll(built);
    return this;
  }

  /**
   * Evaluates every loaded rule group once, at the clock's time: recording rules append their
   * samples to the harness' database, alerting rules move their alerts between pending, firing and
   * resolved and append {@code ALERTS}/{@code ALERTS_FOR_STATE}.
   *
   * @throws IllegalStateException naming group and rule when a rule's evaluation failed (after every
   *     group was evaluated); template expansion errors do not fail, as in Prometheus: they show in the
   *     expanded text
   */
  public PromQLTestHarness evaluateRules() {
    long t = clock.currentTimeMillis();
    StringBuilder failures = new StringBuilder();
    for (RuleGroup g : ruleGroups) {
      g.evaluate(t);
      for (Rule r : g.rules()) {
        if (r.health() == RuleHealth.ERR) {
          failures.append("\n  group \"").append(g.name()).append("\" (").append(g.file()).append("), rule ")
              .append(r.name()).append(": ").append(r.lastError());
        }
      }
    }
    if (failures.length() > 0) {
      throw new IllegalStateException("rule evaluation at " + now() + " failed:" + failures);
    }
    return this;
  }

  /** Every pending, firing or recently resolved alert after the last rule evaluation. */
  public List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (RuleGroup g : ruleGroups) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule) {
          for (dev.promkit.promql.rules.Alert a : ((AlertingRule) r).alerts()) {
            out.add(toAlert(r.name(), a));
          }
        }
      }
    }
    return out;
  }

  private static Alert toAlert(String name, dev.promkit.promql.rules.Alert a) {
    Alert.State state = a.state() == AlertState.FIRING ? Alert.State.FIRING
        : a.state() == AlertState.PENDING ? Alert.State.PENDING : Alert.State.INACTIVE;
    return new Alert(name, state, toMap(a.labels()), toMap(a.annotations()), a.value(),
        Instant.ofEpochMilli(a.activeAtMillis()),
        state == Alert.State.PENDING || a.firedAtMillis() == 0 ? null : Instant.ofEpochMilli(a.firedAtMillis()),
        state == Alert.State.INACTIVE ? Instant.ofEpochMilli(a.resolvedAtMillis()) : null);
  }

  private static Map<String, String> toMap(Labels l) {
    Map<String, String> m = new TreeMap<>();
    l.forEach(m::put);
    return Collections.unmodifiableMap(m);
  }

  /** The test clock as the wall clock the rules engine reads (evaluation times of record). */
  private static final class WallClock extends java.time.Clock {
    private final TestClock clock;

    WallClock(TestClock clock) {
      this.clock = clock;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the harness clock is UTC only");
    }

    @Override
    public long millis() {
      return clock.currentTimeMillis();
    }

    @Override
    public Instant instant() {
      return clock.instant();
    }
  }

  /** The alerts of this rule name in this state. */
  public List<Alert> alerts(String alertname, Alert.State state) {
    List<Alert> out = new ArrayList<>();
    for (Alert a : alerts()) {
      if (a.name().equals(alertname) && a.state() == state) {
        out.add(a);
      }
    }
    return out;
  }

  /** Asserts that exactly one alert of this name is firing, and returns it. */
  public Alert assertFiring(String alertname) {
    return assertOne(alertname, Alert.State.FIRING, null);
  }

  /**
   * Asserts that exactly one alert of this name whose labels match the selector (e.g.
   * {@code {severity="page"}}) is firing, and returns it.
   */
  public Alert assertFiring(String alertname, String labelSelector) {
    return assertOne(alertname, Alert.State.FIRING, labelSelector);
  }

  /** Asserts that exactly one alert of this name is pending, and returns it. */
  public Alert assertPending(String alertname) {
    return assertOne(alertname, Alert.State.PENDING, null);
  }

  /** Asserts that no alert of this name is pending or firing. */
  public void assertNotActive(String alertname) {
    List<Alert> hits = new ArrayList<>(alerts(alertname, Alert.State.PENDING));
    hits.addAll(alerts(alertname, Alert.State.FIRING));
    if (!hits.isEmpty()) {
      throw new AssertionError("expected no pending or firing " + alertname + " alert at " + now() + ", got "
          + hits.size() + "\n" + describeAlerts());
    }
  }

  private Alert assertOne(String alertname, Alert.State state, String selector) {
    List<LabelMatcher> ms = selector == null ? List.of() : Format.selector(selector);
    List<Alert> hits = new ArrayList<>();
    for (Alert a : alerts(alertname, state)) {
      if (Format.matches(ms, Labels.fromMap(a.labels()))) {
        hits.add(a);
      }
    }
    if (hits.size() != 1) {
      throw new AssertionError("expected exactly one " + state.name().toLowerCase(Locale.ROOT) + " " + alertname
          + " alert" + (selector == null ? "" : " matching " + selector) + " at " + now() + ", got " + hits.size()
          + "\n" + describeAlerts());
    }
    return hits.get(0);
  }

  /** The alerts, one per line, for failure messages. */
  public String describeAlerts() {
    List<Alert> all = alerts();
    if (all.isEmpty()) {
      return "alerts: none";
    }
    StringBuilder sb = new StringBuilder("alerts:");
    for (Alert a : all) {
      sb.append("\n  ").append(a);
    }
    return sb.toString();
  }

  /** The last query run and its result (or "(failed)"), or null before the first query. */
  public String lastQuery() {
    return lastQuery == null ? null : lastQuery + "\n" + lastResult;
  }

  /** Every series in the database with its samples, one series per line (for failure messages). */
  public String describeSeries() {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE);
    try {
      SeriesSet ss = q.select(true, SelectHints.of(Long.MIN_VALUE, Long.MAX_VALUE),
          LabelMatcher.re(Labels.METRIC_NAME, ".+"));
      ChunkIterator it = null;
      while (ss.next()) {
        n++;
        sb.append("\n  ").append(Format.labels(ss.at().labels())).append(" =>");
        it = ss.at().iterator(it);
        int shown = 0;
        while (it.next() == ValueType.FLOAT) {
          if (shown++ == 20) {
            sb.append(" ...");
            break;
          }
          sb.append(' ').append(Format.value(it.atV())).append(" @").append(Format.time(it.atT()));
        }
      }
    } finally {
      q.close();
    }
    return "series in the test database (" + n + "):" + sb;
  }

  /** Series, alerts and the last query: what the JUnit extension prints when a test fails. */
  public String report() {
    return "PromQL test harness at " + now() + "\n" + describeSeries() + "\n" + describeAlerts() + "\nlast query: "
        + (lastQuery == null ? "none" : lastQuery());
  }

  /** Frees the database. */
  @Override
  public void close() {
    tsdb.close();
  }
}
