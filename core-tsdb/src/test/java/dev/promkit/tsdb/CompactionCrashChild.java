package dev.promkit.tsdb;

import java.nio.file.Path;

/**
 * Child process of {@link CompactionCrashTest}: opens the database (block compaction starts at
 * once), prints {@code OPEN}, runs {@link Tsdb#compact()} to the end, prints {@code DONE}, then waits
 * to be killed.
 */
public final class CompactionCrashChild {
  private CompactionCrashChild() {}

  public static void main(String[] args) throws Exception {
    Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(Path.of(args[0])).withRetentionMs(0));
    System.out.println("OPEN");
    System.out.flush();
    db.compact();
    System.out.println("DONE " + db.blocks().size());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
