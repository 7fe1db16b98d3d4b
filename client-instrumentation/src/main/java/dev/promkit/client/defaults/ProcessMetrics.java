package dev.promkit.client.defaults;

import static dev.promkit.client.defaults.Families.counter;
import static dev.promkit.client.defaults.Families.gauge;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard {@code process_*} metrics, named as every Prometheus client library names them:
 * CPU seconds and file descriptors from the JDK's {@code com.sun.management} beans, memory from
 * {@code /proc/self/status} (Linux; left out elsewhere), start time from the JVM's start.
 */
final class ProcessMetrics implements Collector {
  private static final List<String> NAMES = List.of("process_cpu_seconds", "process_start_time_seconds",
      "process_open_fds", "process_max_fds", "process_virtual_memory_bytes", "process_resident_memory_bytes");

  private final Path procSelf;
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();

  /** Reads memory figures from {@code procSelf} (normally {@code /proc/self}). */
  ProcessMetrics(Path procSelf) {
    this.procSelf = procSelf;
  }

  @Override
  public List<String> metricNames() {
    return NAMES;
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      long cpuNanos = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      if (cpuNanos >= 0) {
        out.add(counter("process_cpu_seconds", "Total user and system CPU time spent in seconds.", "seconds",
            cpuNanos / 1e9));
      }
    }
    out.add(gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
        "seconds", runtime.getStartTime() / 1000.0));
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
      com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
      out.add(gauge("process_open_fds", "Number of open file descriptors.", "", unix.getOpenFileDescriptorCount()));
      out.add(gauge("process_max_fds", "Maximum number of open file descriptors.", "",
          unix.getMaxFileDescriptorCount()));
    }
    long[] memory = memoryFromStatus();
    if (memory != null) {
      out.add(gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", "bytes", memory[0]));
      out.add(gauge("process_resident_memory_bytes", "Resident memory size in bytes.", "bytes", memory[1]));
    }
    return MetricSnapshots.of(out);
  }

  /** {VmSize, VmRSS} in bytes, or null when the file is missing or lacks them. */
  long[] memoryFromStatus() {
    Path status = procSelf.resolve("status");
    List<String> lines;
    try {
      lines = Files.readAllLines(status, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return null; // not Linux, or /proc not mounted: leave the memory metrics out
    }
    long vm = -1;
    long rss = -1;
    for (String line : lines) {
      if (line.startsWith("VmSize:")) {
        vm = kilobytes(line);
      } else if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line);
      }
    }
    return vm < 0 || rss < 0 ? null : new long[] {vm, rss};
  }

  // "VmRSS:\t  123456 kB" -> 123456 * 1024
  private static long kilobytes(String line) {
    String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
    try {
      return Long.parseLong(parts[0]) * 1024;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
