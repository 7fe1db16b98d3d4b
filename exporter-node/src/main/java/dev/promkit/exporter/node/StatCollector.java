package dev.promkit.exporter.node;

/** {@code stat}: boot time, context switches, forks, interrupts and process counts from /proc/stat. */
final class StatCollector implements NodeCollector {
  private final HostPaths paths;

  StatCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void update(Families out) throws Exception {
    for (String line : HostPaths.lines(paths.proc("stat"))) {
      String[] f = HostPaths.fields(line);
      if (f.length < 2) {
        continue;
      }
      double v = Double.parseDouble(f[1]);
      switch (f[0]) {
        case "intr":
          out.counter("node_intr_total", "Total number of interrupts serviced.", v);
          break;
        case "ctxt":
          out.counter("node_context_switches_total", "Total number of context switches.", v);
          break;
        case "btime":
          out.gauge("node_boot_time_seconds", "Node boot time, in unixtime.", v);
          break;
        case "processes":
          out.counter("node_forks_total", "Total number of forks.", v);
          break;
        case "procs_running":
          out.gauge("node_procs_running", "Number of processes in runnable state.", v);
          break;
        case "procs_blocked":
          out.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", v);
          break;
        default:
          break;
      }
    }
  }
}
