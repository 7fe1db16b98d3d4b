package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** The fixture host tree under src/test/resources/fixtures/host. */
final class Fixture {
  private Fixture() {}

  static Path root() {
    try {
      return Path.of(Fixture.class.getResource("/fixtures/host").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static HostPaths paths() {
    Path r = root();
    return new HostPaths(r.resolve("proc"), r.resolve("sys"), r.resolve("root"), r.resolve("udev"));
  }

  static NodeExporter.Builder builder() {
    Path r = root();
    return NodeExporter.builder().procfs(r.resolve("proc")).sysfs(r.resolve("sys")).rootfs(r.resolve("root"))
        .udevData(r.resolve("udev"));
  }

  /** Runs one collector on the fixture and returns its families by exposed name. */
  static Map<String, TextFamilies.Family> run(NodeCollector c) throws Exception {
    Families out = new Families();
    c.update(out);
    return TextFamilies.of(MetricSnapshots.of(out.toSnapshots()));
  }

  static double value(Map<String, TextFamilies.Family> fams, String name, String... labels) {
    TextFamilies.Family f = fams.get(name);
    if (f == null) {
      throw new AssertionError("no family " + name + " in " + fams.keySet());
    }
    Double v = f.byLabels().get(Labels.of(labels));
    if (v == null) {
      throw new AssertionError("no sample " + name + Labels.of(labels) + " in " + f.byLabels().keySet());
    }
    return v;
  }
}
