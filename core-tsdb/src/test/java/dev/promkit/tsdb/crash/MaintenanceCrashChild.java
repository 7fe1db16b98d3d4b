package dev.promkit.tsdb.crash;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.fileutil.StepHook;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.wal.WalOptions;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link KillDuringMaintenanceTest}, run in its own JVM and killed with SIGKILL.
 * Opens the database, continues every series one {@link #STEP} after the newest stored timestamp and
 * appends {@link #STEPS_PER_BATCH} steps per commit, printing {@code ACK <t>} once a commit has
 * returned. Head compaction, WAL checkpoints and retention run by themselves (the production code
 * paths), on the database's background thread.
 *
 * <p>Arguments: the data directory, a target step of {@link StepHook} or {@code random:<seed>}, and
 * {@code sync} or {@code nosync} ({@link WalOptions#syncOnCommit()}: a commit is in the OS either way,
 * so a kill of the process must not lose it).
 * With a target, the child prints {@code PAUSED <step>} when the background thread reaches it and
 * blocks that thread there (appends go on) until it is killed. The target {@code file.deleted} counts
 * only the first file deleted after {@code retention.before-delete}, so the kill lands in a half
 * deleted block. With {@code random}, every step is slowed by 0–20 ms so that random kill times
 * land inside the multi-step operations more often.
 */
public final class MaintenanceCrashChild {
  static final int SERIES = 100;
  static final int STEPS_PER_BATCH = 10;
  static final long STEP = 60_000; // one sample a minute: a 2 h block holds 120 steps
  static final long RANGE = 2 * 3600_000L;
  static final long RETENTION = 3 * RANGE;
  static final String METRIC = "crash_maint";

  private static volatile boolean paused; // the background thread is held at the target step

  private MaintenanceCrashChild() {}

  static TsdbOptions options(Path dir) {
    return TsdbOptions.defaults().withDir(dir).withRetentionMs(RETENTION);
  }

  static WalOptions walOptions() {
    // 32 KiB segments: ~3 batches each, so every head compaction has segments to checkpoint and delete
    return WalOptions.defaults().withSegmentSize(32 * 1024);
  }

  static WalOptions walOptions(boolean syncOnCommit) {
    return walOptions().withSyncOnCommit(syncOnCommit);
  }

  static Labels labels(int s) {
    return Labels.of("__name__", METRIC, "s", Integer.toString(s));
  }

  static double value(int s, long t) {
    return (t / STEP) * 1000.0 + s;
  }

  /** Newest timestamp of the test series, 0 when there is none. */
  static long newest(Tsdb db) {
    long max = 0;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(false, null, LabelMatcher.eq("__name__", METRIC));
      ChunkIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next() == ValueType.FLOAT) {
          max = Math.max(max, it.atT());
        }
        if (it.err() != null) {
          throw new IllegalStateException(it.err());
        }
      }
      if (set.err() != null) {
        throw new IllegalStateException(set.err());
      }
    }
    return max;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String target = args[1];
    boolean sync = !"nosync".equals(args[2]);
    Random slow = target.startsWith("random:") ? new Random(Long.parseLong(target.substring(7))) : null;
    boolean[] retentionSeen = {false};
    StepHook.install(step -> {
      if (slow != null) {
        sleep(slow.nextInt(21));
        return;
      }
      if (step.equals("retention.before-delete")) {
        retentionSeen[0] = true;
      }
      boolean hit = step.equals(target) && (!step.equals("file.deleted") || retentionSeen[0]);
      if (hit) {
        paused = true;
        System.out.println("PAUSED " + step);
        System.out.flush();
        sleep(120_000); // killed here
      }
    });
    try (Tsdb db = Tsdb.open(options(dir), walOptions(sync))) {
      long t = newest(db) + STEP;
      System.out.println("START " + t);
      System.out.flush();
      long[] refs = new long[SERIES];
      Appender app = db.appender();
      while (true) {
        for (int k = 0; k < STEPS_PER_BATCH; k++, t += STEP) {
          for (int s = 0; s < SERIES; s++) {
            refs[s] = app.append(refs[s], labels(s), t, value(s, t));
          }
        }
        app.commit();
        System.out.println("ACK " + (t - STEP));
        System.out.flush();
        // Back-pressure, as a scraper would feel it: wait while compaction lags (the head spans > 4 block
        // ranges), so that the data each round adds stays small. Not while paused at the target: killed then.
        while (db.head().maxTime() - db.head().minTime() > 4 * RANGE && !paused) {
          Thread.sleep(2);
        }
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
