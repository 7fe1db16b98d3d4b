package dev.promkit.exporter.node;

/** {@code stat}: boot time, context switches, forks, interrupts and process counts from /proc/stat. */
final class StatCollector implements NodeCollector {
  private final HostPaths paths;

  StatCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void update(Families out) throws Exception {
    try (ProcText t = ProcText.read(paths.proc("stat"))) {
      while (t.nextLine()) {
        // Per-CPU lines are the cpu collector's; the "cpu" prefix test skips them without a string.
        if (t.lineStartsWith("cpu") || !t.nextField()) {
          continue;
        }
        String key = t.field();
        if (!t.nextField()) {
          continue;
        }
        switch (key) {
          case "intr":
            out.counter("node_intr_total", "Total number of interrupts serviced.", t.fieldDouble());
            break;
          case "ctxt":
            out.counter("node_context_switches_total", "Total number of context switches.", t.fieldDouble());
            break;
          case "btime":
            out.gauge("node_boot_time_seconds", "Node boot time, in unixtime.", t.fieldDouble());
            break;
          case "processes":
            out.counter("node_forks_total", "Total number of forks.", t.fieldDouble());
            break;
          case "procs_running":
            out.gauge("node_procs_running", "Number of processes in runnable state.", t.fieldDouble());
            break;
          case "procs_blocked":
            out.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.",
                t.fieldDouble());
            break;
          default:
            break;
        }
      }
    }
  }
}
