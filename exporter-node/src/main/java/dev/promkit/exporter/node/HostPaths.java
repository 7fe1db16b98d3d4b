package dev.promkit.exporter.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the exporter reads the host from: node_exporter's {@code --path.procfs}, {@code --path.sysfs},
 * {@code --path.rootfs} and {@code --path.udev.data}, so tests can point it at a fixture tree.
 */
record HostPaths(Path procfs, Path sysfs, Path rootfs, Path udevData) {
  static HostPaths live() {
    return new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/"), Path.of("/run/udev/data"));
  }

  Path proc(String rel) {
    return procfs.resolve(rel);
  }

  Path sys(String rel) {
    return sysfs.resolve(rel);
  }

  /** A path on the host's root file system (node_exporter's rootfsFilePath). */
  Path root(String absolute) {
    String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    return rel.isEmpty() ? rootfs : rootfs.resolve(rel);
  }

  /** Strips the rootfs prefix from a mount point, as node_exporter's rootfsStripPrefix does. */
  String stripRoot(String mountPoint) {
    String prefix = rootfs.toString();
    if (prefix.equals("/") || !mountPoint.startsWith(prefix)) {
      return mountPoint;
    }
    String stripped = mountPoint.substring(prefix.length());
    return stripped.isEmpty() ? "/" : stripped;
  }

  /**
   * The file's content without surrounding white space. Read with one large buffer: sysctl files
   * under /proc/sys answer a read at a non-zero offset with EOF, and Files.readAllBytes starts with a
   * one-byte read for files whose size is reported as 0.
   */
  static String readTrimmed(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  static List<String> lines(Path p) throws IOException {
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  /** Splits on runs of whitespace, ignoring leading blanks. */
  static String[] fields(String line) {
    String t = line.trim();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  /** The names in a directory, sorted. */
  static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    return names;
  }
}
