package dev.promkit.tsdb.block;

import static dev.promkit.tsdb.block.BlockTestSupport.T0;
import static dev.promkit.tsdb.block.BlockTestSupport.readAll;
import static dev.promkit.tsdb.block.BlockTestSupport.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunks.CorruptionException;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.storage.Series;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockTest {
  private static final long MAXT = T0 + 2 * 3600_000L;

  @TempDir
  Path dir;

  private Path writeRandom(int series, int samples) throws Exception {
    return BlockWriter.write(dir, T0, MAXT, BlockTestSupport.memory(BlockTestSupport.randomSeries(series, samples, 7)));
  }

  @Test
  void writtenBlockReadsBackEverySample() throws Exception {
    TreeMap<Labels, List<long[]>> in = BlockTestSupport.randomSeries(20, 300, 7);
    Path b = writeRandom(20, 300);
    try (Block block = Block.open(b)) {
      assertEquals(render(in), render(readAll(block, T0, MAXT)));
      assertEquals(20, block.meta().numSeries());
      assertEquals(20 * 300, block.meta().numSamples());
      assertEquals(20 * 3, block.meta().numChunks()); // 300 samples = 120 + 120 + 60
      assertEquals(List.of(block.meta().ulid()), block.meta().sources());
      assertEquals(b.getFileName().toString(), block.meta().ulid());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(b), s.toList(), "no temporary directory left");
    }
  }

  @Test
  void selectAppliesMatchersAndTimeRange() throws Exception {
    TreeMap<Labels, List<long[]>> in = BlockTestSupport.randomSeries(20, 300, 7);
    try (Block block = Block.open(writeRandom(20, 300))) {
      long from = T0 + 1000_000;
      long to = T0 + 2000_000;
      TreeMap<Labels, List<long[]>> want = new TreeMap<>();
      in.forEach((l, s) -> {
        if (l.get("__name__").equals("up") && !l.get("job").equals("job0")) {
          want.put(l, s.stream().filter(x -> x[0] >= from && x[0] <= to).toList());
        }
      });
      TreeMap<Labels, List<long[]>> got = readAll(block, from, to, LabelMatcher.eq("__name__", "up"),
          LabelMatcher.neq("job", "job0"));
      assertFalse(want.isEmpty());
      assertEquals(render(want), render(got));
      assertTrue(readAll(block, T0, MAXT, LabelMatcher.re("instance", "host-1[0-9]"), LabelMatcher.eq("job", "nope")).isEmpty());
      assertEquals(10, readAll(block, T0, MAXT, LabelMatcher.re("instance", "host-1[0-9]")).size());
      var q = block.querier(T0, MAXT);
      assertEquals(List.of("__name__", "instance", "job"), q.labelNames());
      assertEquals(List.of("http_requests_total", "up"), q.labelValues("__name__"));
      assertEquals(List.of("job1", "job3"), q.labelValues("job", LabelMatcher.re("instance", "host-(3|5)")));
    }
  }

  @Test
  void seekSkipsToTheFirstSampleAtOrAfter() throws Exception {
    TreeMap<Labels, List<long[]>> in = BlockTestSupport.randomSeries(1, 300, 7);
    long[] target = in.firstEntry().getValue().get(250);
    try (Block block = Block.open(writeRandom(1, 300))) {
      var set = block.querier(T0, MAXT).select(true, null, LabelMatcher.eq("__name__", "up"));
      assertTrue(set.next());
      var it = set.at().iterator(null);
      it.seek(target[0] - 1);
      assertEquals(target[0], it.atT());
      assertEquals(Double.longBitsToDouble(target[1]), it.atV());
    }
  }

  @Test
  void seekAndNextStayInsideTheQueryRangeAcrossChunksWithAReusedIterator() throws Exception {
    TreeMap<Labels, List<long[]>> in = BlockTestSupport.randomSeries(6, 300, 7);
    Random r = new Random(3);
    try (Block block = Block.open(writeRandom(6, 300))) {
      for (int round = 0; round < 200; round++) {
        long mint = T0 + r.nextInt(4_600_000);
        long maxt = mint + r.nextInt(1_000_000);
        long target = mint - 100_000 + r.nextInt(1_300_000);
        var set = block.querier(mint, maxt).select(true, null, LabelMatcher.neq("__name__", ""));
        dev.promkit.tsdb.chunkenc.ChunkIterator it = null;
        java.util.Set<Labels> seen = new java.util.HashSet<>();
        while (set.next()) {
          Labels l = set.at().labels();
          seen.add(l);
          it = set.at().iterator(it); // reused although the previous series may have been left half read
          StringBuilder got = new StringBuilder();
          var v = it.seek(target);
          while (v != dev.promkit.tsdb.chunkenc.ValueType.NONE && got.length() < 100_000) {
            got.append(it.atT()).append(' ').append(it.atV()).append('\n');
            if (r.nextInt(8) == 0) {
              break; // abandon the series mid-way
            }
            v = r.nextInt(4) == 0 ? it.seek(it.atT() + 1) : it.next();
          }
          StringBuilder exp = new StringBuilder();
          in.get(l).stream().filter(x -> x[0] >= Math.max(mint, target) && x[0] <= maxt)
              .forEach(x -> exp.append(x[0]).append(' ').append(Double.longBitsToDouble(x[1])).append('\n'));
          String want = exp.toString();
          if (v != dev.promkit.tsdb.chunkenc.ValueType.NONE) {
            want = want.substring(0, Math.min(want.length(), got.length()));
          }
          assertEquals(want, got.toString(), "round " + round + " series " + l);
        }
        assertEquals(null, set.err());
        in.forEach((l, xs) -> assertTrue(seen.contains(l) || xs.stream().noneMatch(x -> x[0] >= mint && x[0] <= maxt),
            "series " + l + " has samples in range but was not selected"));
      }
    }
  }

  @Test
  void notEmptyMatcherSelectsEverySeriesInLabelOrder() throws Exception {
    try (Block block = Block.open(writeRandom(20, 30))) {
      assertEquals(20, readAll(block, T0, MAXT, LabelMatcher.neq("__name__", "")).size()); // readAll checks the order
      assertEquals(15, readAll(block, T0, MAXT, LabelMatcher.re("job", "job[0-2]")).size());
      assertTrue(readAll(block, T0, MAXT, LabelMatcher.neq("nope", "")).isEmpty());
    }
  }

  private static void flip(Path f, long at) throws Exception {
    byte[] b = Files.readAllBytes(f);
    b[(int) at] ^= 0x40;
    Files.write(f, b);
  }

  @Test
  void damagedIndexIsReportedWithFileAndOffset() throws Exception {
    Path b = writeRandom(5, 50);
    Path index = b.resolve("index");
    flip(index, 0);
    CorruptionException e = assertThrows(CorruptionException.class, () -> Block.open(b));
    assertEquals(index, e.file());
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    flip(index, 0);
    flip(index, 12); // inside the symbol table
    e = assertThrows(CorruptionException.class, () -> Block.open(b));
    assertTrue(e.getMessage().contains("symbol table checksum mismatch"), e.getMessage());
  }

  @Test
  void damagedSeriesSurfacesFromTheSeriesSet() throws Exception {
    Path b = writeRandom(5, 50);
    Path index = b.resolve("index");
    byte[] bytes = Files.readAllBytes(index);
    long seriesAt = java.nio.ByteBuffer.wrap(bytes).getLong(bytes.length - 52 + 8);
    flip(index, ((seriesAt + 15) / 16) * 16 + 3); // first series, after its length
    try (Block block = Block.open(b)) {
      var set = block.querier(T0, MAXT).select(true, null, LabelMatcher.re("__name__", ".*"));
      assertFalse(set.next());
      assertTrue(set.err() instanceof CorruptionException, String.valueOf(set.err()));
      assertTrue(set.err().getMessage().contains("series"), set.err().getMessage());
    }
  }

  @Test
  void damagedChunkIsReportedWithBlockAndRefAndATruncatedLastSegmentIsRefusedAtOpen() throws Exception {
    Path b = writeRandom(2, 50);
    Path seg = b.resolve("chunks").resolve("000001");
    flip(seg, 20);
    try (Block block = Block.open(b)) {
      var set = block.querier(T0, MAXT).select(true, null, LabelMatcher.re("__name__", ".*"));
      assertTrue(set.next());
      var it = set.at().iterator(null);
      while (it.next() != dev.promkit.tsdb.chunkenc.ValueType.NONE) {
        // drain
      }
      assertTrue(it.err() instanceof CorruptionException, String.valueOf(it.err()));
      String msg = it.err().getMessage();
      assertTrue(msg.contains("000001 at offset 8: block " + b.getFileName() + ", chunk ref 8 (segment 1, offset 8) of series {")
          && msg.contains("chunk checksum mismatch"), msg);
    }
    byte[] all = Files.readAllBytes(seg);
    Files.write(seg, java.util.Arrays.copyOf(all, all.length - 3));
    // the last chunk of the last series ends the last segment: Block.open reads it, so truncation is found there
    CorruptionException e = assertThrows(CorruptionException.class, () -> Block.open(b));
    assertTrue(e.getMessage().contains("000001") && e.getMessage().contains("truncated by end of file"), e.getMessage());
  }

  @Test
  void ulidRoundTripsAndSortsByTime() {
    Random r = new Random(1);
    Ulid a = Ulid.generate(1_700_000_000_000L, r);
    Ulid b = Ulid.generate(1_700_000_000_001L, r);
    assertEquals(26, a.toString().length());
    assertEquals(a, Ulid.parse(a.toString()));
    assertEquals(1_700_000_000_000L, a.timeMs());
    assertTrue(a.toString().compareTo(b.toString()) < 0);
    assertEquals(1_700_006_400_000L >= 0, true);
    assertEquals("01M8ETKQVEM1JDZE4NQE2NS6CP", Ulid.parse("01m8etkqvem1jdze4nqe2ns6cp").toString());
    assertThrows(IllegalArgumentException.class, () -> Ulid.parse("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
    assertThrows(IllegalArgumentException.class, () -> Ulid.parse("01M8ETKQVEM1JDZE4NQE2NS6CU"));
  }

  @Test
  void failedWriteLeavesNoDirectory() throws Exception {
    dev.promkit.tsdb.chunkenc.XorChunk c = new dev.promkit.tsdb.chunkenc.XorChunk();
    c.appender().append(MAXT, 1);
    var s = new BlockWriter.SeriesChunks(Labels.of("__name__", "late"),
        List.of(new BlockWriter.TimedChunk(c, MAXT, MAXT)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlockWriter.write(dir, T0, MAXT, List.of(s)));
    assertTrue(e.getMessage().contains("outside the block range"), e.getMessage());
    try (Stream<Path> l = Files.list(dir)) {
      assertEquals(List.of(), l.toList(), "temporary directory removed");
    }
  }

  @Test
  void emptyRangeWritesNoBlock() throws Exception {
    assertEquals(null, BlockWriter.write(dir, T0, MAXT, BlockTestSupport.memory(Map.of())));
  }

  @Test
  void bulkReadFloatsReturnsExactlyTheIteratorsSamplesForEveryRange() throws Exception {
    try (Block block = Block.open(writeRandom(6, 300))) {
      Random rnd = new Random(11);
      long[][] ranges = {{T0, MAXT}, {T0 - 1000, T0 + 5}, {MAXT - 1000_000, MAXT + 1000}};
      for (int r = 0; r < 40; r++) {
        long from;
        long to;
        if (r < ranges.length) {
          from = ranges[r][0];
          to = ranges[r][1];
        } else {
          from = T0 + rnd.nextInt(2 * 3600_000);
          to = from + rnd.nextInt(3600_000);
        }
        long qFrom = from + (r % 2 == 0 ? 0 : 7_000); // a readFloats range inside the querier's, or equal
        long qTo = to - (r % 3 == 0 ? 0 : 5_000);
        try (Querier q = block.querier(from, to)) {
          SeriesSet set = q.select(true, null, LabelMatcher.re("__name__", ".+"));
          SampleBuffer buf = new SampleBuffer(1);
          ChunkIterator it = null;
          int series = 0;
          while (set.next()) {
            Series s = set.at();
            buf.clear();
            assertTrue(s.readFloats(qFrom, qTo, buf), "all floats");
            List<String> want = new java.util.ArrayList<>();
            it = s.iterator(it);
            while (it.next() == ValueType.FLOAT) {
              if (it.atT() >= qFrom && it.atT() <= qTo) {
                want.add(it.atT() + "=" + Double.doubleToRawLongBits(it.atV()));
              }
            }
            List<String> got = new java.util.ArrayList<>();
            for (int i = 0; i < buf.size(); i++) {
              got.add(buf.times()[i] + "=" + Double.doubleToRawLongBits(buf.values()[i]));
            }
            assertEquals(want, got, "series " + s.labels() + " in [" + qFrom + ", " + qTo + "]");
            series++;
          }
          if (r == 0) {
            assertEquals(6, series, "every series over the whole block");
          }
        }
      }
    }
  }
}
