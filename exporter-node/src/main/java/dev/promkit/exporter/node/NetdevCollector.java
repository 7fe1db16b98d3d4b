package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code netdev}: per-interface traffic counters. node_exporter 1.5 reads rtnl_link_stats64 over
 * netlink. /proc/net/dev prints the same kernel fields in one read, except three columns that are
 * sums (drop adds rx_missed_errors; frame adds length, over and CRC errors; carrier adds aborted,
 * window and heartbeat errors) and rx_nohandler, which it lacks: those four come from the device's
 * sysfs {@code statistics/} files. A device without sysfs keeps the /proc/net/dev columns.
 */
final class NetdevCollector implements NodeCollector {
  // Exposed stat name, rtnl_link_stats64 field (sysfs file name), /proc/net/dev column or -1 (sysfs only).
  private static final Object[][] STATS = {
      {"receive_packets", "rx_packets", 1}, {"transmit_packets", "tx_packets", 9},
      {"receive_bytes", "rx_bytes", 0}, {"transmit_bytes", "tx_bytes", 8},
      {"receive_errs", "rx_errors", 2}, {"transmit_errs", "tx_errors", 10},
      {"receive_drop", "rx_dropped", -1}, {"transmit_drop", "tx_dropped", 11},
      {"receive_multicast", "multicast", 7}, {"transmit_colls", "collisions", 13},
      {"receive_nohandler", "rx_nohandler", -1}, {"receive_frame", "rx_frame_errors", -1},
      {"receive_fifo", "rx_fifo_errors", 4}, {"transmit_carrier", "tx_carrier_errors", -1},
      {"transmit_fifo", "tx_fifo_errors", 12}, {"receive_compressed", "rx_compressed", 6},
      {"transmit_compressed", "tx_compressed", 15},
  };
  // /proc/net/dev column order after the interface name.
  private static final String[] PROC_COLUMNS = {
      "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
      "receive_compressed", "receive_multicast", "transmit_bytes", "transmit_packets", "transmit_errs",
      "transmit_drop", "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed"};

  private static final String[] STAT_NAMES = new String[STATS.length];
  private static final String[] STAT_HELP = new String[STATS.length];
  private static final int[] STAT_COLUMN = new int[STATS.length];
  private static final String[] PROC_NAMES = new String[PROC_COLUMNS.length];
  private static final String[] PROC_HELP = new String[PROC_COLUMNS.length];

  static {
    for (int i = 0; i < STATS.length; i++) {
      STAT_NAMES[i] = "node_network_" + STATS[i][0] + "_total";
      STAT_HELP[i] = "Network device statistic " + STATS[i][0] + ".";
      STAT_COLUMN[i] = (Integer) STATS[i][2];
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
        files[i] = statistics.resolve((String) STATS[i][1]);
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
    double[] columns = new double[PROC_COLUMNS.length];
    try (ProcText t = ProcText.read(paths.proc("net/dev"))) {
      while (t.nextLine()) {
        // "  eth0: 123 456 ..."; the two header lines have '|' and no "name:" field.
        if (!t.nextField()) {
          continue;
        }
        String name;
        int n = 0;
        if (t.fieldEndsWith(':')) {
          name = t.fieldChopped();
          while (n < columns.length && t.nextField()) {
            columns[n++] = t.fieldDouble();
          }
        } else {
          // Old kernels glue a wide first counter to the name ("eth0:123456789"): the slow path.
          String line = t.line();
          int colon = line.indexOf(':');
          if (colon < 0 || line.indexOf('|') >= 0) {
            continue;
          }
          name = line.substring(0, colon).trim();
          for (String f : HostPaths.fields(line.substring(colon + 1))) {
            if (n < columns.length) {
              columns[n++] = Double.parseDouble(f);
            }
          }
        }
        if (excluded.test(name)) {
          continue;
        }
        Dev dev = devices.get(name);
        if (Files.isDirectory(dev.statistics)) {
          for (int i = 0; i < STATS.length; i++) {
            int col = STAT_COLUMN[i];
            double v;
            if (col >= 0 && col < n) {
              v = columns[col];
            } else {
              try (ProcText stat = ProcText.read(dev.files[i])) {
                v = Double.parseDouble(stat.trimmed());
              } catch (IOException e) {
                continue; // an attribute this kernel or driver does not have
              }
            }
            out.add(Families.Type.COUNTER, STAT_NAMES[i], STAT_HELP[i], v, dev.labels);
          }
        } else {
          for (int i = 0; i < n; i++) {
            out.add(Families.Type.COUNTER, PROC_NAMES[i], PROC_HELP[i], columns[i], dev.labels);
          }
        }
      }
    }
  }
}
