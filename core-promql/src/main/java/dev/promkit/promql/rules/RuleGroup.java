package dev.promkit.promql.rules;

import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.parser.Expr;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.labels.XxHash64;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.SeriesSet;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A group of rules evaluated in order, every interval, as Prometheus' rule group: results are
 * appended to storage (with stale markers for series a rule stopped producing), alerts are handed
 * to the {@link Notifier}, and {@code for} state is restored from {@code ALERTS_FOR_STATE} on the
 * first evaluation.
 *
 * <pre>{@code
 * RuleGroup g = RuleGroup.builder(spec).engine(engine).storage(tsdb, tsdb).notifier(sink).build();
 * g.start(scheduler);            // evaluates at aligned times until stop()
 * g.evaluate(timeMillis);        // or step by hand (tests)
 * }</pre>
 */
public final class RuleGroup {
  private static final System.Logger LOG = System.getLogger(RuleGroup.class.getName());
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private final RuleGroupSpec spec;
  private final List<Rule> rules;
  private final long intervalMillis;
  private final long queryOffsetMillis;
  private final EvalContext ctx;
  private final Appendable appendable;
  private final Notifier notifier;
  private final Clock clock;
  private final long resendDelayMillis;
  private final long outageToleranceMillis;
  private final long forGracePeriodMillis;
  private boolean shouldRestore;
  private final List<Map<Labels, Labels>> seriesInPreviousEval;
  /** Series of rules dropped by a reload, marked stale at the next evaluation. */
  private List<Labels> staleSeries = new ArrayList<>();
  private final GroupStats stats = new GroupStats();
  private ScheduledFuture<?> task;
  private volatile long nextEvalMillis;

  private RuleGroup(Builder b) {
    this.spec = b.spec;
    this.intervalMillis = spec.intervalMillis() > 0 ? spec.intervalMillis() : b.defaultIntervalMillis;
    this.queryOffsetMillis = spec.queryOffsetMillis() >= 0 ? spec.queryOffsetMillis() : b.defaultQueryOffsetMillis;
    Engine engine = Objects.requireNonNull(b.engine, "engine");
    this.ctx = new EvalContext(engine, Objects.requireNonNull(b.queryable, "queryable"), b.externalLabels, b.externalUrl);
    this.appendable = Objects.requireNonNull(b.appendable, "appendable");
    this.notifier = b.notifier;
    this.clock = b.clock;
    this.resendDelayMillis = b.resendDelayMillis;
    this.outageToleranceMillis = b.outageToleranceMillis;
    this.forGracePeriodMillis = b.forGracePeriodMillis;
    this.shouldRestore = b.restore;
    List<Rule> rs = new ArrayList<>();
    for (RuleSpec r : spec.rules()) {
      Expr e = engine.parse(r.expr());
      Labels.Builder lb = Labels.empty().toBuilder();
      spec.labels().forEach(lb::set);
      new TreeMap<>(r.labels()).forEach(lb::set);
      Labels labels = lb.build();
      if (r.isAlerting()) {
        AlertingRule ar = new AlertingRule(r, e, labels);
        ar.setRestored(!b.restore);
        rs.add(ar);
      } else {
        rs.add(new RecordingRule(r, e, labels));
      }
    }
    this.rules = List.copyOf(rs);
    this.seriesInPreviousEval = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      seriesInPreviousEval.add(new HashMap<>());
    }
  }

  /** A builder for a group read from a rules file (or built in code). */
  public static Builder builder(RuleGroupSpec spec) {
    return new Builder(spec);
  }

  /** The group's name. */
  public String name() {
    return spec.name();
  }

  /** The file the group came from. */
  public String file() {
    return spec.file();
  }

  /** The group as read. */
  public RuleGroupSpec spec() {
    return spec;
  }

  /** Effective evaluation interval. */
  public long intervalMillis() {
    return intervalMillis;
  }

  /** Effective query offset. */
  public long queryOffsetMillis() {
    return queryOffsetMillis;
  }

  /** Maximum alerts/series per rule, 0 for none. */
  public int limit() {
    return spec.limit();
  }

  /** The rules, in evaluation order. */
  public List<Rule> rules() {
    return rules;
  }

  /** Wall-clock start of the last evaluation (Unix ms), 0 before the first. */
  public long lastEvaluationMillis() {
    return stats.lastEvalWallMillis;
  }

  /** Duration of the last evaluation, in seconds. */
  public double lastEvaluationSeconds() {
    return stats.lastDurationSeconds;
  }

  /** The evaluation timestamp of the last evaluation (Unix ms), 0 before the first. */
  public long lastEvaluationTimestampMillis() {
    return stats.lastEvalTimestampMillis;
  }

  GroupStats stats() {
    return stats;
  }

  /**
   * The aligned evaluation time at or before {@code nowMillis}: the group evaluates at
   * {@code k * interval + offset}, where the offset is Prometheus' hash of the group's name and file, so
   * groups spread over the interval and keep their phase across restarts.
   */
  public long evalTimestamp(long nowMillis) {
    // Prometheus takes hash % interval in nanoseconds; its sample timestamps keep the whole ms.
    long offset = Long.remainderUnsigned(hash(), intervalMillis * 1_000_000) / 1_000_000;
    long adj = nowMillis - offset;
    long base = adj - Math.floorMod(adj, intervalMillis);
    return base + offset;
  }

  /** Prometheus' group hash: labels.Hash of {file=..., name=...} (XXH64 over sorted name/value pairs). */
  private long hash() {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (String part : new String[] {"file", spec.file(), "name", spec.name()}) {
      b.writeBytes(part.getBytes(StandardCharsets.UTF_8));
      b.write(0xff); // labels.Hash's separator byte (not valid UTF-8, so written raw)
    }
    return XxHash64.hash(b.toByteArray());
  }

  /**
   * Evaluates every rule once at {@code tsMillis}, then, on the first call when restoring is on,
   * restores the {@code for} state of alerts from {@code ALERTS_FOR_STATE}. Rule errors are kept
   * in the rule's health and do not stop the group.
   */
  public synchronized void evaluate(long tsMillis) {
    long start = System.nanoTime();
    long wall = clock.millis();
    stats.lastEvalWallMillis = wall;
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      long rs = System.nanoTime();
      stats.evaluations.incrementAndGet();
      List<Rule.Output> out;
      try {
        out = rule.eval(ctx, tsMillis, queryOffsetMillis, spec.limit());
      } catch (RuntimeException e) {
        double secs = (System.nanoTime() - rs) / 1e9;
        rule.setResult(RuleHealth.ERR, String.valueOf(e.getMessage()), wall, secs);
        stats.failures.incrementAndGet();
        stats.observeRule(secs);
        LOG.log(Level.WARNING, "Evaluating rule failed: group {0}, rule {1}: {2}", spec.name(), rule.name(),
            e.getMessage());
        continue;
      }
      String error = "";
      if (rule instanceof AlertingRule && notifier != null) {
        List<Alert> send = ((AlertingRule) rule).alertsToSend(tsMillis, resendDelayMillis, intervalMillis,
            ctx.externalUrl);
        if (!send.isEmpty()) {
          try {
            notifier.send(send);
          } catch (RuntimeException e) { // a failing sink must not stop the group
            LOG.log(Level.WARNING, "notifier failed for rule {0}: {1}", rule.name(), e.getMessage());
          }
        }
      }
      Map<Labels, Labels> returned = new HashMap<>();
      Appender app = appendable.appender();
      try {
        for (Rule.Output o : out) {
          try {
            app.append(0, o.labels(), o.t(), o.v());
          } catch (RuntimeException e) {
            error = e.getMessage();
          }
          returned.put(o.labels(), o.labels());
        }
        long staleT = tsMillis - queryOffsetMillis;
        for (Labels prev : seriesInPreviousEval.get(i).keySet()) {
          if (!returned.containsKey(prev)) {
            try {
              app.append(0, prev, staleT, STALE_NAN); // series vanished: mark it stale
            } catch (RuntimeException e) {
              LOG.log(Level.DEBUG, "stale marker rejected for {0}: {1}", prev, e.getMessage());
            }
          }
        }
        app.commit();
      } catch (RuntimeException e) {
        app.rollback();
        error = e.getMessage();
      }
      seriesInPreviousEval.set(i, returned);
      double secs = (System.nanoTime() - rs) / 1e9;
      stats.observeRule(secs);
      if (error.isEmpty()) {
        rule.setResult(RuleHealth.OK, "", wall, secs);
      } else {
        rule.setResult(RuleHealth.ERR, error, wall, secs);
        stats.failures.incrementAndGet();
      }
    }
    if (!staleSeries.isEmpty()) {
      writeStale(staleSeries, tsMillis - queryOffsetMillis);
      staleSeries = new ArrayList<>();
    }
    if (shouldRestore) {
      restoreForState(clock.millis());
      shouldRestore = false;
    }
    double secs = (System.nanoTime() - start) / 1e9;
    stats.lastDurationSeconds = secs;
    stats.lastEvalTimestampMillis = tsMillis;
    stats.observeGroup(secs);
    stats.iterations.incrementAndGet();
  }

  private void writeStale(List<Labels> series, long t) {
    Appender app = appendable.appender();
    try {
      for (Labels l : series) {
        try {
          app.append(0, l, t, STALE_NAN);
        } catch (RuntimeException e) {
          LOG.log(Level.DEBUG, "stale marker rejected for {0}: {1}", l, e.getMessage());
        }
      }
      app.commit();
    } catch (RuntimeException e) {
      app.rollback();
      LOG.log(Level.WARNING, "writing stale markers of group {0} failed: {1}", spec.name(), e.getMessage());
    }
  }

  /**
   * Takes over the state of the group this one replaces on a reload, as Prometheus' CopyState:
   * rules matched by name and labels keep their previous series and active alerts; series of
   * rules that are gone are marked stale at the next evaluation.
   */
  synchronized void copyStateFrom(RuleGroup from) {
    synchronized (from) {
      stats.lastEvalWallMillis = from.stats.lastEvalWallMillis;
      stats.lastDurationSeconds = from.stats.lastDurationSeconds;
      Map<String, List<Integer>> byKey = new HashMap<>();
      for (int i = 0; i < from.rules.size(); i++) {
        byKey.computeIfAbsent(ruleKey(from.rules.get(i)), k -> new ArrayList<>()).add(i);
      }
      for (int i = 0; i < rules.size(); i++) {
        List<Integer> idx = byKey.get(ruleKey(rules.get(i)));
        if (idx == null || idx.isEmpty()) {
          continue;
        }
        int fi = idx.remove(0);
        seriesInPreviousEval.set(i, new HashMap<>(from.seriesInPreviousEval.get(fi)));
        if (rules.get(i) instanceof AlertingRule && from.rules.get(fi) instanceof AlertingRule) {
          AlertingRule to = (AlertingRule) rules.get(i);
          AlertingRule fr = (AlertingRule) from.rules.get(fi);
          synchronized (fr) {
            synchronized (to) {
              to.activeMap().putAll(fr.activeMap());
            }
          }
        }
      }
      staleSeries = new ArrayList<>(from.staleSeries);
      for (List<Integer> left : byKey.values()) {
        for (int fi : left) {
          staleSeries.addAll(from.seriesInPreviousEval.get(fi).keySet());
        }
      }
    }
  }

  private static String ruleKey(Rule r) {
    return r.name() + "\u0000" + r.labels();
  }

  /** Marks every series this group wrote last time stale at {@code tsMillis} (the group is going away). */
  public synchronized void markStale(long tsMillis) {
    List<Labels> all = new ArrayList<>(staleSeries);
    for (Map<Labels, Labels> m : seriesInPreviousEval) {
      all.addAll(m.keySet());
    }
    writeStale(all, tsMillis);
  }

  /**
   * Restores each alert's active-since time from the newest {@code ALERTS_FOR_STATE} sample within
   * the outage tolerance, shifted by the downtime as Prometheus does, so that {@code for} keeps
   * counting across restarts; alerts whose {@code for} is under the grace period are not restored.
   */
  public synchronized void restoreForState(long tsMillis) {
    Queryable q = ctx.queryable;
    try (Querier querier = q.querier(tsMillis - outageToleranceMillis, tsMillis)) {
      for (Rule r : rules) {
        if (!(r instanceof AlertingRule)) {
          continue;
        }
        AlertingRule ar = (AlertingRule) r;
        long hold = ar.holdDurationMillis();
        if (hold < forGracePeriodMillis) {
          ar.setRestored(true);
          continue;
        }
        Map<Labels, long[]> last = new HashMap<>(); // labels -> {t, value bits}
        SeriesSet ss = querier.select(false, SelectHints.of(tsMillis - outageToleranceMillis, tsMillis),
            LabelMatcher.eq(Labels.METRIC_NAME, "ALERTS_FOR_STATE"), LabelMatcher.eq("alertname", ar.name()));
        ChunkIterator reuse = null;
        while (ss.next()) {
          ChunkIterator it = ss.at().iterator(reuse);
          reuse = it;
          long t = Long.MIN_VALUE;
          double v = 0;
          while (it.next() == ValueType.FLOAT) {
            t = it.atT();
            v = it.atV();
          }
          if (t != Long.MIN_VALUE) {
            last.put(ss.at().labels().without(Labels.METRIC_NAME), new long[] {t, Double.doubleToRawLongBits(v)});
          }
        }
        synchronized (ar) {
          for (AlertingRule.Active a : ar.activeMap().values()) {
            long[] tv = last.get(a.labels);
            if (tv == null) {
              continue;
            }
            double v = Double.longBitsToDouble(tv[1]);
            if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(STALE_NAN)) {
              continue; // the alert was not active
            }
            long downAt = Math.floorDiv(tv[0], 1000) * 1000;
            long restoredActiveAt = (long) v * 1000;
            long remaining = hold - (downAt - restoredActiveAt);
            if (remaining <= 0) {
              continue; // was firing; next evaluation sets it firing again
            } else if (remaining < forGracePeriodMillis) {
              restoredActiveAt = tsMillis + forGracePeriodMillis - hold;
            } else {
              restoredActiveAt += tsMillis - downAt; // the downtime does not count as pending
            }
            a.activeAt = restoredActiveAt;
          }
        }
        ar.setRestored(true);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Failed to restore 'for' state of group {0}: {1}", spec.name(), e.getMessage());
      for (Rule r : rules) {
        if (r instanceof AlertingRule) {
          ((AlertingRule) r).setRestored(true);
        }
      }
    }
  }

  /**
   * Starts evaluating on the scheduler at aligned times (the first evaluation one interval after
   * the aligned time at or before now), counting missed iterations when evaluation falls behind.
   */
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (task != null) {
      throw new IllegalStateException("group " + spec.name() + " already started");
    }
    nextEvalMillis = evalTimestamp(clock.millis()) + intervalMillis;
    schedule(scheduler);
  }

  private void schedule(ScheduledExecutorService scheduler) {
    long delay = Math.max(0, nextEvalMillis - clock.millis());
    task = scheduler.schedule(() -> tick(scheduler), delay, TimeUnit.MILLISECONDS);
  }

  private void tick(ScheduledExecutorService scheduler) {
    synchronized (this) {
      if (task == null) {
        return;
      }
    }
    long ts = nextEvalMillis;
    try {
      evaluate(ts);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "rule group " + spec.name() + " evaluation failed", e);
    }
    long now = clock.millis();
    long missed = (now - ts) / intervalMillis - 1;
    if (missed > 0) {
      stats.missed.addAndGet(missed);
    } else {
      missed = 0;
    }
    nextEvalMillis = ts + (missed + 1) * intervalMillis;
    synchronized (this) {
      if (task != null) {
        schedule(scheduler);
      }
    }
  }

  /** Stops scheduled evaluation (an evaluation in progress completes). */
  public synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /** Every alert of the group's alerting rules (pending, firing, recently resolved). */
  public List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (Rule r : rules) {
      if (r instanceof AlertingRule) {
        out.addAll(((AlertingRule) r).alerts());
      }
    }
    return out;
  }

  /** Builder; defaults as Prometheus': interval 1m, resend delay 1m, outage tolerance 1h, grace period 10m. */
  public static final class Builder {
    private final RuleGroupSpec spec;
    private Engine engine;
    private Queryable queryable;
    private Appendable appendable;
    private Notifier notifier;
    private Clock clock = Clock.systemUTC();
    private long defaultIntervalMillis = 60_000;
    private long defaultQueryOffsetMillis;
    private Map<String, String> externalLabels = Map.of();
    private String externalUrl = "";
    private long resendDelayMillis = 60_000;
    private long outageToleranceMillis = 3_600_000;
    private long forGracePeriodMillis = 600_000;
    private boolean restore = true;

    private Builder(RuleGroupSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The PromQL engine (required). */
    public Builder engine(Engine e) {
      this.engine = e;
      return this;
    }

    /** Where expressions read (required) and where results are written (required). */
    public Builder storage(Queryable q, Appendable a) {
      this.queryable = q;
      this.appendable = a;
      return this;
    }

    /** Receives firing and resolved alerts; none by default. */
    public Builder notifier(Notifier n) {
      this.notifier = n;
      return this;
    }

    /** Wall clock (for scheduling, evaluation times of record, and restoring). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /** Interval for a group that sets none (Prometheus' global evaluation_interval). */
    public Builder defaultInterval(Duration d) {
      this.defaultIntervalMillis = positive(d, "interval");
      return this;
    }

    /** Query offset for a group that sets none (global rule_query_offset). */
    public Builder defaultQueryOffset(Duration d) {
      this.defaultQueryOffsetMillis = d.toMillis();
      return this;
    }

    /** External labels, visible to templates as $externalLabels. */
    public Builder externalLabels(Map<String, String> l) {
      this.externalLabels = Map.copyOf(l);
      return this;
    }

    /** External URL, for templates and alerts' generator URLs. */
    public Builder externalUrl(String url) {
      this.externalUrl = url == null ? "" : url;
      return this;
    }

    /** How often firing alerts are re-sent (1m). */
    public Builder resendDelay(Duration d) {
      this.resendDelayMillis = positive(d, "resend delay");
      return this;
    }

    /** Restoring of {@code for} state: on/off, outage tolerance (1h) and grace period (10m). */
    public Builder restoreForState(boolean on, Duration outageTolerance, Duration gracePeriod) {
      this.restore = on;
      this.outageToleranceMillis = outageTolerance.toMillis();
      this.forGracePeriodMillis = gracePeriod.toMillis();
      return this;
    }

    /**
     * Builds the group.
     *
     * @throws IllegalArgumentException when an expression or template does not parse
     */
    public RuleGroup build() {
      return new RuleGroup(this);
    }

    private static long positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d.toMillis();
    }
  }

}
