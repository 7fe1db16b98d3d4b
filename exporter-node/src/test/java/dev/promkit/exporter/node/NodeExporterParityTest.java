package dev.promkit.exporter.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Parity with the real node_exporter 1.5 on this machine: both are scraped over HTTP (real, ours,
 * real again) and compared family by family. Both run with the same collector options (the real one
 * is given ours explicitly, since distribution packages change some defaults).
 */
@Tag("interop")
class NodeExporterParityTest {
  private static Map<String, TextFamilies.Family> real1;
  private static Map<String, TextFamilies.Family> ours;
  private static Map<String, TextFamilies.Family> real2;
  private static Map<String, String> allowList;

  @BeforeAll
  static void scrapeBoth() throws Exception {
    allowList = loadAllowList();
    Map<String, String> options = new LinkedHashMap<>();
    options.put("filesystem.mount-points-exclude", FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE);
    options.put("filesystem.fs-types-exclude", FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE);
    options.put("diskstats.device-exclude", DiskstatsCollector.DEFAULT_DEVICE_EXCLUDE);
    options.put("netdev.device-exclude", "^$");
    options.put("netclass.ignored-devices", NetclassCollector.DEFAULT_IGNORED_DEVICES);
    options.put("vmstat.fields", SimpleCollectors.DEFAULT_VMSTAT_FIELDS);
    options.put("netstat.fields", SimpleCollectors.DEFAULT_NETSTAT_FIELDS);
    // Upstream's empty textfile directory (Debian's package points it at /var/lib/prometheus/node-exporter).
    List<String> realArgs = new ArrayList<>(List.of("--collector.textfile.directory="));
    List<String> ourArgs = new ArrayList<>();
    options.forEach((k, v) -> {
      realArgs.add("--collector." + k + "=" + v);
      ourArgs.add("--collector." + k + "=" + v);
    });
    int ourPort = Peers.freePort();
    ourArgs.add("--web.listen-address=127.0.0.1:" + ourPort);
    try (Peer real = Peer.nodeExporter(realArgs.toArray(new String[0]))) {
      try (MetricsServer server = NodeExporterMain.start(NodeExporterMain.parse(ourArgs.toArray(new String[0])))) {
        real1 = TextFamilies.parse(get(URI.create(real.baseUrl() + "/metrics")));
        ours = TextFamilies.parse(get(URI.create("http://127.0.0.1:" + ourPort + "/metrics")));
        real2 = TextFamilies.parse(get(URI.create(real.baseUrl() + "/metrics")));
      }
    }
  }

  @AfterAll
  static void report() {
    if (real1 != null) {
      Set<String> extra = new TreeSet<>(ours.keySet());
      extra.removeAll(real1.keySet());
      System.out.println("families only promkit emits on this machine: " + extra);
    }
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  private static Map<String, String> loadAllowList() throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    try (InputStream in = NodeExporterParityTest.class.getResourceAsStream("/parity-allowlist.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("\\s+", 2);
        if (parts.length < 2 || parts[1].isBlank()) {
          throw new IllegalStateException("parity-allowlist.txt: entry without a reason: " + line);
        }
        m.put(parts[0], parts[1]);
      }
    }
    return m;
  }

  private static boolean allowed(String family) {
    for (String entry : allowList.keySet()) {
      if (entry.endsWith("*") ? family.startsWith(entry.substring(0, entry.length() - 1)) : family.equals(entry)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> labelNames(TextFamilies.Family f) {
    Set<String> names = new TreeSet<>();
    for (TextFamilies.Sample s : f.samples) {
      for (int i = 0; i < s.labels().size(); i++) {
        names.add(s.labels().name(i));
      }
    }
    return names;
  }

  private static Set<String> values(Map<String, TextFamilies.Family> fams, String family, String label) {
    Set<String> out = new TreeSet<>();
    TextFamilies.Family f = fams.get(family);
    if (f != null) {
      f.samples.forEach(s -> out.add(s.labels().get(label)));
    }
    return out;
  }

  @Test
  void everyRealFamilyIsEmittedWithSameTypeAndLabelsOrAllowListed() {
    List<String> problems = new ArrayList<>();
    for (TextFamilies.Family real : real1.values()) {
      if (real.samples.isEmpty()) {
        continue; // TYPE without samples (e.g. a vector with no children)
      }
      TextFamilies.Family mine = ours.get(real.name);
      if (mine == null) {
        if (!allowed(real.name)) {
          problems.add("missing " + real.name + " (" + real.type + ", labels " + labelNames(real) + ")");
        }
        continue;
      }
      if (!real.type.equals(mine.type)) {
        problems.add(real.name + ": type " + mine.type + ", node_exporter has " + real.type);
      }
      if (!labelNames(real).equals(labelNames(mine))) {
        problems.add(real.name + ": labels " + labelNames(mine) + ", node_exporter has " + labelNames(real));
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void allowListDoesNotHideFamiliesWeEmit() {
    for (String family : ours.keySet()) {
      assertFalse(allowed(family) && real1.containsKey(family) && !family.startsWith("process_"),
          family + " is emitted by promkit but allow-listed: remove it from parity-allowlist.txt");
    }
  }

  @Test
  void sameCpuDeviceAndMountPointLabelValues() {
    assertEquals(values(real1, "node_cpu_seconds_total", "cpu"), values(ours, "node_cpu_seconds_total", "cpu"));
    assertEquals(values(real1, "node_cpu_seconds_total", "mode"), values(ours, "node_cpu_seconds_total", "mode"));
    assertEquals(values(real1, "node_disk_reads_completed_total", "device"),
        values(ours, "node_disk_reads_completed_total", "device"));
    assertEquals(values(real1, "node_network_receive_bytes_total", "device"),
        values(ours, "node_network_receive_bytes_total", "device"));
    assertEquals(values(real1, "node_network_up", "device"), values(ours, "node_network_up", "device"));
    assertEquals(values(real1, "node_filesystem_size_bytes", "mountpoint"),
        values(ours, "node_filesystem_size_bytes", "mountpoint"));
    assertFalse(values(ours, "node_cpu_seconds_total", "cpu").isEmpty());
  }

  @Test
  void stableValuesAreEqual() {
    for (String name : List.of("node_memory_MemTotal_bytes", "node_boot_time_seconds", "node_filefd_maximum",
        "node_entropy_pool_size_bits", "node_nf_conntrack_entries_limit", "node_memory_SwapTotal_bytes")) {
      if (real1.containsKey(name)) {
        assertEquals(real1.get(name).byLabels(), ours.get(name).byLabels(), name);
      }
    }
    for (String name : List.of("node_filesystem_size_bytes", "node_filesystem_files", "node_filesystem_readonly",
        "node_filesystem_device_error", "node_network_mtu_bytes", "node_network_info", "node_disk_info",
        "node_uname_info", "node_os_info", "node_os_version", "node_time_zone_offset_seconds",
        "node_network_iface_id", "node_network_flags", "node_network_speed_bytes")) {
      if (real1.containsKey(name)) {
        assertEquals(real1.get(name).byLabels(), ours.get(name).byLabels(), name);
      }
    }
  }

  @Test
  void countersLieBetweenTheTwoRealScrapes() {
    List<String> problems = new ArrayList<>();
    for (String name : List.of("node_cpu_seconds_total", "node_context_switches_total", "node_forks_total",
        "node_intr_total", "node_disk_reads_completed_total", "node_disk_writes_completed_total",
        "node_network_receive_packets_total", "node_network_transmit_packets_total",
        "node_network_receive_bytes_total", "node_vmstat_pgfault", "node_pressure_cpu_waiting_seconds_total")) {
      TextFamilies.Family before = real1.get(name);
      TextFamilies.Family after = real2.get(name);
      if (before == null) {
        continue;
      }
      Map<Labels, Double> mine = ours.get(name).byLabels();
      for (Map.Entry<Labels, Double> e : before.byLabels().entrySet()) {
        double lo = e.getValue();
        double hi = after.byLabels().get(e.getKey());
        Double v = mine.get(e.getKey());
        // node_exporter keeps a CPU counter that the kernel moved backwards at its old value (NO_HZ
        // idle accounting jitters by a tick or two); we expose the kernel's reading as is.
        double eps = Math.max(1e-9 * Math.max(1, Math.abs(hi)), name.startsWith("node_cpu_") ? 0.05 : 0);
        if (v == null || v < lo - eps || v > hi + eps) {
          problems.add(name + e.getKey() + " = " + v + ", node_exporter went " + lo + " -> " + hi);
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
