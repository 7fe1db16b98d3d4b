package dev.promkit.tsdb.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.labels.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same OpenMetrics file backfilled by promtool 2.42 and by us: the same blocks (ranges, series,
 * samples, chunk counts), and promtool's {@code tsdb analyze} and {@code tsdb dump} read ours.
 */
@Tag("interop")
class BackfillPromtoolInteropTest {
  @TempDir Path tmp;

  /**
   * Interleaved and grouped series, fractional-second timestamps, values of every kind, samples out of
   * order inside a commit batch (dropped by both), repeats of the newest sample, over three 6 h ranges.
   */
  private static String file() {
    Random r = new Random(11);
    StringBuilder sb = new StringBuilder("# HELP req Requests.\n# TYPE req counter\n");
    long t0 = 1795478401L;
    for (int step = 0; step < 2000; step++) {
      for (int s = 0; s < 5; s++) {
        long ms = t0 * 1000 + step * 15_000L + s * 7L + (step % 3 == 0 ? 3 : 0);
        String ts = (ms / 1000) + "." + String.format("%03d", ms % 1000);
        sb.append("req_total{code=\"").append(200 + s).append("\",path=\"/a b\\\"c\"} ").append(step * 3 + s)
            .append(' ').append(ts).append('\n');
        if (step % 97 == 5) {
          sb.append("req_total{code=\"").append(200 + s).append("\",path=\"/a b\\\"c\"} 1 ").append(t0 + step * 15 - 60)
              .append('\n'); // older than the batch's newest: dropped silently
        }
      }
    }
    sb.append("# TYPE temp gauge\n");
    for (int i = 0; i < 3000; i++) {
      double v = i % 50 == 0 ? Double.NaN : r.nextGaussian() * Math.pow(10, r.nextInt(10) - 5);
      sb.append("temp{room=\"").append(i % 3).append("\"} ").append(v).append(' ').append(t0 + i * 20L).append('\n');
    }
    sb.append("# TYPE big gauge\n");
    for (int i = 0; i < 1500; i++) {
      sb.append("big ").append(r.nextDouble() * 1e300).append(' ').append(t0 + 3 * i).append(".5\n");
      if (i % 400 == 7) {
        sb.append("big ").append(r.nextDouble()).append(' ').append(t0 + 3 * i).append(".5\n"); // same ts: dropped
      }
    }
    return sb.append("# EOF\n").toString();
  }

  @Test
  void promtoolAndWeWriteTheSameBlocksAndPromtoolReadsOurs() throws Exception {
    Peers.require(Peers.PROMTOOL);
    Path in = tmp.resolve("in.om");
    Files.writeString(in, file());
    Path theirs = tmp.resolve("theirs");
    Path ours = tmp.resolve("ours");
    Peers.Result pr = Peers.run(Peers.PROMTOOL, null, 120, "tsdb", "create-blocks-from", "openmetrics",
        "--max-block-duration=6h", in.toString(), theirs.toString());
    assertEquals(0, pr.exitCode(), pr.output());
    List<CreatedBlock> created = Backfill.run(in, ours, 6 * 3600_000L, null);

    List<Block> tb = BlockDump.open(theirs);
    List<Block> ob = BlockDump.open(ours);
    assertEquals(tb.size(), ob.size());
    assertEquals(created.size(), ob.size());
    assertTrue(ob.size() >= 2, "the data spans several ranges");
    long samples = 0;
    for (int i = 0; i < tb.size(); i++) {
      try (Block t = tb.get(i); Block o = ob.get(i)) {
        assertEquals(t.meta().minTime(), o.meta().minTime());
        assertEquals(t.meta().maxTime(), o.meta().maxTime());
        assertEquals(t.meta().numSeries(), o.meta().numSeries());
        assertEquals(t.meta().numSamples(), o.meta().numSamples());
        assertEquals(t.meta().numChunks(), o.meta().numChunks(), "chunks cut at the same points");
        assertSameSamples(BlockDump.samples(t), BlockDump.samples(o));
        samples += t.meta().numSamples();
      }
    }
    assertTrue(samples > 14_000, "samples compared: " + samples);

    Peers.Result analyze = Peers.run(Peers.PROMTOOL, null, 60, "tsdb", "analyze", ours.toString());
    assertEquals(0, analyze.exitCode(), analyze.output());
    assertTrue(analyze.output().contains("Block ID: "), analyze.output());
    Files.createDirectories(ours.resolve("wal")); // promtool tsdb dump wants a WAL directory
    Peers.Result dump = Peers.run(Peers.PROMTOOL, null, 60, "tsdb", "dump", ours.toString());
    assertEquals(0, dump.exitCode(), dump.output().substring(0, Math.min(500, dump.output().length())));
    long lines = dump.output().lines().filter(l -> l.startsWith("{")).count();
    assertEquals(samples, lines);
  }

  /** Equal maps, or a failure naming the first series and sample that differ. */
  static void assertSameSamples(Map<Labels, List<String>> theirs, Map<Labels, List<String>> ours) {
    assertEquals(theirs.keySet(), ours.keySet());
    for (Map.Entry<Labels, List<String>> e : theirs.entrySet()) {
      List<String> a = e.getValue();
      List<String> b = ours.get(e.getKey());
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        assertEquals(a.get(i), b.get(i), e.getKey() + " sample " + i + " (t:valuebits)");
      }
      assertEquals(a.size(), b.size(), e.getKey() + " samples");
    }
  }

  @Test
  void anOutOfOrderSampleFailsBothWithTheSameMessage() throws Exception {
    Peers.require(Peers.PROMTOOL);
    StringBuilder sb = new StringBuilder("# TYPE a gauge\n");
    for (int i = 0; i < 6000; i++) {
      sb.append("a ").append(i).append(' ').append(7200 + i).append('\n');
    }
    sb.append("a 5 7205\n# EOF\n");
    Path in = tmp.resolve("ooo.om");
    Files.writeString(in, sb.toString());
    Peers.Result pr = Peers.run(Peers.PROMTOOL, null, 60, "tsdb", "create-blocks-from", "openmetrics", in.toString(),
        tmp.resolve("theirs").toString());
    assertEquals(1, pr.exitCode());
    BackfillException e = org.junit.jupiter.api.Assertions.assertThrows(BackfillException.class,
        () -> Backfill.run(in, tmp.resolve("ours"), 2 * 3600_000L, null));
    String theirs = pr.output().trim();
    assertTrue(e.getMessage().startsWith(theirs + " (line 6002"), theirs + " | " + e.getMessage());
  }
}
