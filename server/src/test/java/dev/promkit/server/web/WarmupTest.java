package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.engine.Engine;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warm-up answers its own queries and leaves nothing behind. */
class WarmupTest {
  @Test
  void sendsSuccessfulQueriesAndRemovesItsDatabase(@TempDir Path parent) throws IOException {
    // every request must answer 200 (Warmup stops at the first failure and then reports fewer requests)
    int n = Warmup.run(Engine.builder().build(), 300, parent);
    assertTrue(n >= 2, "requests sent: " + n);
    // its own parent directory: other processes' warm-ups in the shared temp dir do not count
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(0, left.count(), "temporary database removed");
    }
  }

  @Test
  void queriesReadBlocksAndTheHead(@TempDir Path dir) throws IOException {
    // The block read path (block querier, merge with the head, chunk decode from the mapped file) is
    // what the user's first queries need compiled; a warm-up that never reaches a block leaves it cold.
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir))) {
      Warmup.prepare(db);
      assertTrue(db.blocks().size() >= 2, "blocks cut: " + db.blocks().size());
      assertTrue(Warmup.windowReachesABlockAndTheHead(db), "blocks: " + db.blocks());
    }
  }

  @Test
  void oneSeriesQueriesReachEverySourceShape(@TempDir Path dir) throws IOException {
    // Optimized code assumes the shapes it has seen; the user's first queries must not meet a new
    // one: a series in blocks and the head, in blocks only (w_old, and w_one in the copy whose head
    // is empty, as a server started on backfilled data has), in the head only (w_new), and two hours
    // back in two blocks of that copy at once.
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir.resolve("db")))) {
      Warmup.prepare(db);
      Warmup.copyBlocks(db, dir.resolve("copy"));
      assertEquals(Set.of("w_one"), sources(db, "w_one", true, true));
      assertEquals(Set.of("w_old"), sources(db, "w_old", true, false));
      assertEquals(Set.of("w_new"), sources(db, "w_new", false, true));
      try (Tsdb copy = Tsdb.open(TsdbOptions.defaults().withDir(dir.resolve("copy")))) {
        assertEquals(db.blocks().size(), copy.blocks().size(), "blocks copied");
        assertEquals(0, copy.head().numSeries(), "the copy's head is empty");
        assertEquals(Set.of("w_one"), sources(copy, "w_one", true, false));
        // "w_one offset 2h", sent to the copy: two blocks at once beside the empty head (a merge of two
        // live sources)
        boolean sent = false;
        for (int i = 0; i < Warmup.CHEAP.length; i++) {
          sent |= Warmup.CHEAP[i].equals("w_one offset 2h") && Warmup.CHEAP_SERVER[i] == 1;
        }
        assertTrue(sent, "the blocks-only copy gets the query two hours back");
        long from = Warmup.FIRST_STEP_MS - 2 * 3600_000L - 5 * 60_000L;
        long blocksWithIt = copy.blocks().stream()
            .filter(b -> !names(b.querier(from, Warmup.END_MS - 2 * 3600_000L), "w_one").isEmpty()).count();
        assertEquals(2, blocksWithIt, "blocks holding w_one two hours back");
      }
    }
  }

  /** The series named so found in the blocks and in the head over the queries' window, checked against the flags. */
  private static Set<String> sources(Tsdb db, String name, boolean inBlocks, boolean inHead) {
    long from = Warmup.FIRST_STEP_MS - 5 * 60_000L;
    boolean blocks = false;
    for (Block b : db.blocks()) {
      blocks |= !names(b.querier(from, Warmup.END_MS), name).isEmpty();
    }
    Set<String> head = names(db.head().querier(from, Warmup.END_MS), name);
    assertEquals(inBlocks, blocks, name + " in the blocks");
    assertEquals(inHead, !head.isEmpty(), name + " in the head");
    return names(db.querier(from, Warmup.END_MS), name);
  }

  private static Set<String> names(Querier q, String name) {
    Set<String> out = new HashSet<>();
    try (q) {
      SeriesSet ss = q.select(true, SelectHints.of(Warmup.FIRST_STEP_MS, Warmup.END_MS), LabelMatcher.eq("__name__", name));
      while (ss.next()) {
        out.add(ss.at().labels().get("__name__"));
      }
    }
    return out;
  }

  @Test
  void zeroBudgetDoesNothing() {
    assertEquals(0, Warmup.run(Engine.builder().build(), 0));
  }
}
