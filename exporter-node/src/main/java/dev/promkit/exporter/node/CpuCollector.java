package dev.promkit.exporter.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code cpu}: per-CPU time by mode from /proc/stat, in seconds (USER_HZ is 100 on Linux). */
final class CpuCollector implements NodeCollector {
  private static final double USER_HZ = 100.0;
  private static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
  private static final String HELP = "Seconds the CPUs spent in each mode.";
  private static final String GUEST_HELP = "Seconds the CPUs spent in guests (VMs) for each mode.";

  private final HostPaths paths;

  CpuCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void update(Families out) throws Exception {
    List<String> lines = HostPaths.lines(paths.proc("stat"));
    Set<String> throttledCores = new HashSet<>();
    for (String line : lines) {
      if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
        continue;
      }
      String[] f = HostPaths.fields(line);
      String cpu = f[0].substring(3);
      for (int m = 0; m < MODES.length && m + 1 < f.length; m++) {
        out.counter("node_cpu_seconds_total", HELP, Double.parseDouble(f[m + 1]) / USER_HZ,
            "cpu", cpu, "mode", MODES[m]);
      }
      if (f.length > 10) {
        out.counter("node_cpu_guest_seconds_total", GUEST_HELP, Double.parseDouble(f[9]) / USER_HZ,
            "cpu", cpu, "mode", "user");
        out.counter("node_cpu_guest_seconds_total", GUEST_HELP, Double.parseDouble(f[10]) / USER_HZ,
            "cpu", cpu, "mode", "nice");
      }
      throttles(out, cpu, throttledCores);
    }
  }

  // Thermal throttle counters exist only on bare metal with the thermal driver; hyper-threads share
  // their core's counter, which is exposed once per (package, core).
  private void throttles(Families out, String cpu, Set<String> seen) throws Exception {
    Path dir = paths.sys("devices/system/cpu/cpu" + cpu + "/thermal_throttle");
    Path core = dir.resolve("core_throttle_count");
    if (Files.isReadable(core)) {
      Path pkgId = paths.sys("devices/system/cpu/cpu" + cpu + "/topology/physical_package_id");
      Path coreId = paths.sys("devices/system/cpu/cpu" + cpu + "/topology/core_id");
      if (Files.isReadable(pkgId) && Files.isReadable(coreId)
          && seen.add(HostPaths.readTrimmed(pkgId) + "/" + HostPaths.readTrimmed(coreId))) {
        out.counter("node_cpu_core_throttles_total", "Number of times this CPU core has been throttled.",
            Double.parseDouble(HostPaths.readTrimmed(core)),
            "core", HostPaths.readTrimmed(coreId), "package", HostPaths.readTrimmed(pkgId));
      }
    }
  }
}
