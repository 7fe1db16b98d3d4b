package dev.promkit.pushgateway;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.util.List;

/** Hand-built snapshots for push tests. */
final class Snapshots {
  private Snapshots() {}

  static CounterSnapshot counter(String name, double value) {
    return new CounterSnapshot(MetricMetadata.of(name, "a counter"), List.of(new CounterDataPoint(Labels.EMPTY, value)));
  }

  static GaugeSnapshot gauge(String name, double value) {
    return new GaugeSnapshot(MetricMetadata.of(name, "a gauge"), List.of(new GaugeDataPoint(Labels.EMPTY, value)));
  }

  static Registry registry(MetricSnapshot... families) {
    Registry r = new Registry();
    MetricSnapshots s = MetricSnapshots.of(families);
    r.register(() -> s);
    return r;
  }
}
