package dev.promkit.client.metrics;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.Exemplar;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A monotonically increasing count, exposed as {@code name_total} (and {@code name_created} in
 * OpenMetrics). A name given as {@code x_total} is stored as family {@code x}.
 *
 * <pre>{@code
 * Counter requests = Counter.builder().name("http_requests_total").help("Requests.")
 *     .labelNames("method").register(registry);
 * Counter.Child get = requests.labelValues("GET"); // keep the handle in hot code
 * get.inc();
 * }</pre>
 */
public final class Counter extends Metric<Counter.Child> {
  private final Child single;

  private Counter(MetricSettings s) {
    super(s, s.validate("counter", Set.of(), true), "counter");
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

  /** Adds 1 (metric without label names). */
  public void inc() {
    single().inc();
  }

  /** Adds {@code amount} (metric without label names); see {@link Child#inc(double)}. */
  public void inc(double amount) {
    single().inc(amount);
  }

  /** Adds {@code amount} and keeps an exemplar (metric without label names). */
  public void incWithExemplar(double amount, Labels exemplarLabels) {
    single().incWithExemplar(amount, exemplarLabels);
  }

  /** The current value (metric without label names). */
  public double get() {
    return single().get();
  }

  @Override
  ChildBase newChild(String[] labelValues, Labels labels) {
    return new Child(this, labelValues, labels, clock.currentTimeMillis());
  }

  @Override
  MetricSnapshot snapshot(List<Child> children) {
    List<CounterDataPoint> points = new ArrayList<>(children.size());
    for (Child c : sorted(children)) {
      points.add(new CounterDataPoint(c.labels, c.get(), c.exemplar, c.createdMillis, 0));
    }
    return new CounterSnapshot(metadata, points);
  }

  /** The data point of one label-value combination. Thread-safe; hot methods allocate nothing. */
  public static final class Child extends ChildBase {
    private static final double EXACT_LONG_LIMIT = 0x1p53; // doubles below 2^53 convert to long exactly

    private final Stripes<CounterCell> stripes = new Stripes<>(CounterCell::new);
    private final Counter counter;
    private final Clock clock;
    private volatile Exemplar exemplar;

    Child(Counter counter, String[] labelValues, Labels labels, long createdMillis) {
      super(labelValues, labels, createdMillis);
      this.counter = counter;
      this.clock = counter.clock;
    }

    /** Adds 1. */
    public void inc() {
      Thread t = Thread.currentThread();
      CounterCell c = stripes.owned(t);
      if (c != null) {
        c.ownerAdd(1L); // common case: this thread's own cell, a plain store
      } else {
        addSlow(t, 1L);
      }
    }

    /**
     * Adds {@code amount}.
     *
     * @throws IllegalArgumentException when amount is negative or NaN (the value is unchanged)
     */
    public void inc(double amount) {
      if (!(amount >= 0)) { // also true for NaN
        throw new IllegalArgumentException("counter " + counter.metadata.name() + labels
            + ": increment must be >= 0 and not NaN, got " + amount);
      }
      long n = (long) amount;
      Thread t = Thread.currentThread();
      CounterCell c = stripes.owned(t);
      if (n == amount && n < EXACT_LONG_LIMIT) { // integral amounts stay exact in the long count
        if (c != null) {
          c.ownerAdd(n);
        } else {
          addSlow(t, n);
        }
      } else if (c != null) {
        c.ownerAdd(amount);
      } else {
        addSlow(t, amount);
      }
    }

    /**
     * Adds {@code amount} and records it as this child's latest exemplar.
     *
     * @param exemplarLabels e.g. {@code Labels.of("trace_id", "abc")}
     * @throws IllegalArgumentException for a bad amount, or labels longer than 128 characters in all
     */
    public void incWithExemplar(double amount, Labels exemplarLabels) {
      ExemplarLabels.check(counter.metadata.name(), exemplarLabels);
      inc(amount);
      exemplar = new Exemplar(exemplarLabels, amount, clock.currentTimeMillis());
    }

    /** The current total. Concurrent increments may or may not be included. */
    public double get() {
      long count = 0;
      double sum = 0;
      for (Cell cell : stripes.cells()) {
        if (cell != null) {
          CounterCell c = (CounterCell) cell;
          count += c.count();
          sum += c.sum();
        }
      }
      return count + sum;
    }

    /** The latest exemplar, or null. */
    public Exemplar exemplar() {
      return exemplar;
    }

    /** When this child was created (wall-clock ms), exposed as {@code _created}. */
    public long createdTimestampMillis() {
      return createdMillis;
    }

    private void addSlow(Thread t, long n) {
      CounterCell c = stripes.claim(t);
      if (c != null) {
        c.ownerAdd(n);
      } else {
        stripes.shared(t).sharedAdd(n);
      }
    }

    private void addSlow(Thread t, double d) {
      CounterCell c = stripes.claim(t);
      if (c != null) {
        c.ownerAdd(d);
      } else {
        stripes.shared(t).sharedAdd(d);
      }
    }
  }

  /** Settles a counter's configuration; nothing can change once built. */
  public static final class Builder {
    private final MetricSettings s = new MetricSettings();

    private Builder() {}

    /** Metric name; a trailing {@code _total} is removed (the exposition adds it back). Required. */
    public Builder name(String name) {
      s.name(name);
      return this;
    }

    /** Help text. */
    public Builder help(String help) {
      s.help(help);
      return this;
    }

    /** Unit (e.g. {@code bytes}); the name must then end in {@code _bytes} (before {@code _total}). */
    public Builder unit(String unit) {
      s.unit(unit);
      return this;
    }

    /** Label names, in the order {@link Counter#labelValues} takes the values. */
    public Builder labelNames(String... names) {
      s.labelNames(names);
      return this;
    }

    /** Labels added to every data point. */
    public Builder constLabels(Labels labels) {
      s.constLabels(labels);
      return this;
    }

    /** Clock for created timestamps and exemplars (tests). */
    public Builder clock(Clock clock) {
      s.clock(clock);
      return this;
    }

    /**
     * Builds the counter without registering it.
     *
     * @throws IllegalArgumentException on an invalid name, unit or label name
     */
    public Counter build() {
      return new Counter(s);
    }

    /** Builds the counter and registers it. */
    public Counter register(Registry registry) {
      Counter c = build();
      registry.register(c);
      return c;
    }
  }
}
