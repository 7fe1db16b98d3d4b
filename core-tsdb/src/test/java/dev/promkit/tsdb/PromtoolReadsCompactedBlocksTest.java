package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promtool 2.42 reads our compacted blocks and honours our tombstones files. */
@Tag("interop")
class PromtoolReadsCompactedBlocksTest {
  private static final long H = 3_600_000L;
  private static final long T0 = 18 * H * 26_000;
  private static final long STEP = 60_000;

  @TempDir Path dir;

  /** Four 2 h blocks of 5 series with integer values, recorded in the model. */
  private void writeBlocks(Map<Labels, TreeMap<Long, Double>> model) throws IOException {
    for (int b = 0; b < 4; b++) {
      MemoryStorage m = new MemoryStorage();
      Appender app = m.appender();
      long from = T0 + b * 2 * H;
      for (long t = from; t < from + 2 * H; t += STEP) {
        for (int s = 0; s < 5; s++) {
          Labels l = Labels.of("__name__", "interop_metric", "s", Integer.toString(s));
          double v = (t - T0) / STEP * 7 + s;
          app.append(0, l, t, v);
          model.computeIfAbsent(l, k -> new TreeMap<>()).put(t, v);
        }
      }
      app.commit();
      BlockWriter.write(dir, from, from + 2 * H, m);
    }
  }

  private static String expected(Map<Labels, TreeMap<Long, Double>> model) {
    StringBuilder want = new StringBuilder();
    model.forEach((l, s) -> s.forEach((t, v) -> want.append(l).append(' ').append((long) (double) v).append(' ')
        .append(t).append('\n')));
    return want.toString();
  }

  private String dump() throws Exception {
    Peers.Result d = Peers.run(Peers.PROMTOOL, null, 120, "tsdb", "dump", dir.toString());
    assertEquals(0, d.exitCode(), d.output());
    StringBuilder got = new StringBuilder();
    for (String line : d.output().split("\n")) {
      if (line.startsWith("{")) {
        got.append(line).append('\n');
      }
    }
    return got.toString();
  }

  @Test
  void compactedSixHourBlockIsAnalysedAndDumpedByPromtool() throws Exception {
    Peers.require(Peers.PROMTOOL);
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    writeBlocks(model);
    String six;
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir).withRetentionMs(0))) {
      db.compact();
      Block b = db.blocks().get(0);
      assertEquals(6 * H, b.meta().maxTime() - b.meta().minTime());
      assertEquals(2, b.meta().level());
      six = b.meta().ulid();
    }
    Peers.Result a = Peers.run(Peers.PROMTOOL, null, 120, "tsdb", "analyze", dir.toString(), six);
    assertEquals(0, a.exitCode(), a.output());
    assertTrue(a.output().contains("Block ID: " + six), a.output());
    assertTrue(a.output().contains("Duration: 6h0m0s"), a.output());
    assertTrue(a.output().contains("Series: 5"), a.output());
    assertEquals(expected(model), dump());
  }

  @Test
  void promtoolHonoursOurTombstonesAndSeesNoDeletedSampleAfterCleanTombstones() throws Exception {
    Peers.require(Peers.PROMTOOL);
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    writeBlocks(model);
    long lo = T0 + H;
    long hi = T0 + 5 * H;
    // Through Block directly: a Tsdb's background compaction could rewrite the blocks before promtool reads them.
    int withTombstones = 0;
    try (Stream<Path> ds = Files.list(dir)) {
      for (Path p : ds.sorted().toList()) {
        try (Block b = Block.open(p)) {
          if (b.delete(lo, hi, LabelMatcher.re("s", "1|3")) > 0) {
            assertTrue(Files.size(p.resolve(TombstonesFile.NAME)) > 9);
            withTombstones++;
          }
        }
      }
    }
    assertEquals(3, withTombstones, "the three blocks overlapping [1 h, 5 h]");
    Files.createDirectories(dir.resolve("wal")); // dump opens the directory as a DB
    for (String s : new String[] {"1", "3"}) {
      model.get(Labels.of("__name__", "interop_metric", "s", s)).subMap(lo, true, hi, true).clear();
    }
    assertEquals(expected(model), dump(), "promtool reads our tombstones files");
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir).withRetentionMs(0).withMaxBlockDurationMs(2 * H))) {
      db.cleanTombstones(); // the background compaction may have rewritten some of them already, as Prometheus' would
      for (Block b : db.blocks()) {
        assertEquals(9, Files.size(b.dir().resolve(TombstonesFile.NAME)), "no tombstones left in " + b);
      }
      assertEquals(4, db.blocks().size());
    }
    assertEquals(expected(model), dump(), "after clean_tombstones the samples are gone from the blocks");
  }
}
