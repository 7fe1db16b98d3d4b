package dev.promkit.tsdb.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillTest {
  private static final long H = 3600_000L;
  @TempDir Path tmp;

  private Path file(String text) throws IOException {
    Path f = Files.createTempFile(tmp, "in", ".om");
    Files.writeString(f, text);
    return f;
  }

  private List<CreatedBlock> run(String text, long maxBlock) throws Exception {
    return Backfill.run(file(text), tmp.resolve("out"), maxBlock, null);
  }

  @Test
  void roundsTheMaximumBlockDurationDownToPrometheusLevelRanges() {
    assertEquals(2 * H, Backfill.blockDuration(H));
    assertEquals(2 * H, Backfill.blockDuration(2 * H));
    assertEquals(2 * H, Backfill.blockDuration(3 * H));
    assertEquals(6 * H, Backfill.blockDuration(6 * H));
    assertEquals(6 * H, Backfill.blockDuration(7 * H));
    assertEquals(18 * H, Backfill.blockDuration(24 * H));
    assertEquals(486 * H, Backfill.blockDuration(1000 * H));
    assertEquals(2 * H * 19683, Backfill.blockDuration(Long.MAX_VALUE)); // 2h·3^9, the largest range
  }

  @Test
  void writesOneBlockPerAlignedRangeSpanningFirstToLastSample() throws Exception {
    StringBuilder sb = new StringBuilder("# TYPE a gauge\n");
    for (long s = 0; s < 3 * 86400; s += 60) {
      sb.append("a ").append(s).append(' ').append(1795478401 + s).append('\n');
    }
    List<CreatedBlock> blocks = run(sb.append("# EOF\n").toString(), 24 * H);
    // the same four blocks promtool 2.42 writes for this file (18 h ranges from the epoch)
    assertEquals(4, blocks.size());
    assertEquals(1795478401000L, blocks.get(0).minTime());
    assertEquals(1795543141001L, blocks.get(0).maxTime());
    assertEquals(1795543201000L, blocks.get(1).minTime());
    assertEquals(1795737541001L, blocks.get(3).maxTime());
    for (CreatedBlock b : blocks) {
      assertEquals(1080, b.numSamples());
      assertEquals(9, b.numChunks()); // 120 samples each, as Prometheus' head cuts them
      assertEquals(1, b.numSeries());
      assertTrue(b.sizeBytes() > 0);
      try (Block blk = Block.open(b.dir())) {
        assertEquals(b.minTime(), blk.meta().minTime());
        assertEquals(1, blk.meta().level());
      }
    }
  }

  @Test
  void truncatesFractionalSecondsToMillisecondsAsPromtool() throws Exception {
    run("# TYPE a gauge\na 1 1.001\na 2 1.003\na 3 2.0019\n# EOF\n", 2 * H);
    Map<Labels, List<String>> b = BlockDump.all(tmp.resolve("out")).get(0);
    List<String> ts = new ArrayList<>();
    for (String s : b.get(Labels.of("__name__", "a"))) {
      ts.add(s.substring(0, s.indexOf(':')));
    }
    assertEquals(List.of("1000", "1002", "2001"), ts); // int64(1.003*1000) is 1002
  }

  @Test
  void dropsASampleOutOfOrderWithinTheUncommittedBatchSilently() throws Exception {
    List<CreatedBlock> blocks = run("# TYPE foo counter\nfoo_total{a=\"1\"} 1 1000\nfoo_total{a=\"1\"} 2 1010.5\n"
        + "foo_total{a=\"2\"} 3 1000\nfoo_total{a=\"1\"} 1.5 1005\n# EOF\n", 2 * H);
    assertEquals(1, blocks.size());
    assertEquals(3, blocks.get(0).numSamples());
    assertEquals(2, blocks.get(0).numSeries());
    assertEquals(1000000, blocks.get(0).minTime());
    assertEquals(1010501, blocks.get(0).maxTime());
  }

  @Test
  void failsOnASampleOlderThanACommittedOneNamingTheLine() throws Exception {
    StringBuilder sb = new StringBuilder("# TYPE a gauge\n");
    for (int i = 0; i < 6000; i++) {
      sb.append("a ").append(i).append(' ').append(7200 + i).append('\n');
    }
    sb.append("a 5 7205\n# EOF\n");
    BackfillException e = assertThrows(BackfillException.class, () -> run(sb.toString(), 2 * H));
    assertEquals(6002, e.line());
    assertTrue(e.getMessage().startsWith("block creation: process blocks: add sample: out of order sample (line 6002"),
        e.getMessage());
    assertTrue(BlockDump.open(tmp.resolve("out")).isEmpty()); // the failing range is the first one
  }

  @Test
  void writesTheRangesBeforeAFailingOne() throws Exception {
    StringBuilder sb = new StringBuilder("# TYPE a gauge\na 1 10\n");
    for (int i = 0; i < 5001; i++) {
      sb.append("a ").append(i).append(' ').append(7200 + i).append('\n');
    }
    sb.append("a 5 7205\n# EOF\n");
    BackfillException e = assertThrows(BackfillException.class, () -> run(sb.toString(), 2 * H));
    assertTrue(e.getMessage().contains("out of order sample"), e.getMessage());
    List<Map<Labels, List<String>>> blocks = BlockDump.all(tmp.resolve("out"));
    assertEquals(1, blocks.size());
    assertEquals(List.of("10000:" + Double.doubleToRawLongBits(1)), blocks.get(0).get(Labels.of("__name__", "a")));
  }

  @Test
  void failsOnAnotherValueAtACommittedTimestamp() throws Exception {
    StringBuilder sb = new StringBuilder("# TYPE a gauge\n");
    for (int i = 0; i < 5000; i++) {
      sb.append("a ").append(i).append(' ').append(i).append('\n');
    }
    sb.append("a 4999 4999\n"); // identical: accepted as a no-op
    sb.append("a 7 4999\n# EOF\n");
    BackfillException e = assertThrows(BackfillException.class, () -> run(sb.toString(), 2 * H));
    assertEquals(5003, e.line());
    assertTrue(e.getMessage().contains("duplicate sample for timestamp"), e.getMessage());
  }

  @Test
  void rejectsAFileWithoutEofAndWritesNothing() throws Exception {
    BackfillException e = assertThrows(BackfillException.class, () -> run("# TYPE a gauge\na 1 1000\n", 2 * H));
    assertEquals("getting min and max timestamp: next: data does not end with # EOF", e.getMessage());
    assertTrue(!Files.exists(tmp.resolve("out")) || BlockDump.open(tmp.resolve("out")).isEmpty());
  }

  @Test
  void rejectsASampleWithoutTimestampNamingTheLine() {
    BackfillException e = assertThrows(BackfillException.class,
        () -> run("# TYPE a gauge\na 1 1000\na 2\n# EOF\n", 2 * H));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith("getting min and max timestamp: expected timestamp for series got none"),
        e.getMessage());
  }

  @Test
  void reportsAParseErrorWithItsLineAndColumn() {
    BackfillException e = assertThrows(BackfillException.class,
        () -> run("# TYPE a gauge\na 1 1000\na 1 1001\na{ 1 1000\n# EOF\n", 2 * H));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().startsWith("getting min and max timestamp: next: line 4, column 3: "), e.getMessage());
  }

  @Test
  void rejectsDataAfterEof() {
    BackfillException e = assertThrows(BackfillException.class, () -> run("a 1 1000\n# EOF\na 2 1001\n", 2 * H));
    assertEquals(3, e.line());
  }

  @Test
  void dropsLabelsWithEmptyValues() throws Exception {
    run("# TYPE a gauge\na{x=\"\"} 1 1\na 2 2\n# EOF\n", 2 * H);
    Map<Labels, List<String>> b = BlockDump.all(tmp.resolve("out")).get(0);
    assertEquals(1, b.size());
    assertEquals(2, b.get(Labels.of("__name__", "a")).size());
  }

  @Test
  void keepsEverySampleOfInterleavedSeriesAcrossReadBufferBoundaries() throws Exception {
    Random r = new Random(3);
    StringBuilder sb = new StringBuilder("# TYPE m gauge\n");
    Map<Labels, List<String>> model0 = new TreeMap<>();
    Map<Labels, List<String>> model1 = new TreeMap<>();
    long t0 = 1795478401L; // block ranges of 2 h from the epoch: the data crosses one boundary
    for (int step = 0; step < 300; step++) {
      for (int s = 0; s < 20; s++) {
        double v = r.nextInt(4) == 0 ? r.nextGaussian() * 1e6 : step + s / 7.0;
        long ts = t0 + step * 30L;
        sb.append("m{i=\"").append(s).append("\",z=\"").append("x".repeat(s)).append("\"} ")
            .append(v).append(' ').append(ts).append('\n');
        long ms = ts * 1000;
        Labels l = Labels.of("__name__", "m", "i", Integer.toString(s), "z", "x".repeat(s));
        Map<Labels, List<String>> m = Math.floorDiv(ms, 2 * H) == Math.floorDiv(t0 * 1000, 2 * H) ? model0 : model1;
        m.computeIfAbsent(l, k -> new ArrayList<>()).add(ms + ":" + Double.doubleToRawLongBits(v));
      }
    }
    sb.append("# EOF\n");
    Path f = file(sb.toString());
    // a 4 KiB read buffer makes lines straddle reads
    Backfill.run(f, tmp.resolve("out"), 2 * H, null, 4096);
    List<Map<Labels, List<String>>> blocks = BlockDump.all(tmp.resolve("out"));
    assertEquals(List.of(model0, model1), blocks);
  }

  @Test
  void reportsProgressUpToTheFileSize() throws Exception {
    Path f = file("# TYPE a gauge\na 1 1000\n# EOF\n");
    long[] last = {-1, -1};
    Backfill.run(f, tmp.resolve("out"), 2 * H, new Backfill.Listener() {
      @Override
      public void progress(long read, long total) {
        last[0] = read;
        last[1] = total;
      }
    });
    assertEquals(Files.size(f), last[0]);
    assertEquals(Files.size(f), last[1]);
  }
}
