package dev.promkit.exporter.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code netdev}: per-interface traffic counters. node_exporter 1.5 reads them over netlink
 * (rtnl_link_stats64); sysfs {@code statistics/} exposes the same kernel fields, so this reads those
 * and falls back to /proc/net/dev where sysfs lacks a device.
 */
final class NetdevCollector implements NodeCollector {
  // Exposed stat name -> rtnl_link_stats64 field as named in sysfs statistics/.
  private static final String[][] STATS = {
      {"receive_packets", "rx_packets"}, {"transmit_packets", "tx_packets"},
      {"receive_bytes", "rx_bytes"}, {"transmit_bytes", "tx_bytes"},
      {"receive_errs", "rx_errors"}, {"transmit_errs", "tx_errors"},
      {"receive_drop", "rx_dropped"}, {"transmit_drop", "tx_dropped"},
      {"receive_multicast", "multicast"}, {"transmit_colls", "collisions"},
      {"receive_nohandler", "rx_nohandler"}, {"receive_frame", "rx_frame_errors"},
      {"receive_fifo", "rx_fifo_errors"}, {"transmit_carrier", "tx_carrier_errors"},
      {"transmit_fifo", "tx_fifo_errors"}, {"receive_compressed", "rx_compressed"},
      {"transmit_compressed", "tx_compressed"},
  };
  // /proc/net/dev column order after the interface name.
  private static final String[] PROC_COLUMNS = {
      "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
      "receive_compressed", "receive_multicast", "transmit_bytes", "transmit_packets", "transmit_errs",
      "transmit_drop", "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed"};

  private final HostPaths paths;
  private final Pattern exclude;

  NetdevCollector(HostPaths paths, Pattern exclude) {
    this.paths = paths;
    this.exclude = exclude;
  }

  @Override
  public void update(Families out) throws Exception {
    for (String line : HostPaths.lines(paths.proc("net/dev"))) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.contains("|")) {
        continue;
      }
      String dev = line.substring(0, colon).trim();
      if (exclude != null && exclude.matcher(dev).find()) {
        continue;
      }
      Path stats = paths.sys("class/net/" + dev + "/statistics");
      if (Files.isDirectory(stats)) {
        for (String[] s : STATS) {
          Path p = stats.resolve(s[1]);
          if (Files.isReadable(p)) {
            emit(out, dev, s[0], Double.parseDouble(HostPaths.readTrimmed(p)));
          }
        }
      } else {
        String[] f = HostPaths.fields(line.substring(colon + 1));
        for (int i = 0; i < PROC_COLUMNS.length && i < f.length; i++) {
          emit(out, dev, PROC_COLUMNS[i], Double.parseDouble(f[i]));
        }
      }
    }
  }

  private static void emit(Families out, String dev, String stat, double v) {
    out.counter("node_network_" + stat + "_total", "Network device statistic " + stat + ".", v, "device", dev);
  }
}
