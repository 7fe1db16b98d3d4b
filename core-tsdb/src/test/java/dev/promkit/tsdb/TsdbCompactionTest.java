package dev.promkit.tsdb;

import static dev.promkit.tsdb.TsdbBlocksTest.H;
import static dev.promkit.tsdb.TsdbBlocksTest.STEP;
import static dev.promkit.tsdb.TsdbBlocksTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.block.BlockMeta;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.block.Ulid;
import dev.promkit.tsdb.compact.Compactor;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.tombstones.TombstonesFile;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block compaction (levels, vertical), tombstones and snapshots through {@link Tsdb}. */
class TsdbCompactionTest {
  /** Aligned to 18 h (and so to 2 h and 6 h), so the levels fall on predictable boundaries. */
  static final long T0 = 18 * H * 26_000;
  static final WalOptions WAL = WalOptions.defaults().withSegmentSize(64 * 1024).withSyncOnCommit(false);

  @TempDir Path tmp;

  Tsdb open() {
    return Tsdb.open(TsdbOptions.defaults().withDir(tmp), WAL); // 15 d retention: ranges 2 h, 6 h, 18 h
  }

  static Labels series(int i) {
    return Labels.of("__name__", "m", "i", Integer.toString(i));
  }

  /** Appends n series, one sample per minute in [from, to), cutting head blocks as it goes. */
  static void fill(Tsdb db, Map<Labels, TreeMap<Long, Double>> model, int n, long from, long to) {
    Appender app = db.appender();
    Random r = new Random(from);
    for (long t = from; t < to; t += STEP) {
      for (int i = 0; i < n; i++) {
        double v = r.nextInt(1000) / 4.0;
        app.append(0, series(i), t, v);
        model.computeIfAbsent(series(i), k -> new TreeMap<>()).put(t, v);
      }
      app.commit();
      if ((t - from) % H == 0) {
        db.compactHead();
      }
    }
  }

  static TreeMap<Labels, TreeMap<Long, Double>> all(Tsdb db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return read(q);
    }
  }

  static String ranges(Tsdb db) {
    return db.blocks().stream().map(b -> "[" + (b.meta().minTime() - T0) / H + "," + (b.meta().maxTime() - T0) / H
        + ")L" + b.meta().level()).collect(Collectors.joining(" "));
  }

  static long count(Map<Labels, TreeMap<Long, Double>> m) {
    return m.values().stream().mapToLong(TreeMap::size).sum();
  }

  @Test
  void levelCompactionBuildsSixAndEighteenHourBlocksAndKeepsEveryAnswer() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    try (Tsdb db = open()) {
      fill(db, model, 3, T0, T0 + 20 * H);
      db.compact();
      // 2 h blocks [0,18) were cut; [16,18) is the newest and waits; [12,14) [14,16) do not fill 6 h yet
      assertEquals("[0,6)L2 [6,12)L2 [12,14)L1 [14,16)L1 [16,18)L1", ranges(db));
      Block six = db.blocks().get(0);
      assertEquals(3, six.meta().sources().size());
      assertEquals(3, six.meta().parents().size());
      for (BlockMeta.Parent p : six.meta().parents()) {
        assertFalse(Files.exists(tmp.resolve(p.ulid())), "source " + p.ulid() + " deleted");
      }
      assertEquals(model, all(db));
      assertTrue(db.compactionMetrics().compactions() >= 2);

      fill(db, model, 3, T0 + 20 * H, T0 + 40 * H);
      db.compact();
      Block eighteen = db.blocks().get(0);
      assertEquals(T0, eighteen.meta().minTime());
      assertEquals(T0 + 18 * H, eighteen.meta().maxTime());
      assertEquals(3, eighteen.meta().level(), ranges(db));
      assertEquals(9, eighteen.meta().sources().size(), "the nine 2 h blocks it holds");
      assertEquals(3, eighteen.meta().parents().size(), "the three 6 h blocks it was made of");
      assertEquals(model, all(db));
      TsdbBlocksTest.assertQueriesEqualModel(db, model, T0, T0 + 40 * H);
      assertEquals(db.blocks().size(), Files.list(tmp).filter(p -> p.getFileName().toString().length() == 26).count(),
          "no block directory besides the open blocks");
    }
    try (Tsdb db = open()) {
      assertEquals(model, all(db));
      BlockMeta m = BlockMeta.read(db.blocks().get(0).dir());
      assertEquals(3, m.level(), "levels are in meta.json");
    }
  }

  /** Two blocks overlapping in [1 h, 2 h), with the same samples there, as a backfill leaves them. */
  private TreeMap<Labels, TreeMap<Long, Double>> writeOverlappingBlocks() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    MemoryStorage a = new MemoryStorage();
    MemoryStorage b = new MemoryStorage();
    Appender aa = a.appender();
    Appender ba = b.appender();
    for (long t = T0; t < T0 + 3 * H; t += STEP) {
      for (int i = 0; i < 2; i++) {
        double v = (t - T0) / STEP + i;
        if (t < T0 + 2 * H) {
          aa.append(0, series(i), t, v);
        }
        if (t >= T0 + H) {
          ba.append(0, series(i), t, v);
        }
        model.computeIfAbsent(series(i), k -> new TreeMap<>()).put(t, v);
      }
    }
    aa.commit();
    ba.commit();
    BlockWriter.write(tmp, T0, T0 + 2 * H, a);
    BlockWriter.write(tmp, T0 + H, T0 + 3 * H, b);
    return model;
  }

  @Test
  void verticalCompactionMergesOverlappingBlocksKeepingEachTimestampOnce() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = writeOverlappingBlocks();
    try (Tsdb db = open()) {
      assertEquals(model, all(db), "the querier merges overlapping blocks");
      db.compact();
      assertEquals(1, db.blocks().size(), ranges(db));
      BlockMeta m = db.blocks().get(0).meta();
      assertEquals(T0, m.minTime());
      assertEquals(T0 + 3 * H, m.maxTime());
      assertEquals(2, m.level());
      assertEquals(count(model), m.numSamples(), "each timestamp stored once");
      assertEquals(model, all(db));
      assertEquals(1, db.compactionMetrics().verticalCompactions());
    }
  }

  @Test
  void openDeletesBlocksAlreadyCompactedIntoAnother() throws IOException {
    // The state a crash leaves between renaming the new block into place and deleting its sources.
    TreeMap<Labels, TreeMap<Long, Double>> model = writeOverlappingBlocks();
    List<Block> parents = new ArrayList<>();
    List<Path> parentDirs;
    try (Stream<Path> s = Files.list(tmp)) {
      parentDirs = s.sorted().toList();
    }
    for (Path p : parentDirs) {
      parents.add(Block.open(p));
    }
    Path child = Compactor.compact(tmp, parents);
    parents.forEach(Block::close);
    assertNotNull(child);
    try (Tsdb db = open()) {
      assertEquals(List.of(child), db.blocks().stream().map(Block::dir).toList());
      for (Path p : parentDirs) {
        assertFalse(Files.exists(p), "parent " + p + " deleted on open");
      }
      assertEquals(model, all(db));
      assertEquals(count(model), db.blocks().get(0).meta().numSamples());
    }
  }

  @Test
  void openDeletesStrayTemporaryBlockDirectories() throws IOException {
    List<Path> stray = List.of(tmp.resolve(Ulid.generate() + ".tmp-for-creation"),
        tmp.resolve(Ulid.generate() + ".tmp-for-deletion"), tmp.resolve(Ulid.generate() + ".tmp"));
    for (Path p : stray) {
      Files.createDirectories(p.resolve("chunks"));
      Files.writeString(p.resolve("chunks").resolve("000001"), "partial");
      Files.writeString(p.resolve("meta.json"), "{");
    }
    try (Tsdb db = open()) {
      for (Path p : stray) {
        assertFalse(Files.exists(p), p + " deleted");
      }
      assertEquals(0, db.blocks().size());
    }
  }

  @Test
  void deleteHidesSamplesInHeadAndBlocksAtOnceAndSurvivesReopen() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    long from = T0 + 3 * H;
    long to = T0 + 6 * H + 30 * 60_000; // [3h, 6h30): blocks and head
    try (Tsdb db = open()) {
      fill(db, model, 3, T0, T0 + 8 * H);
      // the last commit may start a background head compaction: finish it, so the head surely holds [6h, 8h)
      db.compactHead();
      assertFalse(db.blocks().isEmpty());
      assertTrue(db.head().minTime() <= to, "the range reaches the head too");
      db.delete(from, to, LabelMatcher.eq("i", "1"));
      model.get(series(1)).subMap(from, true, to, true).clear();
      assertEquals(model, all(db));
      TsdbBlocksTest.assertQueriesEqualModel(db, model, T0, T0 + 8 * H);
    }
    try (Tsdb db = open()) {
      assertEquals(model, all(db), "block tombstones files and the WAL's Tombstones records are read on open");
    }
  }

  @Test
  void headDeletionSurvivesReopenAndHeadCompaction() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    try (Tsdb db = open()) {
      fill(db, model, 2, T0, T0 + 2 * H); // all in the head
      assertTrue(db.blocks().isEmpty());
      db.delete(T0 + H, T0 + 2 * H, LabelMatcher.eq("i", "0"));
      model.get(series(0)).subMap(T0 + H, true, T0 + 2 * H, true).clear();
      assertEquals(model, all(db));
    }
    try (Tsdb db = open()) {
      assertEquals(model, all(db), "head deletion replayed from the WAL");
      fill(db, model, 2, T0 + 2 * H, T0 + 4 * H);
      db.compactHead();
      assertFalse(db.blocks().isEmpty());
      Block first = db.blocks().get(0);
      assertTrue(first.tombstones().isEmpty());
      assertEquals(count(TsdbBlocksTest.window(model, first.meta().minTime(), first.meta().maxTime() - 1)),
          first.meta().numSamples(), "deleted head samples are not written into the block");
      assertEquals(model, all(db));
    }
  }

  @Test
  void deletionDoesNotHideSamplesAppendedLater() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    try (Tsdb db = open()) {
      fill(db, model, 1, T0, T0 + H);
      db.delete(Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.eq("__name__", "m"));
      assertEquals(Map.of(), all(db));
      model.clear();
      fill(db, model, 1, T0 + H, T0 + 2 * H);
      assertEquals(model, all(db), "as Prometheus: the head tombstone ends at the newest sample deleted");
    }
  }

  @Test
  void memoryOnlyDatabaseHonoursDeletions() {
    try (Tsdb db = Tsdb.inMemory()) {
      Appender app = db.appender();
      for (long t = 0; t < 10; t++) {
        app.append(0, series(0), t, t);
        app.append(0, series(1), t, t);
      }
      app.commit();
      db.delete(2, 4, LabelMatcher.eq("i", "0"));
      TreeMap<Labels, TreeMap<Long, Double>> got = all(db);
      assertEquals(List.of(0L, 1L, 5L, 6L, 7L, 8L, 9L), List.copyOf(got.get(series(0)).keySet()));
      assertEquals(10, got.get(series(1)).size());
    }
  }

  @Test
  void deletedHeadSamplesStayHiddenAfterAnUnalignedTruncate() {
    try (Tsdb db = Tsdb.inMemory()) {
      Appender app = db.appender();
      for (long t = 0; t < 100; t++) {
        app.append(0, series(0), t, t);
      }
      app.commit();
      db.delete(10, 20, LabelMatcher.eq("i", "0"));
      db.truncate(15); // drops whole chunks only: the one chunk holding 0..99 stays
      TreeMap<Long, Double> got = all(db).get(series(0));
      assertTrue(got.keySet().stream().noneMatch(t -> t >= 10 && t <= 20), got.keySet().toString());
      assertEquals(89, got.size(), "what the truncation left, minus the deletion");
    }
  }

  @Test
  void cleanTombstonesRewritesBlocksWithoutTheDeletedSamples() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    try (Tsdb db = open()) {
      fill(db, model, 3, T0, T0 + 8 * H);
      Block victim = db.blocks().get(0);
      long lo = victim.meta().minTime();
      long hi = victim.meta().minTime() + H;
      db.delete(lo, hi, LabelMatcher.re("i", "0|2"));
      assertFalse(victim.tombstones().isEmpty());
      assertTrue(Files.size(victim.dir().resolve(TombstonesFile.NAME)) > 9, "tombstones written to the block");
      for (int i : new int[] {0, 2}) {
        model.get(series(i)).subMap(lo, true, hi, true).clear();
      }
      assertEquals(1, db.cleanTombstones());
      assertFalse(Files.exists(victim.dir()), "the old block is deleted");
      Block rewritten = db.blocks().stream().filter(b -> b.meta().minTime() == lo).findFirst().orElseThrow();
      assertTrue(rewritten.tombstones().isEmpty());
      assertEquals(Files.size(rewritten.dir().resolve(TombstonesFile.NAME)), 9);
      assertEquals(victim.meta().ulid(), rewritten.meta().parents().get(0).ulid());
      assertEquals(victim.meta().sources(), rewritten.meta().sources());
      assertEquals(count(TsdbBlocksTest.window(model, lo, rewritten.meta().maxTime() - 1)),
          rewritten.meta().numSamples());
      assertEquals(model, all(db));
      assertEquals(0, db.cleanTombstones(), "nothing left to clean");
    }
  }

  @Test
  void compactionDropsDeletedSamples() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    try (Tsdb db = open()) {
      fill(db, model, 2, T0, T0 + 10 * H);
      db.delete(T0 + H, T0 + 3 * H, LabelMatcher.eq("i", "1"));
      model.get(series(1)).subMap(T0 + H, true, T0 + 3 * H, true).clear();
      db.compact();
      Block six = db.blocks().get(0);
      assertEquals(T0 + 6 * H, six.meta().maxTime(), ranges(db));
      assertTrue(six.tombstones().isEmpty());
      assertEquals(count(TsdbBlocksTest.window(model, T0, T0 + 6 * H - 1)), six.meta().numSamples());
      assertEquals(model, all(db));
    }
  }

  @Test
  void snapshotHardLinksBlocksAndWritesTheHead() throws IOException {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    Path snap = tmp.resolve("snapshots").resolve("s1");
    try (Tsdb db = open()) {
      fill(db, model, 2, T0, T0 + 5 * H);
      db.snapshot(snap, true);
      for (Block b : db.blocks()) {
        Path copy = snap.resolve(b.dir().getFileName()).resolve("index");
        assertTrue(Files.isSameFile(copy, b.dir().resolve("index")) || Files.exists(copy));
        assertEquals(Files.getAttribute(b.dir().resolve("index"), "unix:ino"), Files.getAttribute(copy, "unix:ino"),
            "hard link");
      }
    }
    Path other = Files.createDirectories(tmp.resolve("other"));
    try (Stream<Path> s = Files.list(snap)) {
      for (Path p : s.toList()) {
        Files.move(p, other.resolve(p.getFileName()));
      }
    }
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(other), WAL)) {
      assertEquals(model, all(db), "blocks plus the head block hold everything");
    }
  }

  @Test
  void compactionMetricsUsePrometheusNames() {
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    try (Tsdb db = open()) {
      fill(db, model, 1, T0, T0 + 10 * H);
      db.compact();
      Map<String, MetricSnapshot> byName = new TreeMap<>();
      for (MetricSnapshot s : db.metrics().collect().list()) {
        byName.put(s.metadata().name(), s);
      }
      for (String n : List.of("prometheus_tsdb_compactions", "prometheus_tsdb_compactions_failed",
          "prometheus_tsdb_compactions_triggered", "prometheus_tsdb_vertical_compactions",
          "prometheus_tsdb_compaction_duration_seconds", "prometheus_tsdb_blocks_loaded",
          "prometheus_tsdb_lowest_timestamp", "prometheus_tsdb_lowest_timestamp_seconds",
          "prometheus_tsdb_tombstone_cleanup_seconds")) {
        assertTrue(byName.containsKey(n), n + " in " + byName.keySet());
      }
      long done = ((CounterSnapshot) byName.get("prometheus_tsdb_compactions")).dataPoints().get(0).value() > 0 ? 1 : 0;
      assertEquals(1, done);
      assertEquals((double) db.blocks().size(),
          ((GaugeSnapshot) byName.get("prometheus_tsdb_blocks_loaded")).dataPoints().get(0).value());
      assertEquals((double) T0, ((GaugeSnapshot) byName.get("prometheus_tsdb_lowest_timestamp")).dataPoints().get(0).value());
    }
  }
}
