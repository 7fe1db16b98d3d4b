package dev.promkit.client.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.InfoSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.SummarySnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultMetricsTest {

  private static MetricSnapshot family(MetricSnapshots s, String name) {
    return s.list().stream().filter(m -> m.metadata().name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("missing family " + name));
  }

  private static double single(MetricSnapshots s, String name) {
    return ((GaugeSnapshot) family(s, name)).dataPoints().get(0).value();
  }

  @Test
  void exposesProcessAndJvmFamiliesWithClientJavaNames() {
    Registry r = new Registry();
    DefaultMetrics.register(r);
    MetricSnapshots s = r.scrape();
    Set<String> names = new HashSet<>();
    s.forEach(m -> names.add(m.metadata().name()));
    for (String n : List.of("process_cpu_seconds", "process_start_time_seconds", "process_open_fds",
        "process_max_fds", "jvm_memory_used_bytes", "jvm_memory_pool_used_bytes", "jvm_gc_collection_seconds",
        "jvm_threads_current", "jvm_threads_state", "jvm_classes_loaded", "jvm_buffer_pool_used_bytes",
        "jvm_runtime")) {
      assertTrue(names.contains(n), "missing " + n + " in " + names);
    }
    if (Files.exists(Path.of("/proc/self/status"))) {
      assertTrue(single(s, "process_resident_memory_bytes") > 1 << 20, "RSS of a JVM exceeds 1 MiB");
    }
    double start = single(s, "process_start_time_seconds");
    double now = System.currentTimeMillis() / 1000.0;
    assertTrue(start > now - 3600 && start <= now, "start time " + start + " vs now " + now);
    assertTrue(single(s, "jvm_threads_current") >= 1);
    assertTrue(single(s, "process_open_fds") > 0);
    InfoSnapshot info = (InfoSnapshot) family(s, "jvm_runtime");
    assertEquals(System.getProperty("java.runtime.version"), info.dataPoints().get(0).labels().get("version"));
    SummarySnapshot gc = (SummarySnapshot) family(s, "jvm_gc_collection_seconds");
    assertTrue(!gc.dataPoints().isEmpty() && gc.dataPoints().get(0).labels().contains("gc"));
  }

  @Test
  void writesAndParsesBackInBothFormats() throws Exception {
    Registry r = new Registry();
    DefaultMetrics.register(r);
    for (ExpositionFormat f : ExpositionFormat.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      f.writer().write(out, r.scrape());
      MetricSnapshots parsed = ExpositionParser.parseSnapshots(f, out.toByteArray());
      assertTrue(parsed.size() >= 20, f + ": " + parsed.size() + " families");
    }
  }

  @Test
  void readsMemoryFromProcStatus(@TempDir Path proc) throws Exception {
    Files.writeString(proc.resolve("status"), "Name:\tjava\nVmPeak:\t 999 kB\nVmSize:\t  2048 kB\nVmRSS:\t   512 kB\n");
    long[] m = new ProcessMetrics(proc).memoryFromStatus();
    assertEquals(2048 * 1024, m[0]);
    assertEquals(512 * 1024, m[1]);
  }

  @Test
  void leavesMemoryOutWithoutProc(@TempDir Path empty) {
    assertNull(new ProcessMetrics(empty).memoryFromStatus());
    Registry r = new Registry();
    r.register(new ProcessMetrics(empty));
    assertTrue(r.scrape().list().stream().noneMatch(m -> m.metadata().name().startsWith("process_resident")));
  }

  @Test
  void refusesDoubleRegistration() {
    Registry r = new Registry();
    DefaultMetrics.register(r);
    assertThrows(IllegalArgumentException.class, () -> DefaultMetrics.register(r));
  }
}
