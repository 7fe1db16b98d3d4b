package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM at random moments while it compacts 13 two-hour blocks (6 compactions up to an
 * 18 h block), then reopens the directory: every sample is there exactly once, blocks do not
 * overlap, and no temporary directory is left.
 */
@Tag("slow")
class CompactionCrashTest {
  private static final long H = 3_600_000L;
  private static final long T0 = 18 * H * 26_000;
  private static final int BLOCKS = 13;
  private static final int SERIES = 60;
  private static final long STEP = 15_000;
  private static final int ROUNDS = 6;

  @TempDir Path tmp;

  private static Labels labels(int s) {
    return Labels.of("__name__", "cc", "s", Integer.toString(s));
  }

  private static double value(int s, long t) {
    return (t - T0) / STEP * 3.0 + s;
  }

  private static void writeBlocks(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int b = 0; b < BLOCKS; b++) {
      MemoryStorage m = new MemoryStorage();
      Appender app = m.appender();
      long from = T0 + b * 2 * H;
      for (long t = from; t < from + 2 * H; t += STEP) {
        for (int s = 0; s < SERIES; s++) {
          app.append(0, labels(s), t, value(s, t));
        }
      }
      app.commit();
      BlockWriter.write(dir, from, from + 2 * H, m);
    }
  }

  @Test
  void sigkillDuringCompactionNeverLosesOrDuplicatesSamples() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Random rnd = new Random(20261127);
    long perSeries = BLOCKS * 2 * H / STEP;
    int midCompaction = 0;
    // How long the compactions take here and now (faster reads shorten them): kills land in that window.
    long window = Math.max(50, calibrate(javaBin, cp));
    for (int round = 0; round < ROUNDS; round++) {
      Path dir = tmp.resolve("db" + round);
      writeBlocks(dir);
      Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp,
          CompactionCrashChild.class.getName(), dir.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      AtomicReference<String> last = new AtomicReference<>("");
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            last.set(line);
          }
        } catch (IOException e) {
          // killed
        }
      });
      reader.start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!last.get().startsWith("OPEN") && !last.get().startsWith("DONE") && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        Thread.sleep(rnd.nextInt((int) Math.min(window, 5_000))); // somewhere in the compactions (or just after)
      } finally {
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not die");
      }
      reader.join(10_000);
      if (!last.get().startsWith("DONE")) {
        midCompaction++;
      }
      verify(dir, perSeries, "round " + round + " (child said " + last.get() + ")");
    }
    System.out.println("CompactionCrashTest: " + ROUNDS + " kills, " + midCompaction + " before compaction finished");
    assertTrue(midCompaction >= 2, "kills must land mid-compaction: " + midCompaction);
  }

  /** Milliseconds from the child's OPEN to its DONE, one uninterrupted run on a fresh copy of the data. */
  private long calibrate(String javaBin, String cp) throws Exception {
    Path dir = tmp.resolve("calibrate");
    writeBlocks(dir);
    Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp,
        CompactionCrashChild.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      long open = 0;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("OPEN")) {
          open = System.nanoTime();
        } else if (line.startsWith("DONE")) {
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - open);
          System.out.println("CompactionCrashTest: compaction took " + ms + " ms uninterrupted");
          return ms;
        }
      }
      throw new AssertionError("calibration child ended without DONE");
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void verify(Path dir, long perSeries, String ctx) throws IOException {
    // block compaction off: nothing runs in the background while we look
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir).withRetentionMs(0).withMaxBlockDurationMs(2 * H))) {
      List<String> onDisk = new ArrayList<>();
      try (Stream<Path> s = Files.list(dir)) {
        for (Path e : s.toList()) {
          String n = e.getFileName().toString();
          assertFalse(n.contains(".tmp"), "leftover " + n + " " + ctx);
          if (n.length() == 26) {
            onDisk.add(n);
          }
        }
      }
      List<Block> blocks = db.blocks();
      assertEquals(onDisk.stream().sorted().toList(), blocks.stream().map(b -> b.meta().ulid()).sorted().toList(), ctx);
      long prevMax = Long.MIN_VALUE;
      long stored = 0;
      for (Block b : blocks) {
        assertTrue(b.meta().minTime() >= prevMax, "blocks overlap: " + blocks + " " + ctx);
        prevMax = b.meta().maxTime();
        stored += b.meta().numSamples();
      }
      assertEquals(perSeries * SERIES, stored, "every sample stored exactly once " + ctx);
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "cc"));
        int n = 0;
        ChunkIterator it = null;
        while (set.next()) {
          int s = Integer.parseInt(set.at().labels().get("s"));
          it = set.at().iterator(it);
          long want = T0;
          while (it.next() == ValueType.FLOAT) {
            assertEquals(want, it.atT(), "series " + s + " " + ctx);
            assertEquals(value(s, want), it.atV());
            want += STEP;
          }
          assertNull(it.err());
          assertEquals(T0 + perSeries * STEP, want, "series " + s + " complete " + ctx);
          n++;
        }
        assertNull(set.err());
        assertEquals(SERIES, n, ctx);
      }
    }
    FileUtil.deleteRecursively(dir);
  }
}
