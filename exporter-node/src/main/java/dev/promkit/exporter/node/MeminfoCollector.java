package dev.promkit.exporter.node;

/**
 * {@code meminfo}: every /proc/meminfo field as {@code node_memory_<Field>[_bytes]}; {@code (anon)}
 * becomes {@code _anon}, and a {@code kB} field is multiplied by 1024 and named {@code _bytes}.
 */
final class MeminfoCollector implements NodeCollector {
  private final HostPaths paths;
  // "Active(anon):" -> {name, help} without unit, then {name, help} of the kB (bytes) form.
  private final KeyCache<String[]> names = new KeyCache<>(field -> {
    if (!field.endsWith(":")) {
      return null;
    }
    String key = field.substring(0, field.length() - 1).replace("(", "_").replace(")", "");
    String bytes = key + "_bytes";
    return new String[] {"node_memory_" + key, "Memory information field " + key + ".",
        "node_memory_" + bytes, "Memory information field " + bytes + "."};
  });

  MeminfoCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void update(Families out) throws Exception {
    try (ProcText t = ProcText.read(paths.proc("meminfo"))) {
      while (t.nextLine()) {
        if (!t.nextField()) {
          continue;
        }
        String[] n = names.get(t.field());
        if (n == null || !t.nextField()) {
          continue;
        }
        double v = t.fieldDouble();
        if (t.nextField() && t.fieldIs("kB")) {
          out.gauge(n[2], n[3], v * 1024);
        } else {
          out.gauge(n[0], n[1], v);
        }
      }
    }
  }
}
