package dev.promkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbCommandTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream bar = new ByteArrayOutputStream();

  private int run(PrintStream progress, String... args) {
    return TsdbCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), progress);
  }

  private Path file(String text) throws Exception {
    Path f = tmp.resolve("in.om");
    Files.writeString(f, text);
    return f;
  }

  private static long blocks(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.exists(p.resolve("meta.json"))).count();
    }
  }

  @Test
  void listsTheCreatedBlocksAsPromtool() throws Exception {
    Path f = file("# TYPE foo counter\nfoo_total{a=\"1\"} 1 1000\nfoo_total{a=\"1\"} 2 1010.5\n"
        + "foo_total{a=\"2\"} 3 1000\n# EOF\n");
    assertEquals(0, run(null, "create-blocks-from", "openmetrics", f.toString(), tmp.resolve("d").toString()));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertEquals("BLOCK ULID                  MIN TIME     MAX TIME     DURATION     NUM SAMPLES  NUM CHUNKS   NUM SERIES   SIZE",
        lines[0]);
    assertTrue(lines[1].matches("[0-9A-Z]{26}  1000000      1010501      10.501s      3            2            2            \\d+"),
        lines[1]);
    assertEquals(1, blocks(tmp.resolve("d")));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void honoursTheDurationQuietAndHumanReadableFlags() throws Exception {
    StringBuilder sb = new StringBuilder("# TYPE a gauge\n");
    for (long s = 0; s < 86400; s += 60) {
      sb.append("a 1 ").append(1795478401 + s).append('\n');
    }
    Path f = file(sb.append("# EOF\n").toString());
    Path d = tmp.resolve("d");
    assertEquals(0, run(null, "create-blocks-from", "openmetrics", "--max-block-duration=24h", "--quiet",
        f.toString(), d.toString()));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertEquals(2, blocks(d)); // 18 h ranges: one 18 h and one 6 h block, as promtool
    assertEquals(0, run(null, "create-blocks-from", "openmetrics", "-r", "--max-block-duration", "6h",
        f.toString(), tmp.resolve("e").toString()));
    assertEquals(4, blocks(tmp.resolve("e"))); // 6 h ranges aligned to the epoch
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("  2026-11-24 00:00:01 +0000 UTC  2026-11-24 05:59:01 +0000 UTC  5h59m0.001s  360"), out.toString(StandardCharsets.UTF_8));
    assertEquals(86400000L, TsdbCommand.parseGoDuration("24h"));
    assertEquals(5400000L, TsdbCommand.parseGoDuration("1h30m"));
    assertEquals(1500L, TsdbCommand.parseGoDuration("1.5s"));
  }

  @Test
  void failsWithPromtoolsMessageAndExitCodeOne() throws Exception {
    Path f = file("# TYPE a gauge\na 1 1000\n");
    assertEquals(1, run(null, "create-blocks-from", "openmetrics", f.toString(), tmp.resolve("d").toString()));
    assertEquals("getting min and max timestamp: next: data does not end with # EOF\n",
        err.toString(StandardCharsets.UTF_8));
    assertEquals(1, run(null, "create-blocks-from", "openmetrics", tmp.resolve("missing.om").toString()));
  }

  @Test
  void rejectsBadUsageWithExitCodeTwo() {
    assertEquals(2, run(null, "create-blocks-from", "csv", "x"));
    assertEquals(2, run(null, "create-blocks-from", "openmetrics"));
    assertEquals(2, run(null, "create-blocks-from", "openmetrics", "--max-block-duration=1d", "x"));
    assertEquals(2, run(null, "create-blocks-from", "openmetrics", "--nope", "x"));
  }

  @Test
  void drawsAProgressBarForLargeFilesAndClearsItBeforeTheListing() throws Exception {
    StringBuilder sb = new StringBuilder("# TYPE a gauge\n");
    String pad = "x".repeat(200);
    for (int i = 0; sb.length() < (17 << 20); i++) {
      sb.append("a{p=\"").append(pad).append("\"} ").append(i).append(' ').append(1000 + i).append('\n');
    }
    Path f = file(sb.append("# EOF\n").toString());
    assertEquals(0, run(new PrintStream(bar, true, StandardCharsets.UTF_8), "create-blocks-from", "openmetrics",
        f.toString(), tmp.resolve("d").toString()));
    String b = bar.toString(StandardCharsets.UTF_8);
    assertTrue(b.contains("reading [") && b.contains("100.0%"), b.length() > 300 ? b.substring(b.length() - 300) : b);
    assertTrue(b.endsWith("\r"), "cleared");
  }
}
