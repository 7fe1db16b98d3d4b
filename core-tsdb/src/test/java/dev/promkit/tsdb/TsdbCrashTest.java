package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends and commits to a Tsdb (SIGKILL at random moments, also during its
 * start-up replay), then reopens the database each time: every sample whose commit returned must be
 * there, queries must succeed, and appends must continue.
 */
@Tag("slow")
class TsdbCrashTest {
  private static final int KILLS = 22;

  @TempDir Path tmp;

  static TsdbOptions options(Path dir) {
    return TsdbOptions.defaults().withDir(dir);
  }

  static WalOptions walOptions() {
    return WalOptions.defaults().withSegmentSize(32 * 1024); // 1 page: a rotation every ~15 batches
  }

  /** Newest timestamp stored for the crash series, 0 when none; fails on any query error. */
  static long maxTime(Tsdb db) {
    long max = 0;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(false, null, LabelMatcher.eq("__name__", "crash_test"));
      ChunkIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next() == ValueType.FLOAT) {
          max = Math.max(max, it.atT());
        }
        if (it.err() != null) {
          throw new AssertionError("iterator error", it.err());
        }
      }
      if (set.err() != null) {
        throw new AssertionError("query error", set.err());
      }
    }
    return max;
  }

  @Test
  void everyCommittedSampleSurvivesSigkill() throws Exception {
    Path dir = tmp.resolve("db");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Random rnd = new Random(20261127);
    long acked = 0;
    int repairs = 0;
    long t0 = System.nanoTime();
    for (int round = 0; round < KILLS; round++) {
      Process p = new ProcessBuilder(javaBin, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp,
          CrashChild.class.getName(), dir.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      AtomicLong lastAck = new AtomicLong(-1);
      List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith("ACK ")) {
              lastAck.set(Long.parseLong(line.substring(4)));
            } else {
              lines.add(line);
            }
          }
        } catch (Exception e) {
          // killed mid-line: the last full line counts
        }
      });
      reader.start();
      try {
        if (round % 2 == 1) { // odd rounds count from the child's START: appends happen even on a busy machine
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (p.isAlive() && System.nanoTime() < deadline && lines.stream().noneMatch(l -> l.startsWith("START"))) {
            Thread.sleep(5);
          }
        }
        Thread.sleep(150 + rnd.nextInt(900)); // even rounds: sometimes during start-up/replay, mostly mid-append
      } finally {
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not die");
      }
      reader.join(10_000);
      if (lastAck.get() >= 0) {
        acked = Math.max(acked, lastAck.get());
      }
      // reopen in this JVM: all acknowledged samples present, values right, appends continue
      try (Tsdb db = Tsdb.open(options(dir), walOptions())) {
        assertAllPresent(db, acked, "round " + round + " " + lines);
        for (var m : db.metrics().collect()) {
          if (m.metadata().name().equals("prometheus_tsdb_wal_corruptions")) {
            repairs += (int) ((dev.promkit.client.snapshot.CounterSnapshot) m).dataPoints().get(0).value();
          }
        }
        long next = maxTime(db) + 1;
        Appender app = db.appender();
        for (int s = 0; s < CrashChild.SERIES; s++) {
          app.append(0, CrashChild.labels(s), next, CrashChild.value(s, next));
        }
        app.commit();
        acked = Math.max(acked, next);
      }
    }
    long secs = (System.nanoTime() - t0) / 1_000_000_000L;
    System.out.println("TsdbCrashTest: " + KILLS + " kills, " + acked + " timestamps acknowledged, "
        + repairs + " torn tails repaired on reopen, " + secs + " s");
    assertTrue(acked > 100, "the child made progress: " + acked);
    try (var ds = java.nio.file.Files.newDirectoryStream(dir.resolve("wal"), "checkpoint.*")) {
      assertTrue(ds.iterator().hasNext(), "checkpoints were written (and killed) along the way");
    }
  }

  private static void assertAllPresent(Tsdb db, long acked, String ctx) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "crash_test"));
      int seen = 0;
      ChunkIterator it = null;
      while (set.next()) {
        int s = Integer.parseInt(set.at().labels().get("s"));
        it = set.at().iterator(it);
        long want = 1;
        while (it.next() == ValueType.FLOAT) {
          long t = it.atT();
          if (t > acked) {
            break; // committed after the last acknowledgement we saw: allowed, not required
          }
          assertEquals(want, t, "series " + s + ": samples must be contiguous up to " + acked + " (" + ctx + ")");
          assertEquals(CrashChild.value(s, t), it.atV(), "series " + s + " t=" + t);
          want++;
        }
        assertNull(it.err());
        assertEquals(acked + 1, want, "series " + s + " ends early (" + ctx + ")");
        seen++;
      }
      assertNull(set.err());
      if (acked > 0) {
        assertEquals(CrashChild.SERIES, seen, ctx);
      }
    }
  }
}
