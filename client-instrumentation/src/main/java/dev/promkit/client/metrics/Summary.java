package dev.promkit.client.metrics;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.SummarySnapshot.Quantile;
import dev.promkit.client.snapshot.SummarySnapshot.SummaryDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;

/**
 * Count and sum of observations since creation, plus optional quantiles over a sliding window.
 *
 * <p><b>Which error is bounded:</b> the <em>relative value error</em>. Each configured quantile
 * {@code q} comes with an error {@code e}; the estimate {@code x̂} satisfies
 * {@code |x̂ - x| <= e |x|}, where {@code x} is the element of 0-based rank {@code floor(q (n - 1))}
 * among the {@code n} observations in the window. This holds for negative, zero and tiny values
 * alike (magnitudes below {@link Double#MIN_NORMAL}, i.e. subnormals, count as zero). It is not a
 * rank error bound as in client_golang/client_java summaries: the estimate is always close in
 * value to a real observation of exactly the asked rank. All quantiles share one log-linear bucketed
 * sketch built for the smallest configured error.
 *
 * <p><b>Window:</b> {@code maxAge} (default 10 minutes) split into {@code ageBuckets} (default 5);
 * quantiles cover the current age bucket and the {@code ageBuckets - 1} before it. Observations
 * never take a lock: a bit shift picks the bucket, one atomic add counts it.
 *
 * <pre>{@code
 * Summary latency = Summary.builder().name("rpc_duration_seconds").unit("seconds")
 *     .quantile(0.5, 0.01).quantile(0.9, 0.01).quantile(0.99, 0.001).register(registry);
 * latency.observe(0.0123);
 * }</pre>
 */
public final class Summary extends Metric<Summary.Child> {
  /** Default relative error for {@link Builder#quantile(double)}. */
  public static final double DEFAULT_ERROR = 0.01;
  /** Default window. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);
  /** Default number of age buckets in the window. */
  public static final int DEFAULT_AGE_BUCKETS = 5;

  private final double[] quantiles;
  private final double relativeError;
  private final long maxAgeNanos;
  private final int ageBuckets;
  private final Child single;

  private Summary(MetricSettings s, double[] quantiles, double relativeError, long maxAgeNanos, int ageBuckets) {
    super(s, s.validate("summary", Set.of("quantile"), false), "summary");
    this.quantiles = quantiles;
    this.relativeError = relativeError;
    this.maxAgeNanos = maxAgeNanos;
    this.ageBuckets = ageBuckets;
    this.single = singleChildOrNull();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  private Child single() {
    Child c = single;
    if (c == null) {
      throw labelledError();
    }
    return c;
  }

  /** Records one observation (metric without label names; likewise below). */
  public void observe(double value) {
    single().observe(value);
  }

  /** Runs {@code r} and observes its duration in seconds. */
  public void time(Runnable r) {
    single().time(r);
  }

  /** Calls {@code c} and observes its duration in seconds. */
  public <T> T time(Callable<T> c) throws Exception {
    return single().time(c);
  }

  /** Starts a timer that observes the elapsed seconds when observed or closed. */
  public Timer startTimer() {
    return single().startTimer();
  }

  /** The relative value error bound of the quantile estimates (the smallest configured). */
  public double relativeError() {
    return relativeError;
  }

  @Override
  ChildBase newChild(String[] labelValues, Labels labels) {
    return new Child(this, labelValues, labels, clock.currentTimeMillis());
  }

  @Override
  MetricSnapshot snapshot(List<Child> children) {
    List<SummaryDataPoint> points = new ArrayList<>(children.size());
    for (Child c : sorted(children)) {
      points.add(c.point());
    }
    return new SummarySnapshot(metadata, points);
  }

  /** The data point of one label-value combination. Thread-safe; observe allocates nothing. */
  public static final class Child extends ChildBase {
    private final Summary summary;
    private final Stripes<CounterCell> stripes = new Stripes<>(CounterCell::new);
    private final SlidingQuantiles window; // null without quantiles
    private final DoubleConsumer observer = this::observe; // cached: timers allocate no lambda

    Child(Summary s, String[] labelValues, Labels labels, long createdMillis) {
      super(labelValues, labels, createdMillis);
      this.summary = s;
      this.window = s.quantiles.length == 0 ? null
          : new SlidingQuantiles(s.quantiles, s.relativeError, s.maxAgeNanos, s.ageBuckets, s.clock);
    }

    /**
     * Records one observation.
     *
     * @throws IllegalArgumentException for NaN (nothing is recorded)
     */
    public void observe(double value) {
      if (value != value) {
        throw new IllegalArgumentException("summary " + summary.metadata.name() + labels + ": cannot observe NaN");
      }
      Thread t = Thread.currentThread();
      CounterCell c = stripes.owned(t);
      if (c != null) {
        c.ownerAdd(1L); // count and sum in this thread's own stripe: plain stores
        c.ownerAdd(value);
      } else {
        observeSlow(t, value);
      }
      SlidingQuantiles w = window;
      if (w != null) {
        w.observe(value);
      }
    }

    private void observeSlow(Thread t, double value) {
      CounterCell c = stripes.claim(t);
      if (c != null) {
        c.ownerAdd(1L);
        c.ownerAdd(value);
      } else {
        c = stripes.shared(t);
        c.sharedAdd(1L);
        c.sharedAdd(value);
      }
    }

    /** Runs {@code r} and observes its duration in seconds (also when it throws). */
    public void time(Runnable r) {
      Timer.time(summary.clock, observer, r);
    }

    /** Calls {@code c} and observes its duration in seconds (also when it throws). */
    public <T> T time(Callable<T> c) throws Exception {
      return Timer.time(summary.clock, observer, c);
    }

    /** A timer that observes the elapsed seconds when observed or closed. */
    public Timer startTimer() {
      return new Timer(summary.clock, observer);
    }

    /** Observations since creation. */
    public long count() {
      long n = 0;
      for (Cell cell : stripes.cells()) {
        if (cell != null) {
          n += ((CounterCell) cell).count();
        }
      }
      return n;
    }

    /** Sum of observations since creation. */
    public double sum() {
      double s = 0;
      for (Cell cell : stripes.cells()) {
        if (cell != null) {
          s += ((CounterCell) cell).sum();
        }
      }
      return s;
    }

    /**
     * The estimate for a configured quantile over the current window, NaN when the window is empty.
     *
     * @throws IllegalArgumentException when {@code q} was not configured
     */
    public double quantile(double q) {
      double[] qs = summary.quantiles;
      for (int i = 0; i < qs.length; i++) {
        if (qs[i] == q) {
          return window.estimates()[i];
        }
      }
      throw new IllegalArgumentException("summary " + summary.metadata.name() + ": quantile " + q
          + " is not configured (configured: " + java.util.Arrays.toString(qs) + ")");
    }

    SummaryDataPoint point() {
      List<Quantile> qs = new ArrayList<>(summary.quantiles.length);
      if (window != null) {
        double[] est = window.estimates();
        for (int i = 0; i < est.length; i++) {
          qs.add(new Quantile(summary.quantiles[i], est[i]));
        }
      }
      return new SummaryDataPoint(labels, count(), sum(), qs, createdMillis, 0);
    }
  }

  /** Settles a summary's configuration. */
  public static final class Builder {
    private final MetricSettings s = new MetricSettings();
    private final TreeMap<Double, Double> quantiles = new TreeMap<>();
    private Duration maxAge = DEFAULT_MAX_AGE;
    private int ageBuckets = DEFAULT_AGE_BUCKETS;

    private Builder() {}

    /** Metric name. Required. */
    public Builder name(String name) {
      s.name(name);
      return this;
    }

    /** Help text. */
    public Builder help(String help) {
      s.help(help);
      return this;
    }

    /** Unit; the name must end in {@code _unit}. */
    public Builder unit(String unit) {
      s.unit(unit);
      return this;
    }

    /** Label names ({@code quantile} is reserved). */
    public Builder labelNames(String... names) {
      s.labelNames(names);
      return this;
    }

    /** Labels added to every data point. */
    public Builder constLabels(Labels labels) {
      s.constLabels(labels);
      return this;
    }

    /** Clock for the window, timers and created timestamps (tests). */
    public Builder clock(Clock clock) {
      s.clock(clock);
      return this;
    }

    /**
     * Adds a quantile with a bound on its relative value error.
     *
     * @param q rank in [0, 1]
     * @param relativeError e in [0.0001, 0.5]: the estimate is within {@code e * |exact|} of the exact quantile
     * @throws IllegalArgumentException when q or e is out of range
     */
    public Builder quantile(double q, double relativeError) {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("summary quantile must be in [0, 1], got " + q);
      }
      if (!(relativeError >= 0.0001 && relativeError <= 0.5)) {
        throw new IllegalArgumentException("summary quantile " + q
            + ": relative error must be in [0.0001, 0.5], got " + relativeError);
      }
      quantiles.merge(q, relativeError, Math::min);
      return this;
    }

    /** Adds a quantile with {@link #DEFAULT_ERROR} relative error. */
    public Builder quantile(double q) {
      return quantile(q, DEFAULT_ERROR);
    }

    /**
     * The window length for quantiles (default 10 minutes).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("summary maxAge must be positive, got " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * The number of age buckets the window is split into (default 5).
     *
     * @throws IllegalArgumentException when &lt; 1 or &gt; 1000
     */
    public Builder ageBuckets(int n) {
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException("summary ageBuckets must be in [1, 1000], got " + n);
      }
      this.ageBuckets = n;
      return this;
    }

    /** Builds the summary without registering it. */
    public Summary build() {
      double[] qs = quantiles.keySet().stream().mapToDouble(Double::doubleValue).toArray();
      double e = quantiles.values().stream().mapToDouble(Double::doubleValue).min().orElse(DEFAULT_ERROR);
      return new Summary(s, qs, e, maxAge.toNanos(), ageBuckets);
    }

    /** Builds the summary and registers it. */
    public Summary register(Registry registry) {
      Summary m = build();
      registry.register(m);
      return m;
    }
  }
}
