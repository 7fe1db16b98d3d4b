package dev.promkit.client.metrics;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.Exemplar;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;

/**
 * Observations counted into classic buckets ({@code le} upper bounds, the last one +Inf), plus
 * their count and sum. Snapshots carry per-bucket counts and derive the count from them, so a
 * scrape always shows {@code le="+Inf"} equal to {@code _count}, whatever runs concurrently; the
 * sum may lag or lead by the observations in flight during the scrape.
 *
 * <pre>{@code
 * Histogram latency = Histogram.builder().name("request_duration_seconds").unit("seconds")
 *     .exponentialBuckets(0.001, 2, 12).register(registry);
 * latency.observe(0.042);
 * }</pre>
 */
public final class Histogram extends Metric<Histogram.Child> {
  /** The default upper bounds (client_golang's and client_python's), +Inf added. */
  public static final List<Double> DEFAULT_BUCKETS =
      List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0, Double.POSITIVE_INFINITY);

  private final double[] upperBounds;
  private final Child single;

  private Histogram(MetricSettings s, double[] upperBounds) {
    super(s, s.validate("histogram", Set.of("le"), false), "histogram");
    this.upperBounds = upperBounds;
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

  /** Records one observation (metric without label names; likewise the methods below). */
  public void observe(double value) {
    single().observe(value);
  }

  /** Records an observation and keeps it as its bucket's exemplar. */
  public void observeWithExemplar(double value, Labels exemplarLabels) {
    single().observeWithExemplar(value, exemplarLabels);
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

  /** The bucket upper bounds, ending in +Inf. */
  public double[] upperBounds() {
    return upperBounds.clone();
  }

  @Override
  ChildBase newChild(String[] labelValues, Labels labels) {
    return new Child(this, labelValues, labels, clock.currentTimeMillis());
  }

  @Override
  MetricSnapshot snapshot(List<Child> children) {
    List<HistogramDataPoint> points = new ArrayList<>(children.size());
    for (Child c : sorted(children)) {
      points.add(c.point());
    }
    return new HistogramSnapshot(metadata, points);
  }

  /**
   * Up to this many bounds a linear scan beats binary search: observations cluster in the low
   * buckets, and the scan mispredicts about once (at its exit) where binary search mispredicts
   * about every other step.
   */
  private static final int LINEAR_SEARCH_MAX = 16;

  /** Index of the first bucket whose upper bound is >= v (the last bound is +Inf; v is not NaN). */
  static int bucketIndex(double[] bounds, double v) {
    int n = bounds.length;
    if (n <= LINEAR_SEARCH_MAX) {
      int i = 0;
      while (v > bounds[i]) { // stops at the +Inf bound at the latest
        i++;
      }
      return i;
    }
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (v <= bounds[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The data point of one label-value combination. Thread-safe; observe allocates nothing. */
  public static final class Child extends ChildBase {
    private static final VarHandle EXEMPLARS = MethodHandles.arrayElementVarHandle(Exemplar[].class);

    private final Histogram histogram;
    private final double[] bounds;
    private final Stripes<HistogramCell> stripes;
    private final Exemplar[] exemplars; // latest per bucket, written with release stores
    private final DoubleConsumer observer = this::observe; // cached: timers allocate no lambda

    Child(Histogram h, String[] labelValues, Labels labels, long createdMillis) {
      super(labelValues, labels, createdMillis);
      this.histogram = h;
      this.bounds = h.upperBounds;
      int n = bounds.length;
      this.stripes = new Stripes<>(() -> new HistogramCell(n));
      this.exemplars = new Exemplar[n];
    }

    /**
     * Records one observation.
     *
     * @throws IllegalArgumentException for NaN (nothing is recorded)
     */
    public void observe(double value) {
      int b = bucket(value);
      Thread t = Thread.currentThread();
      HistogramCell c = stripes.owned(t);
      if (c != null) {
        c.ownerObserve(b, value); // common case: plain stores into this thread's own stripe
      } else {
        observeSlow(t, b, value);
      }
    }

    /** Records an observation and keeps it as the exemplar of its bucket. */
    public void observeWithExemplar(double value, Labels exemplarLabels) {
      ExemplarLabels.check(histogram.metadata.name(), exemplarLabels);
      observe(value);
      EXEMPLARS.setRelease(exemplars, bucketIndex(bounds, value),
          new Exemplar(exemplarLabels, value, histogram.clock.currentTimeMillis()));
    }

    /** Runs {@code r} and observes its duration in seconds (also when it throws). */
    public void time(Runnable r) {
      Timer.time(histogram.clock, observer, r);
    }

    /** Calls {@code c} and observes its duration in seconds (also when it throws). */
    public <T> T time(Callable<T> c) throws Exception {
      return Timer.time(histogram.clock, observer, c);
    }

    /** A timer that observes the elapsed seconds when observed or closed. */
    public Timer startTimer() {
      return new Timer(histogram.clock, observer);
    }

    private int bucket(double value) {
      if (value != value) {
        throw new IllegalArgumentException("histogram " + histogram.metadata.name() + labels
            + ": cannot observe NaN");
      }
      return bucketIndex(bounds, value);
    }

    private void observeSlow(Thread t, int b, double value) {
      HistogramCell c = stripes.claim(t);
      if (c != null) {
        c.ownerObserve(b, value);
      } else {
        stripes.shared(t).sharedObserve(b, value);
      }
    }

    HistogramDataPoint point() {
      long[] counts = new long[bounds.length];
      double sum = 0;
      for (Cell cell : stripes.cells()) {
        if (cell != null) {
          HistogramCell c = (HistogramCell) cell;
          c.addCountsTo(counts);
          sum += c.sum();
        }
      }
      Exemplar[] ex = null;
      for (int i = 0; i < exemplars.length; i++) {
        Exemplar e = (Exemplar) EXEMPLARS.getAcquire(exemplars, i);
        if (e != null) {
          if (ex == null) {
            ex = new Exemplar[exemplars.length];
          }
          ex[i] = e;
        }
      }
      return new HistogramDataPoint(labels, bounds.clone(), counts, sum, ex, createdMillis, 0);
    }

    /** Total observations so far. */
    public long count() {
      long n = 0;
      for (long c : point().counts()) {
        n += c;
      }
      return n;
    }

    /** Sum of observations so far. */
    public double sum() {
      return point().sum();
    }
  }

  /** Settles a histogram's configuration. */
  public static final class Builder {
    private final MetricSettings s = new MetricSettings();
    private double[] bounds = DEFAULT_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray();

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

    /** Label names ({@code le} is reserved). */
    public Builder labelNames(String... names) {
      s.labelNames(names);
      return this;
    }

    /** Labels added to every data point. */
    public Builder constLabels(Labels labels) {
      s.constLabels(labels);
      return this;
    }

    /** Clock for timers, exemplars and created timestamps (tests). */
    public Builder clock(Clock clock) {
      s.clock(clock);
      return this;
    }

    /**
     * Explicit upper bounds, strictly ascending; +Inf is appended when missing.
     *
     * @throws IllegalArgumentException on NaN, no bounds, or bounds not strictly ascending
     */
    public Builder buckets(double... upperBounds) {
      if (upperBounds.length == 0) {
        throw new IllegalArgumentException("histogram buckets: at least one upper bound is needed");
      }
      for (int i = 0; i < upperBounds.length; i++) {
        if (Double.isNaN(upperBounds[i])) {
          throw new IllegalArgumentException("histogram buckets: bound " + i + " is NaN");
        }
        if (i > 0 && !(upperBounds[i] > upperBounds[i - 1])) {
          throw new IllegalArgumentException("histogram buckets must be strictly ascending, but bound " + i
              + " (" + upperBounds[i] + ") follows " + upperBounds[i - 1]);
        }
      }
      double[] b = upperBounds;
      if (b[b.length - 1] != Double.POSITIVE_INFINITY) {
        b = Arrays.copyOf(b, b.length + 1);
        b[b.length - 1] = Double.POSITIVE_INFINITY;
      } else {
        b = b.clone();
      }
      bounds = b;
      return this;
    }

    /**
     * {@code count} bounds {@code start, start+width, ...}.
     *
     * @throws IllegalArgumentException when count &lt; 1 or width &lt;= 0
     */
    public Builder linearBuckets(double start, double width, int count) {
      if (count < 1 || !(width > 0) || !Double.isFinite(start)) {
        throw new IllegalArgumentException("histogram linearBuckets: need count >= 1, width > 0 and a finite "
            + "start, got start=" + start + " width=" + width + " count=" + count);
      }
      double[] b = new double[count];
      for (int i = 0; i < count; i++) {
        b[i] = start + i * width;
      }
      return buckets(b);
    }

    /**
     * {@code count} bounds {@code start, start*factor, ...}.
     *
     * @throws IllegalArgumentException when count &lt; 1, start &lt;= 0 or factor &lt;= 1
     */
    public Builder exponentialBuckets(double start, double factor, int count) {
      if (count < 1 || !(start > 0) || !(factor > 1) || Double.isInfinite(start)) {
        throw new IllegalArgumentException("histogram exponentialBuckets: need count >= 1, start > 0 and "
            + "factor > 1, got start=" + start + " factor=" + factor + " count=" + count);
      }
      double[] b = new double[count];
      for (int i = 0; i < count; i++) {
        b[i] = start * Math.pow(factor, i);
      }
      return buckets(b);
    }

    /** Builds the histogram without registering it. */
    public Histogram build() {
      return new Histogram(s, bounds.clone());
    }

    /** Builds the histogram and registers it. */
    public Histogram register(Registry registry) {
      Histogram h = build();
      registry.register(h);
      return h;
    }
  }
}
