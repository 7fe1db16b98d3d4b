package dev.promkit.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --query.warmup} is taken out of the arguments before the Prometheus flags are parsed. */
class WarmupFlagTest {
  @Test
  void takesTheFlagInBothFormsAndLeavesTheOthers() {
    String[] args = {"--web.listen-address=:0", "--query.warmup=5s", "--query.timeout", "1m"};
    String[] rest = new String[args.length];
    assertEquals(5000, Main.warmupFlag(args, rest));
    assertArrayEquals(new String[] {"--web.listen-address=:0", null, "--query.timeout", "1m"}, rest);
    assertEquals(0, Main.warmupFlag(new String[] {"--query.warmup", "0s"}, new String[2]));
  }

  @Test
  void defaultsToTheCliWarmup() {
    assertEquals(Main.DEFAULT_WARMUP_MS, Main.warmupFlag(new String[] {"--query.timeout=1m"}, new String[1]));
  }

  @Test
  void rejectsBadDurationNamingTheFlag() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Main.warmupFlag(new String[] {"--query.warmup=soon"}, new String[1]));
    assertTrue(e.getMessage().contains("--query.warmup"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Main.warmupFlag(new String[] {"--query.warmup"}, new String[1]));
  }
}
