package dev.promkit.exporter.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** {@code netclass}: interface properties from /sys/class/net/&lt;iface&gt;. */
final class NetclassCollector implements NodeCollector {
  /** node_exporter 1.5's {@code --collector.netclass.ignored-devices} default. */
  static final String DEFAULT_IGNORED_DEVICES = "^$";

  private final HostPaths paths;
  private final KeyCache<Boolean> ignored;

  NetclassCollector(HostPaths paths, Pattern ignored) {
    this.paths = paths;
    this.ignored = KeyCache.matches(ignored);
  }

  @Override
  public void update(Families out) throws Exception {
    Path root = paths.sys("class/net");
    if (!Files.isDirectory(root)) {
      throw new NodeCollector.NoDataException("no " + root);
    }
    for (String dev : HostPaths.list(root)) {
      Path dir = root.resolve(dev);
      if (ignored.test(dev) || !Files.isDirectory(dir)) {
        continue;
      }
      String operstate = str(dir, "operstate");
      out.gauge("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.",
          "up".equals(operstate) ? 1 : 0, "device", dev);
      out.gauge("node_network_info", "Non-numeric data from /sys/class/net/<iface>, value is always 1.", 1,
          "device", dev, "address", orEmpty(str(dir, "address")), "broadcast", orEmpty(str(dir, "broadcast")),
          "duplex", orEmpty(str(dir, "duplex")), "operstate", orEmpty(operstate),
          "ifalias", orEmpty(str(dir, "ifalias")));
      gauge(out, dev, "address_assign_type", num(dir, "addr_assign_type", 10));
      gauge(out, dev, "carrier", num(dir, "carrier", 10));
      counter(out, dev, "carrier_changes_total", num(dir, "carrier_changes", 10));
      counter(out, dev, "carrier_up_changes_total", num(dir, "carrier_up_count", 10));
      counter(out, dev, "carrier_down_changes_total", num(dir, "carrier_down_count", 10));
      gauge(out, dev, "device_id", num(dir, "dev_id", 16));
      gauge(out, dev, "dormant", num(dir, "dormant", 10));
      gauge(out, dev, "flags", num(dir, "flags", 16));
      gauge(out, dev, "iface_id", num(dir, "ifindex", 10));
      gauge(out, dev, "iface_link", num(dir, "iflink", 10));
      gauge(out, dev, "iface_link_mode", num(dir, "link_mode", 10));
      gauge(out, dev, "mtu_bytes", num(dir, "mtu", 10));
      gauge(out, dev, "name_assign_type", num(dir, "name_assign_type", 10));
      gauge(out, dev, "net_dev_group", num(dir, "netdev_group", 10));
      Long speed = num(dir, "speed", 10);
      // Mbit/s to bytes/s; node_exporter 1.5 keeps -1 ("unknown") as -125000 unless told to ignore it.
      gauge(out, dev, "speed_bytes", speed == null ? null : speed * 1000 * 1000 / 8);
      gauge(out, dev, "transmit_queue_length", num(dir, "tx_queue_len", 10));
      gauge(out, dev, "protocol_type", num(dir, "type", 10));
    }
  }

  private static void gauge(Families out, String dev, String prop, Long v) {
    if (v != null) {
      out.gauge("node_network_" + prop, "Network device property: " + prop, v, "device", dev);
    }
  }

  private static void counter(Families out, String dev, String prop, Long v) {
    if (v != null) {
      out.counter("node_network_" + prop, "Network device property: " + prop, v, "device", dev);
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  // Many attributes fail with EINVAL when the device is down or does not support them: absent.
  private static String str(Path dir, String attr) {
    try {
      return HostPaths.readTrimmed(dir.resolve(attr));
    } catch (IOException e) {
      return null;
    }
  }

  private static Long num(Path dir, String attr, int radix) {
    String s = str(dir, attr);
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return radix == 16 ? Long.parseLong(s.startsWith("0x") ? s.substring(2) : s, 16) : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
