package dev.promkit.exporter.node;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Inode counts through coreutils' {@code stat -f} (statfs(2)), one process for all mount points of
 * a scrape: the JDK has no statvfs, and a fork per scrape is cheaper than a native binding.
 */
final class StatfsInodeReader implements FilesystemCollector.InodeReader {
  private static final System.Logger LOG = System.getLogger(StatfsInodeReader.class.getName());
  private final long timeoutMillis;

  StatfsInodeReader(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public long[][] read(List<Path> paths) {
    long[][] out = new long[paths.size()][];
    List<String> cmd = new ArrayList<>(List.of("stat", "-f", "-c", "%c %d %n", "--"));
    for (Path p : paths) {
      cmd.add(p.toString());
    }
    try {
      Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      // Output is a line per mount, far below the pipe buffer, so waiting before reading cannot block.
      if (!proc.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        proc.destroyForcibly();
        return out;
      }
      byte[] stdout;
      try (InputStream in = proc.getInputStream()) {
        stdout = in.readAllBytes();
      }
      Map<String, long[]> byName = new HashMap<>();
      for (String line : new String(stdout, StandardCharsets.UTF_8).split("\n")) {
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (b < 0) {
          continue;
        }
        try {
          byName.put(line.substring(b + 1),
              new long[] {Long.parseLong(line.substring(0, a)), Long.parseLong(line.substring(a + 1, b))});
        } catch (NumberFormatException e) {
          // a line we do not understand: leave that mount without inode counts
        }
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = byName.get(paths.get(i).toString());
      }
    } catch (java.io.IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "stat -f unavailable, no inode counts: {0}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
