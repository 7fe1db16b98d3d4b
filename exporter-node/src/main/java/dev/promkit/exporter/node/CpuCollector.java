package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** {@code cpu}: per-CPU time by mode from /proc/stat, in seconds (USER_HZ is 100 on Linux). */
final class CpuCollector implements NodeCollector {
  private static final double USER_HZ = 100.0;
  private static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
  private static final String HELP = "Seconds the CPUs spent in each mode.";
  private static final String GUEST_HELP = "Seconds the CPUs spent in guests (VMs) for each mode.";

  /** What a CPU's lines need, built once per CPU: its label sets and sysfs paths. */
  private static final class Cpu {
    final String id;
    final Labels[] modes = new Labels[MODES.length];
    final Labels guestUser;
    final Labels guestNice;
    final Path throttleCount;
    final Path packageId;
    final Path coreId;

    Cpu(HostPaths paths, String id) {
      this.id = id;
      for (int m = 0; m < MODES.length; m++) {
        modes[m] = Labels.of("cpu", id, "mode", MODES[m]);
      }
      guestUser = Labels.of("cpu", id, "mode", "user");
      guestNice = Labels.of("cpu", id, "mode", "nice");
      throttleCount = paths.sys("devices/system/cpu/cpu" + id + "/thermal_throttle/core_throttle_count");
      packageId = paths.sys("devices/system/cpu/cpu" + id + "/topology/physical_package_id");
      coreId = paths.sys("devices/system/cpu/cpu" + id + "/topology/core_id");
    }
  }

  private final HostPaths paths;
  private final KeyCache<Cpu> cpus;

  CpuCollector(HostPaths paths) {
    this.paths = paths;
    this.cpus = new KeyCache<>(field -> new Cpu(paths, field.substring(3)));
  }

  @Override
  public void update(Families out) throws Exception {
    Set<String> throttledCores = new HashSet<>();
    double[] v = new double[10];
    try (ProcText t = ProcText.read(paths.proc("stat"))) {
      while (t.nextLine()) {
        if (!t.lineStartsWith("cpu") || t.lineStartsWith("cpu ") || !t.nextField()) {
          continue;
        }
        Cpu cpu = cpus.get(t.field());
        int n = 0;
        while (n < v.length && t.nextField()) {
          v[n++] = t.fieldDouble();
        }
        for (int m = 0; m < MODES.length && m < n; m++) {
          out.add(Families.Type.COUNTER, "node_cpu_seconds_total", HELP, v[m] / USER_HZ, cpu.modes[m]);
        }
        if (n >= 10) {
          out.add(Families.Type.COUNTER, "node_cpu_guest_seconds_total", GUEST_HELP, v[8] / USER_HZ, cpu.guestUser);
          out.add(Families.Type.COUNTER, "node_cpu_guest_seconds_total", GUEST_HELP, v[9] / USER_HZ, cpu.guestNice);
        }
        throttles(out, cpu, throttledCores);
      }
    }
  }

  // Thermal throttle counters exist only on bare metal with the thermal driver; hyper-threads share
  // their core's counter, which is exposed once per (package, core).
  private static void throttles(Families out, Cpu cpu, Set<String> seen) throws Exception {
    if (Files.isReadable(cpu.throttleCount) && Files.isReadable(cpu.packageId) && Files.isReadable(cpu.coreId)) {
      String pkg = HostPaths.readTrimmed(cpu.packageId);
      String core = HostPaths.readTrimmed(cpu.coreId);
      if (seen.add(pkg + "/" + core)) {
        out.counter("node_cpu_core_throttles_total", "Number of times this CPU core has been throttled.",
            Double.parseDouble(HostPaths.readTrimmed(cpu.throttleCount)), "core", core, "package", pkg);
      }
    }
  }
}
