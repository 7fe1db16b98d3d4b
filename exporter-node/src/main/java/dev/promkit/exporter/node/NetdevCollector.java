package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.Labels;
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

  private static final String[] STAT_NAMES = new String[STATS.length];
  private static final String[] STAT_HELP = new String[STATS.length];
  private static final String[] PROC_NAMES = new String[PROC_COLUMNS.length];
  private static final String[] PROC_HELP = new String[PROC_COLUMNS.length];

  static {
    for (int i = 0; i < STATS.length; i++) {
      STAT_NAMES[i] = "node_network_" + STATS[i][0] + "_total";
      STAT_HELP[i] = "Network device statistic " + STATS[i][0] + ".";
    }
    for (int i = 0; i < PROC_COLUMNS.length; i++) {
      PROC_NAMES[i] = "node_network_" + PROC_COLUMNS[i] + "_total";
      PROC_HELP[i] = "Network device statistic " + PROC_COLUMNS[i] + ".";
    }
  }

  /** A device's label set and sysfs statistics paths, built once per device name. */
  private static final class Dev {
    final Labels labels;
    final Path statistics;
    final Path[] files = new Path[STATS.length];

    Dev(HostPaths paths, String name) {
      labels = Labels.of("device", name);
      statistics = paths.sys("class/net/" + name + "/statistics");
      for (int i = 0; i < STATS.length; i++) {
        files[i] = statistics.resolve(STATS[i][1]);
      }
    }
  }

  private final HostPaths paths;
  private final KeyCache<Boolean> excluded;
  private final KeyCache<Dev> devices;

  NetdevCollector(HostPaths paths, Pattern exclude) {
    this.paths = paths;
    this.excluded = KeyCache.matches(exclude);
    this.devices = new KeyCache<>(name -> new Dev(paths, name));
  }

  @Override
  public void update(Families out) throws Exception {
    try (ProcText t = ProcText.read(paths.proc("net/dev"))) {
      while (t.nextLine()) {
        // "  eth0: 123 456 ..."; the two header lines have '|' and no "name:" field.
        if (!t.nextField()) {
          continue;
        }
        String name;
        String[] glued = null;
        if (t.fieldEndsWith(':')) {
          name = t.fieldChopped();
        } else {
          // Old kernels glue a wide first counter to the name ("eth0:123456789"): the slow path.
          String line = t.line();
          int colon = line.indexOf(':');
          if (colon < 0 || line.indexOf('|') >= 0) {
            continue;
          }
          name = line.substring(0, colon).trim();
          glued = HostPaths.fields(line.substring(colon + 1));
        }
        if (excluded.test(name)) {
          continue;
        }
        Dev dev = devices.get(name);
        if (Files.isDirectory(dev.statistics)) {
          for (int i = 0; i < STATS.length; i++) {
            double v;
            try (ProcText stat = ProcText.read(dev.files[i])) {
              v = Double.parseDouble(stat.trimmed());
            } catch (java.io.IOException e) {
              continue; // an attribute this kernel or driver does not have
            }
            out.add(Families.Type.COUNTER, STAT_NAMES[i], STAT_HELP[i], v, dev.labels);
          }
        } else if (glued != null) {
          for (int i = 0; i < PROC_COLUMNS.length && i < glued.length; i++) {
            out.add(Families.Type.COUNTER, PROC_NAMES[i], PROC_HELP[i], Double.parseDouble(glued[i]), dev.labels);
          }
        } else {
          for (int i = 0; i < PROC_COLUMNS.length && t.nextField(); i++) {
            out.add(Families.Type.COUNTER, PROC_NAMES[i], PROC_HELP[i], t.fieldDouble(), dev.labels);
          }
        }
      }
    }
  }
}
