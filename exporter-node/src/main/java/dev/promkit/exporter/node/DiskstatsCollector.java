package dev.promkit.exporter.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code diskstats}: /proc/diskstats per block device (sectors are 512 bytes, times in ms), plus
 * {@code node_disk_info} from the udev database.
 */
final class DiskstatsCollector implements NodeCollector {
  /** node_exporter 1.5's {@code --collector.diskstats.device-exclude} default. */
  static final String DEFAULT_DEVICE_EXCLUDE = "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";
  private static final double SECTOR = 512.0;
  private static final double MS = 0.001;

  // Index in the stats columns (after major, minor, name), name, help, scale, counter?
  private static final Object[][] FIELDS = {
      {0, "node_disk_reads_completed_total", "The total number of reads completed successfully.", 1.0},
      {1, "node_disk_reads_merged_total", "The total number of reads merged.", 1.0},
      {2, "node_disk_read_bytes_total", "The total number of bytes read successfully.", SECTOR},
      {3, "node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", MS},
      {4, "node_disk_writes_completed_total", "The total number of writes completed successfully.", 1.0},
      {5, "node_disk_writes_merged_total", "The number of writes merged.", 1.0},
      {6, "node_disk_written_bytes_total", "The total number of bytes written successfully.", SECTOR},
      {7, "node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", MS},
      {8, "node_disk_io_now", "The number of I/Os currently in progress.", 1.0},
      {9, "node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", MS},
      {10, "node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", MS},
      {11, "node_disk_discards_completed_total", "The total number of discards completed successfully.", 1.0},
      {12, "node_disk_discards_merged_total", "The total number of discards merged.", 1.0},
      {13, "node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", 1.0},
      {14, "node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", MS},
      {15, "node_disk_flush_requests_total", "The total number of flush requests completed successfully", 1.0},
      {16, "node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", MS},
  };

  private final HostPaths paths;
  private final KeyCache<Boolean> excluded;

  DiskstatsCollector(HostPaths paths, Pattern exclude) {
    this.paths = paths;
    this.excluded = KeyCache.matches(exclude);
  }

  @Override
  public void update(Families out) throws Exception {
    for (String line : HostPaths.lines(paths.proc("diskstats"))) {
      String[] f = HostPaths.fields(line);
      if (f.length < 14) {
        continue;
      }
      String dev = f[2];
      if (excluded.test(dev)) {
        continue;
      }
      Map<String, String> udev = udev(f[0], f[1]);
      out.gauge("node_disk_info", "Info of /sys/block/<block_device>.", 1,
          "device", dev, "major", f[0], "minor", f[1],
          "path", udev.getOrDefault("ID_PATH", ""), "wwn", udev.getOrDefault("ID_WWN", ""),
          "model", udev.getOrDefault("ID_MODEL", ""), "serial", udev.getOrDefault("ID_SERIAL_SHORT", ""),
          "revision", udev.getOrDefault("ID_REVISION", ""));
      int stats = f.length - 3;
      for (Object[] d : FIELDS) {
        int i = (Integer) d[0];
        if (i >= stats) {
          break;
        }
        String name = (String) d[1];
        double v = Double.parseDouble(f[3 + i]) * (Double) d[3];
        if (name.endsWith("_total")) {
          out.counter(name, (String) d[2], v, "device", dev);
        } else {
          out.gauge(name, (String) d[2], v, "device", dev);
        }
      }
    }
  }

  // udev keeps one file per device, "b<major>:<minor>", with "E:KEY=value" property lines.
  private Map<String, String> udev(String major, String minor) throws IOException {
    Map<String, String> props = new HashMap<>();
    Path p = paths.udevData().resolve("b" + major + ":" + minor);
    if (!Files.isReadable(p)) {
      return props;
    }
    for (String line : HostPaths.lines(p)) {
      if (line.startsWith("E:")) {
        int eq = line.indexOf('=');
        if (eq > 2) {
          props.put(line.substring(2, eq), line.substring(eq + 1));
        }
      }
    }
    return props;
  }
}
