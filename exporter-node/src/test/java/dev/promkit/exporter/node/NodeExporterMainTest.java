package dev.promkit.exporter.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.http.MetricsServer;
import dev.promkit.testing.KeepAliveTiming;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class NodeExporterMainTest {
  @Test
  void defaultsMatchNodeExporter() {
    NodeExporterMain.Options o = NodeExporterMain.parse(new String[0]);
    assertEquals(":9100", o.listenAddress());
    assertEquals("/metrics", o.telemetryPath());
    assertTrue(o.exporterMetrics());
    assertNull(NodeExporterMain.parse(new String[] {"--help"}));
  }

  @Test
  void rejectsUnknownFlagsAndBadValuesNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeExporterMain.parse(new String[] {"--web.listen-adress=:1"}));
    assertTrue(e.getMessage().contains("--web.listen-adress"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NodeExporterMain.parse(new String[] {"--collector.wifi"}));
    assertThrows(IllegalArgumentException.class, () -> NodeExporterMain.parse(new String[] {"--web.telemetry-path=x"}));
    assertThrows(IllegalArgumentException.class, () -> NodeExporterMain.address("9100"));
    assertThrows(IllegalArgumentException.class, () -> NodeExporterMain.address("host:port"));
  }

  @Test
  void servesFixtureHostAtTelemetryPathWithCollectorSwitches() throws Exception {
    String root = Fixture.root().toString();
    NodeExporterMain.Options o = NodeExporterMain.parse(new String[] {"--web.listen-address=127.0.0.1:0",
        "--web.telemetry-path=/node", "--path.procfs=" + root + "/proc", "--path.sysfs=" + root + "/sys",
        "--path.rootfs=" + root + "/root", "--collector.disable-defaults", "--collector.loadavg",
        "--collector.meminfo", "--no-collector.meminfo", "--web.disable-exporter-metrics"});
    try (MetricsServer server = NodeExporterMain.start(o)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getPort() + "/node")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("node_load15 1.5\n"), r.body());
      assertTrue(r.body().contains("node_scrape_collector_success{collector=\"loadavg\"} 1\n"), r.body());
      assertTrue(!r.body().contains("node_memory_"), "meminfo was switched off again");
      assertTrue(!r.body().contains("process_"), "exporter metrics were disabled");
    }
  }

  @Test
  void answersKeepAliveScrapesWithoutWaitingForDelayedAcks() throws Exception {
    String root = Fixture.root().toString();
    NodeExporterMain.Options o = NodeExporterMain.parse(new String[] {"--web.listen-address=127.0.0.1:0",
        "--path.procfs=" + root + "/proc", "--collector.disable-defaults", "--collector.loadavg",
        "--web.disable-exporter-metrics"});
    try (MetricsServer server = NodeExporterMain.start(o)) {
      KeepAliveTiming.assertScrapesDoNotWaitForDelayedAcks(
          URI.create("http://127.0.0.1:" + server.getPort() + "/metrics"));
    }
  }
}
