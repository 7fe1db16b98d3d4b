package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.engine.Engine;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  void zeroBudgetDoesNothing() {
    assertEquals(0, Warmup.run(Engine.builder().build(), 0));
  }
}
