package dev.promkit.tsdb.crash;

import static dev.promkit.tsdb.crash.MaintenanceCrashChild.SERIES;
import static dev.promkit.tsdb.crash.MaintenanceCrashChild.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM ({@link MaintenanceCrashChild}) that appends while the database compacts its
 * head into blocks, checkpoints its WAL and deletes blocks beyond retention, then reopens the
 * directory here and checks the claims of core-tsdb's "Crash safety" section:
 *
 * <ul>
 *   <li>every sample whose commit returned in the child (printed {@code ACK}) and that retention has
 *       not dropped is queryable, exactly once and with its value; retention drops whole blocks only
 *       (every series starts at the oldest block's start) and never brings data back;
 *   <li>no {@code *.tmp-for-creation}, {@code *.tmp-for-deletion} or {@code wal/checkpoint.*.tmp}
 *       remains, and no block is reported damaged;
 *   <li>every loaded block is whole (its samples and series equal its meta.json) and no two blocks
 *       overlap (a block is never written twice).
 * </ul>
 *
 * The first rounds pause the child's background thread at one step each ({@code PAUSED <step>}) and
 * kill it there, after checking that the window really was open (e.g. the temporary directory
 * exists); the last rounds kill after random delays, every other one with the WAL's fsync on commit
 * off (a returned commit is in the OS's page cache, which a killed process does not lose).
 */
@Tag("slow")
class KillDuringMaintenanceTest {
  private static final String[] TARGETS = {
      "block.writing", "block.before-rename", "checkpoint.before-rename", "checkpoint.before-wal-truncate",
      "wal.segment-deleted", "retention.before-delete", "file.deleted"};
  private static final int RANDOM_ROUNDS = 4;

  @TempDir Path tmp;

  private long acked; // newest timestamp whose commit returned in some child
  private long oldest = Long.MIN_VALUE; // first timestamp of every series at the last check

  @Test
  void committedSamplesSurviveKillsDuringCompactionCheckpointsAndRetention() throws Exception {
    Path dir = tmp.resolve("db");
    Random rnd = new Random(20261127);
    long t0 = System.nanoTime();
    for (String target : TARGETS) {
      // fsync on commit off: fewer fsyncs to wait for on a busy machine; a SIGKILL loses nothing committed anyway
      Child c = Child.start(dir, target, false, tmp.resolve("child-" + target + ".log"));
      try {
        assertTrue(c.awaitLine("PAUSED " + target, 120_000), "the child never reached " + target + ": " + c.tail());
        c.kill();
        acked = Math.max(acked, c.lastAck.get());
        assertWindowWasOpen(dir, target);
      } finally {
        c.kill();
      }
      reopenAndCheck(dir, "after a kill at " + target);
    }
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
      // every other round without fsync on commit: a commit returned is in the OS, which a SIGKILL does not undo
      Child c = Child.start(dir, "random:" + rnd.nextLong(), round % 2 == 0, tmp.resolve("child-random-" + round
          + ".log"));
      try {
        assertTrue(c.awaitLine("START", 120_000), "the child did not start: " + c.tail());
        Thread.sleep(200 + rnd.nextInt(1200));
      } finally {
        c.kill();
      }
      acked = Math.max(acked, c.lastAck.get());
      reopenAndCheck(dir, "after random kill " + round);
    }
    System.out.println("KillDuringMaintenanceTest: " + (TARGETS.length + RANDOM_ROUNDS) + " kills, data up to t="
        + acked + " (" + acked / STEP + " steps), oldest retained t=" + oldest + ", "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    assertTrue(oldest > STEP, "retention deleted blocks along the way");
  }

  /** The kill happened inside the step's window: its half-done state is on disk before the reopen. */
  private static void assertWindowWasOpen(Path dir, String target) throws IOException {
    switch (target) {
      case "block.writing":
      case "block.before-rename":
        assertTrue(!glob(dir, "*.tmp-for-creation").isEmpty(), "a block was being written");
        break;
      case "checkpoint.before-rename":
        assertTrue(!glob(dir.resolve("wal"), "checkpoint.*.tmp").isEmpty(), "a checkpoint was being written");
        break;
      case "checkpoint.before-wal-truncate": {
        List<Path> cps = glob(dir.resolve("wal"), "checkpoint.[0-9]*[0-9]");
        assertTrue(!cps.isEmpty(), "a checkpoint exists");
        int covered = cps.stream().mapToInt(p -> Integer.parseInt(p.getFileName().toString().substring(11))).max()
            .getAsInt();
        assertTrue(glob(dir.resolve("wal"), "[0-9]*").stream()
            .anyMatch(p -> Integer.parseInt(p.getFileName().toString()) <= covered),
            "segments the checkpoint covers are still there");
        break;
      }
      case "retention.before-delete":
      case "file.deleted":
        assertTrue(!glob(dir, "*.tmp-for-deletion").isEmpty(), "a block was being deleted");
        break;
      default:
        break;
    }
  }

  private void reopenAndCheck(Path dir, String ctx) throws IOException {
    List<Path> leftovers = tmpDirs(dir);
    try (Tsdb db = Tsdb.open(MaintenanceCrashChild.options(dir), MaintenanceCrashChild.walOptions())) {
      // (this database's own background compaction may be writing a new block or checkpoint meanwhile)
      for (Path p : leftovers) {
        assertTrue(!Files.exists(p), ctx + ": open left " + p);
      }
      db.compactHead(); // waits for that, cuts what is due: nothing changes under the checks below
      assertEquals(java.util.Map.of(), db.corruptedBlocks(), ctx + ": a crash must never leave a damaged block");
      List<Block> blocks = db.blocks();
      for (int i = 1; i < blocks.size(); i++) {
        assertTrue(blocks.get(i).meta().minTime() >= blocks.get(i - 1).meta().maxTime(),
            ctx + ": blocks overlap (written twice?): " + blocks.get(i - 1) + " and " + blocks.get(i));
      }
      for (Block b : blocks) {
        assertBlockWhole(b, ctx);
      }
      long start = assertContiguousUpToAcked(db, ctx);
      if (!blocks.isEmpty()) {
        assertEquals(Math.max(STEP, blocks.get(0).meta().minTime()), start,
            ctx + ": data starts where the oldest block starts (retention drops whole blocks)");
      }
      assertTrue(start >= oldest, ctx + ": data deleted by retention came back (" + start + " < " + oldest + ")");
      oldest = start;
    }
    assertEquals(List.of(), tmpDirs(dir), ctx + ": temporary directories remain after close");
  }

  private static List<Path> tmpDirs(Path dir) throws IOException {
    List<Path> out = glob(dir, "*.tmp-for-*");
    out.addAll(glob(dir.resolve("wal"), "checkpoint.*.tmp"));
    return out;
  }

  /** Samples and series read from the block alone equal its meta.json, and each series covers the block's range. */
  private static void assertBlockWhole(Block b, String ctx) {
    long samples = 0;
    long series = 0;
    try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.re("__name__", ".+"));
      ChunkIterator it = null;
      while (set.next()) {
        series++;
        it = set.at().iterator(it);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long n = 0;
        while (it.next() == ValueType.FLOAT) {
          first = Math.min(first, it.atT());
          last = Math.max(last, it.atT());
          n++;
        }
        assertEquals(null, it.err(), ctx + ": " + b);
        samples += n;
        assertEquals(b.meta().maxTime() - STEP, last, ctx + ": " + b + " series " + set.at().labels() + " ends early");
        assertEquals((last - first) / STEP + 1, n, ctx + ": " + b + " series " + set.at().labels() + " has gaps");
      }
      assertEquals(null, set.err(), ctx + ": " + b);
    }
    assertEquals(b.meta().numSeries(), series, ctx + ": series of " + b);
    assertEquals(SERIES, series, ctx + ": series of " + b);
    assertEquals(b.meta().numSamples(), samples, ctx + ": samples of " + b);
  }

  /**
   * Every series holds every step from one common start to at least the last acknowledged timestamp,
   * each once, with its value; returns the start.
   */
  private long assertContiguousUpToAcked(Tsdb db, String ctx) {
    long start = Long.MIN_VALUE;
    int seen = 0;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", MaintenanceCrashChild.METRIC));
      ChunkIterator it = null;
      while (set.next()) {
        int s = Integer.parseInt(set.at().labels().get("s"));
        it = set.at().iterator(it);
        long want = Long.MIN_VALUE;
        while (it.next() == ValueType.FLOAT) {
          long t = it.atT();
          if (want == Long.MIN_VALUE) {
            if (start == Long.MIN_VALUE) {
              start = t;
            }
            assertEquals(start, t, ctx + ": series " + s + " starts elsewhere than the others");
          } else {
            assertEquals(want, t, ctx + ": series " + s + ": after " + (want - STEP)
                + (t < want ? " a duplicate or out-of-order sample" : " a gap"));
          }
          assertEquals(MaintenanceCrashChild.value(s, t), it.atV(), ctx + ": series " + s + " t=" + t);
          want = t + STEP;
        }
        assertEquals(null, it.err(), ctx);
        assertTrue(want > acked, ctx + ": series " + s + " ends at " + (want - STEP) + ", but " + acked
            + " was acknowledged");
        seen++;
      }
      assertEquals(null, set.err(), ctx);
    }
    if (acked > 0) {
      assertEquals(SERIES, seen, ctx);
    }
    return start;
  }

  private static List<Path> glob(Path dir, String pattern) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern)) {
      ds.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  /** A child JVM running {@link MaintenanceCrashChild}, its output lines read on a thread. */
  private static final class Child {
    final Process process;
    final AtomicLong lastAck = new AtomicLong();
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Path log;
    final Thread reader;

    private Child(Process process, Path log) {
      this.process = process;
      this.log = log;
      this.reader = new Thread(this::read, "crash-child-reader");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path dir, String target, boolean sync, Path log) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
          "-cp", System.getProperty("java.class.path"), MaintenanceCrashChild.class.getName(), dir.toString(), target,
          sync ? "sync" : "nosync")
          .redirectError(log.toFile()).start();
      return new Child(p, log);
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            lastAck.set(Long.parseLong(line.substring(4))); // a commit returned: these samples must survive
          } else {
            lines.add(line);
          }
        }
      } catch (IOException | RuntimeException e) {
        // killed mid-line: only whole lines count
      }
    }

    boolean awaitLine(String prefix, long timeoutMs) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (System.nanoTime() < deadline) {
        if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
          return true;
        }
        if (!process.isAlive() && !reader.isAlive()) {
          return lines.stream().anyMatch(l -> l.startsWith(prefix));
        }
        Thread.sleep(5);
      }
      return false;
    }

    /** SIGKILL, then wait until the process is gone and its output read. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        fail("child " + process.pid() + " did not die");
      }
      reader.join(10_000);
    }

    String tail() {
      String err;
      try (Stream<String> s = Files.lines(log)) {
        List<String> all = s.toList();
        err = String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
      } catch (IOException | RuntimeException e) {
        err = "(no stderr: " + e + ")";
      }
      return "last ACK " + lastAck.get() + ", stdout " + lines + "\nstderr:\n" + err;
    }
  }
}
