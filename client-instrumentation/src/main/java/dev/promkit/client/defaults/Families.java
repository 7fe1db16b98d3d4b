package dev.promkit.client.defaults;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import java.util.List;

/** Small builders for single-point families, shared by the default collectors. */
final class Families {
  private Families() {}

  static GaugeSnapshot gauge(String name, String help, String unit, double value) {
    return new GaugeSnapshot(new MetricMetadata(name, help, unit), List.of(new GaugeDataPoint(Labels.EMPTY, value)));
  }

  static CounterSnapshot counter(String name, String help, String unit, double value) {
    return new CounterSnapshot(new MetricMetadata(name, help, unit),
        List.of(new CounterDataPoint(Labels.EMPTY, value)));
  }
}
