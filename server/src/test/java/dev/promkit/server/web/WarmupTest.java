package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The start-up warm-up answers its own queries and leaves nothing behind. */
class WarmupTest {
  @Test
  void sendsSuccessfulQueriesAndRemovesItsDatabase() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = warmupDirs(tmp);
    // every request must answer 200 (Warmup stops at the first failure and then reports fewer requests)
    int n = Warmup.run(Engine.builder().build(), 300);
    assertTrue(n >= 2, "requests sent: " + n);
    assertEquals(before, warmupDirs(tmp), "temporary database removed");
  }

  @Test
  void zeroBudgetDoesNothing() {
    assertEquals(0, Warmup.run(Engine.builder().build(), 0));
  }

  private static long warmupDirs(Path tmp) throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("promkit-warmup")).count();
    }
  }
}
