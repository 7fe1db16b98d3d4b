package dev.promkit.exporter.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * statfs(2) of mount points, which the JDK offers only in part (bytes, no inodes). {@link #best}
 * calls statvfs(3) through JNA, one mount at a time on a worker thread with a per-mount timeout
 * ({@link GuardedStatfs}). Where JNA cannot load, one coreutils {@code stat -f} child process
 * answers for all mount points of a scrape, bounded by a timeout; when {@code stat} cannot be run
 * either, bytes come from {@link FileStore} and inode counts are left out.
 */
final class Statfs {
  private static final System.Logger LOG = System.getLogger(Statfs.class.getName());
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  /**
   * One file system's counters, as node_exporter reads them.
   *
   * @param blocks total blocks
   * @param free free blocks
   * @param avail blocks available to unprivileged users
   * @param blockSize f_bsize, the unit node_exporter multiplies block counts by
   * @param files total inodes, -1 when unknown
   * @param filesFree free inodes, -1 when unknown
   */
  record Stats(long blocks, long free, long avail, long blockSize, long files, long filesFree) {}

  /** Reads many mount points at once. */
  interface Reader {
    /** Per path its stats, or null where statfs failed (the path is missing or unreadable). */
    Stats[] read(List<Path> paths);
  }

  private Statfs() {}

  /**
   * statvfs(3) through JNA with a per-mount timeout; the {@code stat -f} reader when JNA or its
   * native library cannot be loaded (logged once per JVM).
   */
  static Reader best(long timeoutMillis) {
    try {
      return new GuardedStatfs(NativeStatfs.load(), timeoutMillis);
    } catch (LinkageError | RuntimeException e) {
      if (FALLBACK_LOGGED.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "statvfs through JNA unavailable ({0}); "
            + "filesystem collector runs stat -f per scrape", e.toString());
      }
      return command(timeoutMillis);
    }
  }

  /** The {@code stat -f} reader with a JDK fallback. */
  static Reader command(long timeoutMillis) {
    return paths -> {
      try {
        return viaStat(paths, timeoutMillis);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "stat -f unavailable ({0}); no inode counts", e.getMessage());
        return viaFileStore(paths);
      }
    };
  }

  static Stats[] viaStat(List<Path> paths, long timeoutMillis) throws IOException {
    Stats[] out = new Stats[paths.size()];
    if (paths.isEmpty()) {
      return out;
    }
    List<String> cmd = new ArrayList<>(List.of("stat", "-f", "-c", "%b %f %a %s %c %d %n", "--"));
    for (Path p : paths) {
      cmd.add(p.toString());
    }
    Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      // A line per mount point, far below the pipe buffer: waiting before reading cannot block.
      if (!proc.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        proc.destroyForcibly();
        LOG.log(System.Logger.Level.WARNING, "stat -f did not answer within {0} ms (a hung mount?)", timeoutMillis);
        return out;
      }
    } catch (InterruptedException e) {
      proc.destroyForcibly();
      Thread.currentThread().interrupt();
      return out;
    }
    byte[] stdout;
    try (InputStream in = proc.getInputStream()) {
      stdout = in.readAllBytes();
    }
    Map<String, Stats> byName = new HashMap<>();
    for (String line : new String(stdout, StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split(" ", 7);
      if (f.length < 7) {
        continue;
      }
      try {
        byName.put(f[6], new Stats(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
            Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])));
      } catch (NumberFormatException e) {
        // a line we do not understand: that mount is reported as an error
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = byName.get(paths.get(i).toString());
    }
    return out;
  }

  static Stats[] viaFileStore(List<Path> paths) {
    Stats[] out = new Stats[paths.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        FileStore s = Files.getFileStore(paths.get(i));
        // Unit of 1 byte: the JDK already multiplied the block counts.
        out[i] = new Stats(s.getTotalSpace(), s.getUnallocatedSpace(), s.getUsableSpace(), 1, -1, -1);
      } catch (IOException | SecurityException e) {
        out[i] = null;
      }
    }
    return out;
  }
}
