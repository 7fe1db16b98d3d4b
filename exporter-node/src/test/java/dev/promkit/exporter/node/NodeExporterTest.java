package dev.promkit.exporter.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeExporterTest {
  @Test
  void reportsDurationAndSuccessPerEnabledCollector() {
    Map<String, TextFamilies.Family> f = TextFamilies.of(Fixture.builder().build().collect());
    TextFamilies.Family success = f.get("node_scrape_collector_success");
    assertEquals(NodeExporter.availableCollectors().size(), success.samples.size());
    assertEquals(1, success.byLabels().get(Labels.of("collector", "cpu")));
    assertEquals(1, success.byLabels().get(Labels.of("collector", "filesystem")));
    assertTrue(f.get("node_scrape_collector_duration_seconds").byLabels().get(Labels.of("collector", "meminfo")) >= 0);
    assertTrue(f.containsKey("node_cpu_seconds_total"));
  }

  @Test
  void failingCollectorIsReportedAndOthersStillRun() {
    Path empty = Path.of("/nonexistent-promkit");
    Map<String, TextFamilies.Family> f = TextFamilies.of(NodeExporter.builder().procfs(empty).sysfs(empty)
        .rootfs(empty).disableDefaults().enable("meminfo").enable("time").build().collect());
    assertEquals(0, f.get("node_scrape_collector_success").byLabels().get(Labels.of("collector", "meminfo")));
    assertEquals(1, f.get("node_scrape_collector_success").byLabels().get(Labels.of("collector", "time")));
    assertTrue(f.containsKey("node_time_seconds"));
  }

  @Test
  void collectorSwitchesEnableAndDisable() {
    NodeExporter e = Fixture.builder().disable("netclass").disable("cpu").build();
    assertFalse(e.enabledCollectors().contains("netclass"));
    Map<String, TextFamilies.Family> f = TextFamilies.of(e.collect());
    assertFalse(f.containsKey("node_cpu_seconds_total"));
    assertFalse(f.containsKey("node_network_up"));
    assertEquals(List.of("loadavg"), Fixture.builder().disableDefaults().enable("loadavg").build().enabledCollectors());
  }

  @Test
  void unknownCollectorOrOptionIsRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeExporter.builder().enable("wifi"));
    assertTrue(e.getMessage().contains("'wifi'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NodeExporter.builder().option("nope", "x"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> NodeExporter.builder().option("vmstat.fields", "(("));
    assertTrue(bad.getMessage().contains("collector.vmstat.fields"), bad.getMessage());
  }

  @Test
  void optionsReachTheirCollector() {
    Map<String, TextFamilies.Family> f = TextFamilies.of(Fixture.builder().disableDefaults().enable("vmstat")
        .option("vmstat.fields", "^numa_").build().collect());
    assertTrue(f.containsKey("node_vmstat_numa_hit"));
    assertFalse(f.containsKey("node_vmstat_pgfault"));
  }

  @Test
  void registersInARegistry() {
    Registry r = new Registry();
    Fixture.builder().disableDefaults().enable("loadavg").build().register(r);
    Map<String, TextFamilies.Family> f = TextFamilies.of(r.scrape());
    assertEquals(0.03, f.get("node_load1").samples.get(0).value());
  }
}
