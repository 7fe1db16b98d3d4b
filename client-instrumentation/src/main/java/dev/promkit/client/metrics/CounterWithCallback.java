package dev.promkit.client.metrics;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A counter whose values are read at scrape time from a callback, for totals another component
 * keeps (bytes read by a library, GC counts). The callback must report values that never decrease.
 *
 * <pre>{@code
 * CounterWithCallback.builder().name("cache_hits_total").labelNames("cache")
 *     .callback(sink -> sink.accept(cache.hits(), "users")).register(registry);
 * }</pre>
 */
public final class CounterWithCallback implements Collector {
  private final CallbackMetric impl;

  private CounterWithCallback(CallbackMetric impl) {
    this.impl = impl;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Family name (without {@code _total}), help, unit. */
  public MetricMetadata metadata() {
    return impl.metadata();
  }

  /**
   * Runs the callback.
   *
   * @throws IllegalArgumentException when the callback reports a bad value or label set
   */
  @Override
  public MetricSnapshots collect() {
    List<CounterDataPoint> points = new ArrayList<>();
    for (CallbackMetric.Point p : impl.points()) {
      points.add(new CounterDataPoint(p.labels(), p.value()));
    }
    return MetricSnapshots.of(new CounterSnapshot(impl.metadata(), points));
  }

  @Override
  public List<String> metricNames() {
    return List.of(impl.metadata().name());
  }

  @Override
  public String toString() {
    return "counter " + impl.metadata().name() + " (callback)";
  }

  /** Settles the configuration. */
  public static final class Builder {
    private final MetricSettings s = new MetricSettings();
    private Consumer<CallbackSink> callback;

    private Builder() {}

    /** Metric name; a trailing {@code _total} is removed. Required. */
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

    /** Label names, in the order the callback reports values. */
    public Builder labelNames(String... names) {
      s.labelNames(names);
      return this;
    }

    /** Labels added to every data point. */
    public Builder constLabels(Labels labels) {
      s.constLabels(labels);
      return this;
    }

    /** The callback, run at every scrape. Required. */
    public Builder callback(Consumer<CallbackSink> callback) {
      this.callback = callback;
      return this;
    }

    /** Builds it without registering. */
    public CounterWithCallback build() {
      return new CounterWithCallback(
          new CallbackMetric(s, s.validate("counter", Set.of(), true), callback, "counter", true));
    }

    /** Builds and registers it. */
    public CounterWithCallback register(Registry registry) {
      CounterWithCallback c = build();
      registry.register(c);
      return c;
    }
  }
}
