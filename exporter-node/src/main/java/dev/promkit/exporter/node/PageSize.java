package dev.promkit.exporter.node;

import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel page size, which the JDK does not expose: read once from /proc/self/smaps. */
final class PageSize {
  private static final long VALUE = read();

  private PageSize() {}

  static long get() {
    return VALUE;
  }

  private static long read() {
    try (var lines = Files.lines(Path.of("/proc/self/smaps"))) {
      return lines.filter(l -> l.startsWith("KernelPageSize:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(4096L);
    } catch (Exception e) {
      return 4096;
    }
  }
}
