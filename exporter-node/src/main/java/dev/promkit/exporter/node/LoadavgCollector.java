package dev.promkit.exporter.node;

/** {@code loadavg}: node_load1, node_load5, node_load15 from /proc/loadavg. */
final class LoadavgCollector implements NodeCollector {
  private final HostPaths paths;

  LoadavgCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void update(Families out) throws Exception {
    String[] f = HostPaths.fields(HostPaths.readTrimmed(paths.proc("loadavg")));
    if (f.length < 3) {
      throw new IllegalStateException("unexpected /proc/loadavg content: " + String.join(" ", f));
    }
    out.gauge("node_load1", "1m load average.", Double.parseDouble(f[0]));
    out.gauge("node_load5", "5m load average.", Double.parseDouble(f[1]));
    out.gauge("node_load15", "15m load average.", Double.parseDouble(f[2]));
  }
}
