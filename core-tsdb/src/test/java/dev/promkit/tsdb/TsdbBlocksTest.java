package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbBlocksTest {
  static final long H = 3_600_000L;
  static final long RANGE = 2 * H;
  /** Not aligned to 2 h, so the first block starts before the first sample. */
  static final long T0 = 1_700_000_000_000L + 1234;
  static final long STEP = 60_000;
  private static final WalOptions WAL = WalOptions.defaults().withSegmentSize(64 * 1024).withSyncOnCommit(false);

  @TempDir Path tmp;

  private Tsdb open(TsdbOptions o) {
    // head compaction only: block compaction (2 h -> 6 h ...) is tested in TsdbCompactionTest
    return Tsdb.open(o.withDir(tmp).withMaxBlockDurationMs(RANGE), WAL);
  }

  private Tsdb open() {
    return open(TsdbOptions.defaults().withRetentionMs(0));
  }

  static Labels series(int i) {
    return Labels.of("__name__", i % 2 == 0 ? "a_metric" : "b_metric", "i", Integer.toString(i));
  }

  /** Appends one sample per STEP in [from, to) for n series, compacting every hour of data; records in the model. */
  static void fill(Tsdb db, Map<Labels, TreeMap<Long, Double>> model, int n, long from, long to, boolean compact) {
    Appender app = db.appender();
    Random r = new Random(from);
    long nextCompaction = from + H;
    for (long t = from; t < to; t += STEP) {
      for (int i = 0; i < n; i++) {
        double v = r.nextInt(1000) / 8.0;
        app.append(0, series(i), t, v);
        model.computeIfAbsent(series(i), k -> new TreeMap<>()).put(t, v);
      }
      app.commit();
      if (compact && t >= nextCompaction) {
        db.compactHead();
        nextCompaction += H;
      }
    }
    if (compact) { // leaves nothing for a background compaction on reopen, which would race with the assertions
      db.compactHead();
    }
  }

  static TreeMap<Labels, TreeMap<Long, Double>> read(Querier q, LabelMatcher... ms) {
    TreeMap<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    SeriesSet set = q.select(true, null, ms.length == 0 ? new LabelMatcher[] {LabelMatcher.re("__name__", ".+")} : ms);
    ChunkIterator it = null;
    Labels prev = null;
    while (set.next()) {
      Labels l = set.at().labels();
      if (prev != null) {
        assertTrue(prev.compareTo(l) < 0, "series sorted and distinct: " + prev + " then " + l);
      }
      prev = l;
      it = set.at().iterator(it);
      TreeMap<Long, Double> samples = new TreeMap<>();
      long lastT = Long.MIN_VALUE;
      while (it.next() != ValueType.NONE) {
        assertTrue(it.atT() > lastT, "timestamps strictly increasing in " + l);
        lastT = it.atT();
        samples.put(it.atT(), it.atV());
      }
      assertEquals(null, it.err());
      if (!samples.isEmpty()) {
        out.put(l, samples);
      }
    }
    assertEquals(null, set.err());
    return out;
  }

  static TreeMap<Labels, TreeMap<Long, Double>> window(Map<Labels, TreeMap<Long, Double>> model, long mint, long maxt) {
    TreeMap<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    model.forEach((l, s) -> {
      var sub = s.subMap(mint, true, maxt, true);
      if (!sub.isEmpty()) {
        out.put(l, new TreeMap<>(sub));
      }
    });
    return out;
  }

  static void assertQueriesEqualModel(Tsdb db, Map<Labels, TreeMap<Long, Double>> model, long from, long to) {
    Random r = new Random(7);
    List<long[]> windows = new ArrayList<>(List.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, new long[] {from, to}));
    for (int k = 0; k < 20; k++) {
      long a = from - H + (long) (r.nextDouble() * (to - from + 2 * H));
      windows.add(new long[] {a, a + (long) (r.nextDouble() * 5 * H)});
    }
    for (long[] w : windows) {
      try (Querier q = db.querier(w[0], w[1])) {
        var want = window(model, w[0], w[1]);
        var got = read(q);
        if (!want.equals(got)) { // a short message: the first difference
          for (Labels l : want.keySet()) {
            TreeMap<Long, Double> g = got.getOrDefault(l, new TreeMap<>());
            if (!want.get(l).equals(g)) {
              var onlyWant = new TreeMap<>(want.get(l));
              onlyWant.keySet().removeAll(g.keySet());
              var onlyGot = new TreeMap<>(g);
              onlyGot.keySet().removeAll(want.get(l).keySet());
              throw new AssertionError("window [" + w[0] + ", " + w[1] + "] " + l + ": " + want.get(l).size() + " samples want, "
                  + g.size() + " got; missing " + (onlyWant.isEmpty() ? "none" : onlyWant.firstKey() + ".." + onlyWant.lastKey())
                  + " extra " + (onlyGot.isEmpty() ? "none" : onlyGot.firstKey() + ".." + onlyGot.lastKey()));
            }
          }
          assertEquals(want.keySet(), got.keySet(), "window [" + w[0] + ", " + w[1] + "]");
        }
        assertEquals(window(model, w[0], w[1]).keySet().stream().filter(l -> l.get("__name__").equals("a_metric")).toList(),
            List.copyOf(read(q, LabelMatcher.eq("__name__", "a_metric")).keySet()));
      }
    }
  }

  @Test
  void compactionCutsAlignedBlocksAndQueriesAcrossHeadAndBlocksEqualTheModel() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    long end = T0 + 11 * H;
    try (Tsdb db = open()) {
      fill(db, model, 12, T0, end, true);
      db.compactHead();
      List<Block> blocks = db.blocks();
      assertTrue(blocks.size() >= 4, "blocks: " + blocks);
      long prevMax = Long.MIN_VALUE;
      for (Block b : blocks) {
        assertEquals(0, Math.floorMod(b.meta().minTime(), RANGE), "aligned start " + b);
        assertEquals(RANGE, b.meta().maxTime() - b.meta().minTime(), "2 h long " + b);
        assertTrue(b.meta().minTime() >= prevMax, "no overlap " + b);
        prevMax = b.meta().maxTime();
      }
      assertTrue(db.head().maxTime() - db.head().minTime() <= RANGE / 2 * 3, "head trimmed to <= 1.5 ranges");
      assertTrue(db.head().minTime() >= prevMax, "head starts after the last block");
      assertQueriesEqualModel(db, model, T0, end);
      try (Querier q = db.querier(T0, end)) {
        assertEquals(List.of("a_metric", "b_metric"), q.labelValues("__name__"));
      }
    }
  }

  @Test
  void reopenReadsBlocksAndWal() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    long end = T0 + 9 * H;
    int nBlocks;
    try (Tsdb db = open()) {
      fill(db, model, 6, T0, end, true);
      nBlocks = db.blocks().size();
      assertTrue(nBlocks >= 2);
    }
    try (Tsdb db = open()) {
      assertEquals(nBlocks, db.blocks().size());
      assertQueriesEqualModel(db, model, T0, end);
      // and it keeps going: more data, more blocks
      fill(db, model, 6, end, end + 4 * H, true);
      db.compactHead();
      assertTrue(db.blocks().size() > nBlocks);
      assertQueriesEqualModel(db, model, T0, end + 4 * H);
    }
  }

  @Test
  void samplesInBothTheWalAndABlockAreReturnedOnce() throws IOException {
    // As after a crash between writing a block and truncating the head: the WAL still holds the block's samples.
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    long end = T0 + 2 * H + 50 * 60_000; // under 1.5 ranges: no compaction of its own
    try (Tsdb db = open()) {
      fill(db, model, 4, T0, end, false);
      assertEquals(0, db.blocks().size());
      long mint = Math.floorDiv(T0, RANGE) * RANGE;
      assertTrue(BlockWriter.write(tmp, mint, mint + RANGE, db.head()) != null);
    }
    try (Tsdb db = open()) {
      assertEquals(1, db.blocks().size());
      assertQueriesEqualModel(db, model, T0, end);
    }
  }

  @Test
  void overlappingBlocksAreMergedWithoutDuplicates() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    MemoryStorage a = new MemoryStorage();
    MemoryStorage b = new MemoryStorage();
    Appender aa = a.appender();
    Appender ba = b.appender();
    long base = Math.floorDiv(T0, RANGE) * RANGE;
    for (int i = 0; i < 3; i++) {
      for (long t = base; t < base + RANGE; t += STEP) {
        double v = i * 1000 + (t - base) / STEP;
        long k = (t - base) / STEP;
        if (k % 3 != 0) { // a: 1,2 mod 3; b: 0,2 mod 3 (shared: 2 mod 3) -> union is all
          aa.append(0, series(i), t, v);
        }
        if (k % 3 != 1 && i != 2) { // series 2 only in a
          ba.append(0, series(i), t, v);
        }
        if (k % 3 != 0 || i != 2) {
          model.computeIfAbsent(series(i), x -> new TreeMap<>()).put(t, v);
        }
      }
    }
    aa.commit();
    ba.commit();
    BlockWriter.write(tmp, base, base + RANGE, a);
    BlockWriter.write(tmp, base + RANGE / 2, base + RANGE, b); // overlaps the second half of a
    BlockWriter.write(tmp, base, base + RANGE / 2, b);
    try (Tsdb db = open()) {
      assertEquals(3, db.blocks().size());
      assertQueriesEqualModel(db, model, base, base + RANGE);
    }
  }

  @Test
  void damagedBlockIsSkippedAndTheRestKeepsServing() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    long end = T0 + 9 * H;
    Block victim;
    try (Tsdb db = open()) {
      fill(db, model, 6, T0, end, true);
      assertTrue(db.blocks().size() >= 3);
      victim = db.blocks().get(1);
    }
    try (FileChannel ch = FileChannel.open(victim.dir().resolve("index"), StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 0}), 0); // destroys the magic number
    }
    try (Tsdb db = open()) {
      assertFalse(db.blocks().stream().anyMatch(b -> b.meta().ulid().equals(victim.meta().ulid())));
      long lo = victim.meta().minTime();
      long hi = victim.meta().maxTime();
      TreeMap<Labels, TreeMap<Long, Double>> rest = new TreeMap<>();
      model.forEach((l, s) -> {
        TreeMap<Long, Double> m = new TreeMap<>(s);
        m.subMap(lo, hi).clear();
        rest.put(l, m);
      });
      assertQueriesEqualModel(db, rest, T0, end);
      assertTrue(Files.exists(victim.dir()), "a damaged block is kept for inspection, not deleted");
    }
  }

  @Test
  void timeRetentionDeletesWholeOldBlocks() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    long end = T0 + 14 * H;
    List<Path> before;
    try (Tsdb db = open(TsdbOptions.defaults().withRetentionMs(0))) {
      fill(db, model, 3, T0, end, true);
      before = db.blocks().stream().map(Block::dir).toList();
      assertTrue(before.size() >= 5);
    }
    long retention = 5 * H;
    try (Tsdb db = open(TsdbOptions.defaults().withRetentionMs(retention))) {
      List<Block> kept = db.blocks();
      long newest = kept.stream().mapToLong(b -> b.meta().maxTime()).max().orElseThrow();
      assertEquals(3, kept.size(), "blocks ending within 5 h of the newest end: " + kept);
      for (Path p : before) {
        boolean stays = kept.stream().anyMatch(b -> b.dir().equals(p));
        assertEquals(stays, Files.exists(p), "deleted blocks are gone from disk: " + p);
      }
      long cut = kept.get(0).meta().minTime();
      assertTrue(newest - kept.get(0).meta().maxTime() <= retention);
      TreeMap<Labels, TreeMap<Long, Double>> rest = new TreeMap<>();
      model.forEach((l, s) -> rest.put(l, new TreeMap<>(s.tailMap(cut, true))));
      assertQueriesEqualModel(db, rest, cut, end);
    }
  }

  @Test
  void sizeRetentionDeletesTheOldestBlocksFirst() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    List<Block> all;
    try (Tsdb db = open()) {
      fill(db, model, 8, T0, T0 + 12 * H, true);
      all = db.blocks();
      assertTrue(all.size() >= 4);
    }
    int n = all.size();
    long budget = size(tmp.resolve("wal")) + size(all.get(n - 1).dir()) + size(all.get(n - 2).dir())
        + size(all.get(n - 3).dir()) / 2;
    try (Tsdb db = open(TsdbOptions.defaults().withRetentionMs(0).withRetentionBytes(budget))) {
      assertEquals(List.of(all.get(n - 2).meta().ulid(), all.get(n - 1).meta().ulid()),
          db.blocks().stream().map(b -> b.meta().ulid()).toList());
      for (int i = 0; i < n - 2; i++) {
        assertFalse(Files.exists(all.get(i).dir()), "oldest deleted: " + all.get(i).dir());
      }
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void lockPreventsASecondOpenOfTheSameDirectory() {
    try (Tsdb db = open()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
      assertTrue(e.getMessage().contains(tmp.getFileName().toString()) && e.getMessage().contains("already open"),
          e.getMessage());
      assertTrue(Files.exists(tmp.resolve("lock")));
    }
    try (Tsdb again = open()) { // released on close
      assertNotEquals(null, again);
    }
  }

  @Test
  void leftoverTemporaryBlockDirectoriesAreRemovedOnOpen() throws IOException {
    Path creation = tmp.resolve("01HFZ0000000000000000000AA.tmp-for-creation");
    Path deletion = tmp.resolve("01HFZ0000000000000000000AB.tmp-for-deletion");
    Files.createDirectories(creation.resolve("chunks"));
    Files.writeString(creation.resolve("chunks/000001"), "half a block");
    Files.createDirectories(deletion);
    try (Tsdb db = open()) {
      assertFalse(Files.exists(creation));
      assertFalse(Files.exists(deletion));
      assertEquals(0, db.blocks().size());
    }
  }

  @Test
  void compactsInTheBackgroundAfterCommits() throws InterruptedException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    long end = T0 + 6 * H;
    try (Tsdb db = open()) {
      fill(db, model, 4, T0, end, false);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (db.head().maxTime() - db.head().minTime() > RANGE / 2 * 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(db.blocks().size() >= 2, "blocks cut without a compactHead() call: " + db.blocks());
      assertQueriesEqualModel(db, model, T0, end);
    }
  }

  @Test
  void memoryOnlyDatabaseRefusesCompaction() {
    try (Tsdb db = Tsdb.inMemory()) {
      assertThrows(IllegalStateException.class, db::compactHead);
    }
  }
}
