package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.Locale;

/** {@code time}: system time, time zone offset and clock sources. */
final class TimeCollector implements NodeCollector {
  private final HostPaths paths;
  private final Clock clock;

  TimeCollector(HostPaths paths, Clock clock) {
    this.paths = paths;
    this.clock = clock;
  }

  /** The time_zone label set of the last (zone, daylight saving) seen: display names are slow to compute. */
  private volatile ZoneLabels lastZone;

  private record ZoneLabels(ZoneId zone, boolean dst, Labels labels) {}

  private Labels zoneLabels(ZoneId zone, boolean dst) {
    ZoneLabels z = lastZone;
    if (z == null || z.dst != dst || !z.zone.equals(zone)) {
      String abbrev = java.util.TimeZone.getTimeZone(zone).getDisplayName(dst, java.util.TimeZone.SHORT, Locale.ROOT);
      if (zone.getId().equals("Z") || zone.getId().equals("UTC") || zone.getId().equals("Etc/UTC")) {
        abbrev = "UTC";
      } else if (abbrev.startsWith("GMT") && abbrev.length() > 3) {
        abbrev = zone.getDisplayName(TextStyle.SHORT, Locale.ROOT);
      }
      z = new ZoneLabels(zone, dst, Labels.of("time_zone", abbrev));
      lastZone = z;
    }
    return z.labels;
  }

  @Override
  public void update(Families out) throws Exception {
    Instant now = clock.instant();
    out.gauge("node_time_seconds", "System time in seconds since epoch (1970).",
        now.getEpochSecond() + now.getNano() / 1e9);
    ZoneId zone = clock.getZone();
    boolean dst = zone.getRules().isDaylightSavings(now);
    out.add(Families.Type.GAUGE, "node_time_zone_offset_seconds", "System time zone offset in seconds.",
        zone.getRules().getOffset(now).getTotalSeconds(), zoneLabels(zone, dst));
    Path sources = paths.sys("devices/system/clocksource");
    if (!Files.isDirectory(sources)) {
      return;
    }
    for (String name : HostPaths.list(sources)) {
      if (!name.startsWith("clocksource")) {
        continue;
      }
      String device = name.substring("clocksource".length());
      Path dir = sources.resolve(name);
      Path available = dir.resolve("available_clocksource");
      if (Files.isReadable(available)) {
        for (String cs : HostPaths.fields(HostPaths.readTrimmed(available))) {
          out.gauge("node_time_clocksource_available_info",
              "Available clocksources read from '/sys/devices/system/clocksource'.", 1,
              "device", device, "clocksource", cs);
        }
      }
      Path current = dir.resolve("current_clocksource");
      if (Files.isReadable(current)) {
        out.gauge("node_time_clocksource_current_info",
            "Current clocksource read from '/sys/devices/system/clocksource'.", 1,
            "device", device, "clocksource", HostPaths.readTrimmed(current));
      }
    }
  }
}
