package dev.promkit.client.metrics;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;

/**
 * A value that goes up and down: in-flight requests, queue length, last success time.
 *
 * <pre>{@code
 * Gauge inProgress = Gauge.builder().name("jobs_in_progress").register(registry);
 * try (Gauge.Tracker t = inProgress.track()) {
 *   runJob();
 * }
 * }</pre>
 */
public final class Gauge extends Metric<Gauge.Child> {
  private final Child single;

  private Gauge(MetricSettings s) {
    super(s, s.validate("gauge", Set.of(), false), "gauge");
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

  /** Adds 1 (metric without label names; likewise the methods below). */
  public void inc() {
    single().inc(1);
  }

  /** Adds {@code amount} (may be negative). */
  public void inc(double amount) {
    single().inc(amount);
  }

  /** Subtracts 1. */
  public void dec() {
    single().inc(-1);
  }

  /** Subtracts {@code amount}. */
  public void dec(double amount) {
    single().inc(-amount);
  }

  /** Sets the value. */
  public void set(double value) {
    single().set(value);
  }

  /** Sets the value to the current wall-clock time in seconds. */
  public void setToCurrentTime() {
    single().setToCurrentTime();
  }

  /** The current value. */
  public double get() {
    return single().get();
  }

  /** Increments now and decrements when the returned handle is closed. */
  public Tracker track() {
    return single().track();
  }

  /** Runs {@code r} and sets the gauge to its duration in seconds. */
  public void time(Runnable r) {
    single().time(r);
  }

  /** Calls {@code c} and sets the gauge to its duration in seconds. */
  public <T> T time(Callable<T> c) throws Exception {
    return single().time(c);
  }

  /** Starts a timer that sets the gauge to the elapsed seconds when observed or closed. */
  public Timer startTimer() {
    return single().startTimer();
  }

  @Override
  ChildBase newChild(String[] labelValues, Labels labels) {
    return new Child(clock, labelValues, labels, clock.currentTimeMillis());
  }

  @Override
  MetricSnapshot snapshot(List<Child> children) {
    List<GaugeDataPoint> points = new ArrayList<>(children.size());
    for (Child c : sorted(children)) {
      points.add(new GaugeDataPoint(c.labels, c.get()));
    }
    return new GaugeSnapshot(metadata, points);
  }

  /** A handle from {@code track()}: closing it undoes the increment. One per child, reused. */
  public static final class Tracker implements AutoCloseable {
    private final Child child;

    private Tracker(Child child) {
      this.child = child;
    }

    /** Decrements the gauge (call once per {@code track()}). */
    @Override
    public void close() {
      child.inc(-1);
    }
  }

  /** The data point of one label-value combination. Thread-safe. */
  public static final class Child extends ChildBase {
    private static final VarHandle BITS;

    static {
      try {
        BITS = MethodHandles.lookup().findVarHandle(Child.class, "bits", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Clock clock;
    private final Tracker tracker = new Tracker(this); // track() hands out the same handle: no allocation
    private final DoubleConsumer setter = this::set; // cached: timers allocate no lambda
    private volatile long bits; // the double value as raw bits (0L is +0.0)

    Child(Clock clock, String[] labelValues, Labels labels, long createdMillis) {
      super(labelValues, labels, createdMillis);
      this.clock = clock;
    }

    /** Adds 1. */
    public void inc() {
      inc(1);
    }

    /** Adds {@code amount} (may be negative). */
    public void inc(double amount) {
      long old;
      do {
        old = bits;
      } while (!BITS.compareAndSet(this, old, Double.doubleToRawLongBits(Double.longBitsToDouble(old) + amount)));
    }

    /** Subtracts 1. */
    public void dec() {
      inc(-1);
    }

    /** Subtracts {@code amount}. */
    public void dec(double amount) {
      inc(-amount);
    }

    /** Sets the value. */
    public void set(double value) {
      bits = Double.doubleToRawLongBits(value);
    }

    /** Sets the value to the current wall-clock time in seconds. */
    public void setToCurrentTime() {
      set(clock.currentTimeMillis() / 1000.0);
    }

    /** The current value. */
    public double get() {
      return Double.longBitsToDouble(bits);
    }

    /** Increments now; closing the returned handle decrements. */
    public Tracker track() {
      inc(1);
      return tracker;
    }

    /** Runs {@code r} and sets the value to its duration in seconds (also when it throws). */
    public void time(Runnable r) {
      Timer.time(clock, setter, r);
    }

    /** Calls {@code c} and sets the value to its duration in seconds (also when it throws). */
    public <T> T time(Callable<T> c) throws Exception {
      return Timer.time(clock, setter, c);
    }

    /** A timer that sets the value to the elapsed seconds when observed or closed. */
    public Timer startTimer() {
      return new Timer(clock, setter);
    }
  }

  /** Settles a gauge's configuration. */
  public static final class Builder {
    private final MetricSettings s = new MetricSettings();

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

    /** Label names, in the order {@link Gauge#labelValues} takes the values. */
    public Builder labelNames(String... names) {
      s.labelNames(names);
      return this;
    }

    /** Labels added to every data point. */
    public Builder constLabels(Labels labels) {
      s.constLabels(labels);
      return this;
    }

    /** Clock for timers and {@code setToCurrentTime} (tests). */
    public Builder clock(Clock clock) {
      s.clock(clock);
      return this;
    }

    /** Builds the gauge without registering it. */
    public Gauge build() {
      return new Gauge(s);
    }

    /** Builds the gauge and registers it. */
    public Gauge register(Registry registry) {
      Gauge g = build();
      registry.register(g);
      return g;
    }
  }
}
