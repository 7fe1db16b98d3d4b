package dev.promkit.client.metrics;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A gauge whose values are read at scrape time from a callback (queue sizes, pool states,
 * temperatures another component knows).
 *
 * <pre>{@code
 * GaugeWithCallback.builder().name("pool_connections").labelNames("state")
 *     .callback(sink -> {
 *       sink.accept(pool.active(), "active");
 *       sink.accept(pool.idle(), "idle");
 *     }).register(registry);
 * }</pre>
 */
public final class GaugeWithCallback implements Collector {
  private final CallbackMetric impl;

  private GaugeWithCallback(CallbackMetric impl) {
    this.impl = impl;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Family name, help, unit. */
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
    List<GaugeDataPoint> points = new ArrayList<>();
    for (CallbackMetric.Point p : impl.points()) {
      points.add(new GaugeDataPoint(p.labels(), p.value()));
    }
    return MetricSnapshots.of(new GaugeSnapshot(impl.metadata(), points));
  }

  @Override
  public List<String> metricNames() {
    return List.of(impl.metadata().name());
  }

  @Override
  public String toString() {
    return "gauge " + impl.metadata().name() + " (callback)";
  }

  /** Settles the configuration. */
  public static final class Builder {
    private final MetricSettings s = new MetricSettings();
    private Consumer<CallbackSink> callback;

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
    public GaugeWithCallback build() {
      return new GaugeWithCallback(
          new CallbackMetric(s, s.validate("gauge", Set.of(), false), callback, "gauge", false));
    }

    /** Builds and registers it. */
    public GaugeWithCallback register(Registry registry) {
      GaugeWithCallback c = build();
      registry.register(c);
      return c;
    }
  }
}
