package dev.promkit.tsdb.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.fileutil.StepHook;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention runs after every block a head compaction cuts, not once after the whole run: when
 * appends outrun compaction (found by {@link KillDuringMaintenanceTest}: a child appending without
 * fsync kept one compaction loop busy for minutes), old blocks must still go.
 */
class RetentionDuringCompactionTest {
  private static final long H = 3_600_000L;
  private static final long RANGE = 2 * H;

  @TempDir Path dir;

  @Test
  void retentionRunsAfterEachBlockWhileALongHeadIsCutIntoMany() throws IOException {
    long t0 = 1_700_006_400_000L; // a multiple of 2 h
    AtomicInteger maxBlocksOnDisk = new AtomicInteger();
    TsdbOptions opts = TsdbOptions.defaults().withDir(dir).withRetentionMs(2 * RANGE);
    try (Tsdb db = Tsdb.open(opts, WalOptions.defaults().withSyncOnCommit(false))) {
      // 30 h in one commit: the next compaction cuts ~13 blocks in one loop (the background one may start it)
      Appender app = db.appender();
      for (long t = t0; t < t0 + 30 * H; t += 60_000) {
        app.append(0, Labels.of("__name__", "m"), t, t);
      }
      StepHook.install(step -> {
        if (step.equals("block.before-rename")) {
          maxBlocksOnDisk.accumulateAndGet(blockDirs(dir), Math::max);
        }
      });
      try {
        app.commit();
        db.compactHead();
      } finally {
        StepHook.install(null);
      }
      assertEquals(3, db.blocks().size(), "retention keeps the blocks ending within 2 ranges of the newest");
    }
    // at most the retained 3 plus the previous block awaiting the retention run after it
    assertTrue(maxBlocksOnDisk.get() <= 4, "blocks on disk while cutting: " + maxBlocksOnDisk.get());
  }

  private static int blockDirs(Path dir) {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "??????????????????????????")) {
      for (Path p : ds) {
        n += Files.isDirectory(p) ? 1 : 0;
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return n;
  }
}
