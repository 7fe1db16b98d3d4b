package dev.promkit.exporter.node;

import java.io.IOException;
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
   * The file's content without surrounding white space, read with one large first read (see
   * {@link ProcText#read}) into a pooled buffer.
   */
  static String readTrimmed(Path p) throws IOException {
    try (ProcText t = ProcText.read(p)) {
      return t.trimmed();
    }
  }

  static List<String> lines(Path p) throws IOException {
    List<String> out = new ArrayList<>();
    try (ProcText t = ProcText.read(p)) {
      while (t.nextLine()) {
        out.add(t.line());
      }
    }
    return out;
  }

  /** Splits on runs of blanks (space, tab, CR, LF), ignoring leading and trailing ones; no regex. */
  static String[] fields(String line) {
    int n = 0;
    int len = line.length();
    for (int i = 0; i < len; ) {
      while (i < len && isBlank(line.charAt(i))) {
        i++;
      }
      if (i < len) {
        n++;
      }
      while (i < len && !isBlank(line.charAt(i))) {
        i++;
      }
    }
    String[] out = new String[n];
    int k = 0;
    for (int i = 0; i < len; ) {
      while (i < len && isBlank(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < len && !isBlank(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out[k++] = line.substring(start, i);
      }
    }
    return out;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
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
