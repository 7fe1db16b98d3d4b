package dev.promkit.exporter.node;

/**
 * {@code meminfo}: every /proc/meminfo field as {@code node_memory_<Field>[_bytes]}; {@code (anon)}
 * becomes {@code _anon}, and a {@code kB} field is multiplied by 1024 and named {@code _bytes}.
 */
final class MeminfoCollector implements NodeCollector {
  private final HostPaths paths;

  MeminfoCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void update(Families out) throws Exception {
    for (String line : HostPaths.lines(paths.proc("meminfo"))) {
      String[] f = HostPaths.fields(line);
      if (f.length < 2 || !f[0].endsWith(":")) {
        continue;
      }
      String key = f[0].substring(0, f[0].length() - 1).replace("(", "_").replace(")", "");
      double v = Double.parseDouble(f[1]);
      if (f.length == 3 && f[2].equals("kB")) {
        key += "_bytes";
        v *= 1024;
      }
      out.gauge("node_memory_" + key, "Memory information field " + key + ".", v);
    }
  }
}
