package dev.promkit.tsdb.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunks.CorruptionException;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A block with a damaged file is reported (a WARNING naming block directory, file and problem; the
 * gauge {@code promkit_tsdb_blocks_corrupted}; {@link Tsdb#corruptedBlocks()}), skipped and left on
 * disk untouched, while the rest of the database serves queries and takes appends. Damage that only
 * a query reaches (a chunk's CRC) fails that query with an error naming block, chunk ref and series.
 */
@Tag("slow")
class DamagedBlockTest {
  private static final long H = 3_600_000L;
  private static final long STEP = 60_000;
  private static final long T0 = 1_700_006_400_000L; // a multiple of 2 h
  private static final long END = T0 + 10 * H;
  private static final int SERIES = 6;
  private static final WalOptions WAL = WalOptions.defaults().withSyncOnCommit(false);

  @TempDir static Path template; // written once, copied for each test
  private static final Map<Labels, TreeMap<Long, Double>> TEMPLATE_MODEL = new TreeMap<>();
  private static String victimName; // the template's second block

  @TempDir Path dir;

  private final Map<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger jul = Logger.getLogger("dev.promkit.tsdb.Tsdb"); // System.Logger's default backend
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (logged) {
        logged.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** Five 2 h blocks and a head; the second block is the victim. */
  @BeforeAll
  static void writeTemplate() {
    try (Tsdb db = open(template)) {
      append(db, TEMPLATE_MODEL, T0, END);
      assertTrue(db.blocks().size() >= 3, "blocks written: " + db.blocks());
      victimName = db.blocks().get(1).dir().getFileName().toString();
    }
  }

  @BeforeEach
  void copyTemplateAndCaptureLog() throws IOException {
    try (Stream<Path> s = Files.walk(template)) {
      for (Path p : s.toList()) {
        Path to = dir.resolve(template.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    TEMPLATE_MODEL.forEach((l, m) -> model.put(l, new TreeMap<>(m)));
    jul.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    jul.removeHandler(capture);
  }

  private Tsdb open() {
    return open(dir);
  }

  private static Tsdb open(Path d) {
    // level compaction off (max block duration = block range): the test damages one particular 2 h block
    TsdbOptions o = TsdbOptions.defaults();
    return Tsdb.open(o.withDir(d).withRetentionMs(0).withMaxBlockDurationMs(o.blockRange()), WAL);
  }

  private static Labels series(int i) {
    return Labels.of("__name__", "damage_test", "i", Integer.toString(i));
  }

  private void append(Tsdb db, long from, long to) {
    append(db, model, from, to);
  }

  private static void append(Tsdb db, Map<Labels, TreeMap<Long, Double>> model, long from, long to) {
    for (long t = from; t < to; t += H) {
      Appender app = db.appender();
      for (long u = t; u < Math.min(t + H, to); u += STEP) {
        for (int i = 0; i < SERIES; i++) {
          double v = u / STEP * 10.0 + i;
          app.append(0, series(i), u, v);
          model.computeIfAbsent(series(i), k -> new TreeMap<>()).put(u, v);
        }
      }
      app.commit();
      db.compactHead();
    }
  }

  /** The copy's second block, the victim, opened to read its meta (and closed). */
  private Block victim() throws IOException {
    try (Block b = Block.open(dir.resolve(victimName))) {
      return b;
    }
  }

  enum Damage {
    INDEX_TRUNCATED("index", "TOC checksum mismatch"),
    INDEX_GARBLED("index", "checksum mismatch"),
    INDEX_MISSING("index", "missing"),
    CHUNK_SEGMENT_TRUNCATED("chunks/000001", "outside the file"),
    CHUNK_SEGMENT_CUT_MID_CHUNK("chunks/000001", "truncated by end of file"),
    LAST_CHUNK_CRC("chunks/000001", "chunk checksum mismatch"),
    CHUNK_SEGMENT_MISSING("chunks/000001", "no chunk segment, but the index references chunks"),
    CHUNK_SEGMENT_BAD_MAGIC("chunks/000001", "bad magic"),
    META_MISSING("meta.json", "missing"),
    META_NOT_JSON("meta.json", "not valid meta.json"),
    META_OTHER_VERSION("meta.json", "unsupported meta.json version"),
    META_OTHER_ULID("meta.json", "not its directory"),
    META_EMPTY_RANGE("meta.json", "empty time range"),
    TOMBSTONES_GARBLED("tombstones", "bad magic");

    final String file;
    final String problem;

    Damage(String file, String problem) {
      this.file = file;
      this.problem = problem;
    }

    void apply(Path block) throws IOException {
      Path f = block.resolve(file);
      byte[] b = Files.exists(f) ? Files.readAllBytes(f) : new byte[0];
      switch (this) {
        case INDEX_TRUNCATED:
        case CHUNK_SEGMENT_TRUNCATED:
          Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
          break;
        case CHUNK_SEGMENT_CUT_MID_CHUNK:
          Files.write(f, java.util.Arrays.copyOf(b, b.length - 3));
          break;
        case INDEX_GARBLED:
          b[b.length - 30] ^= 0x55; // inside the TOC, which is CRC-checked
          Files.write(f, b);
          break;
        case LAST_CHUNK_CRC:
          b[b.length - 6] ^= 0x55; // the last chunk's data (its CRC is the last 4 bytes)
          Files.write(f, b);
          break;
        case CHUNK_SEGMENT_BAD_MAGIC:
          b[0] = 0;
          Files.write(f, b);
          break;
        case TOMBSTONES_GARBLED:
          b[1] ^= 0x55;
          Files.write(f, b);
          break;
        case INDEX_MISSING:
        case CHUNK_SEGMENT_MISSING:
        case META_MISSING:
          Files.delete(f);
          break;
        case META_NOT_JSON:
          Files.writeString(f, new String(b, StandardCharsets.UTF_8).substring(0, b.length / 2));
          break;
        case META_OTHER_VERSION:
          Files.writeString(f, new String(b, StandardCharsets.UTF_8).replace("\"version\": 1", "\"version\": 7"));
          break;
        case META_OTHER_ULID:
          Files.writeString(f, new String(b, StandardCharsets.UTF_8).replace(block.getFileName().toString(),
              "01ARZ3NDEKTSV4RRFFQ69G5FAV"));
          break;
        case META_EMPTY_RANGE:
          Files.writeString(f, new String(b, StandardCharsets.UTF_8).replaceFirst("\"maxTime\": \\d+",
              "\"maxTime\": 0"));
          break;
        default:
          throw new AssertionError(this);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void damagedBlockIsReportedSkippedAndKeptWhileTheRestServesAndAppends(Damage damage) throws IOException {
    Block victim = victim();
    Path vdir = victim.dir();
    damage.apply(vdir);
    Map<String, byte[]> before = snapshot(vdir);

    try (Tsdb db = open()) {
      // reported: Tsdb.corruptedBlocks, the gauge, one WARNING naming directory, file and problem
      assertEquals(List.of(vdir), List.copyOf(db.corruptedBlocks().keySet()));
      String problem = db.corruptedBlocks().get(vdir);
      String file = damage == Damage.CHUNK_SEGMENT_MISSING ? "chunks" : damage.file; // the only segment is gone
      assertTrue(problem.startsWith(file + ": ") && problem.contains(damage.problem), problem);
      assertEquals(1.0, gauge(db, "promkit_tsdb_blocks_corrupted"));
      String warning = warnings().stream().filter(w -> w.contains(vdir.toString())).findFirst().orElse(null);
      assertNotNull(warning, "a WARNING names the block: " + warnings());
      assertTrue(warning.contains(file) && warning.contains(damage.problem) && warning.contains("skipped"),
          warning);

      // skipped: everything else is served, the victim's range is absent
      assertTrue(db.blocks().stream().noneMatch(b -> b.dir().equals(vdir)));
      assertQueriesEqualModelWithout(db, victim.meta().minTime(), victim.meta().maxTime());

      // appends and compaction go on
      int blocks = db.blocks().size();
      append(db, END, END + 2 * H);
      assertQueriesEqualModelWithout(db, victim.meta().minTime(), victim.meta().maxTime());
      assertTrue(db.blocks().size() > blocks, "a new block was cut: " + db.blocks());
    }
    // kept: the damaged block is not deleted or modified, by open, compaction or retention
    Map<String, byte[]> after = snapshot(vdir);
    assertEquals(before.keySet(), after.keySet(), "files of the damaged block");
    before.forEach((f, bytes) -> assertArrayEquals(bytes, after.get(f), f));
    try (Tsdb db = open()) {
      assertEquals(List.of(vdir), List.copyOf(db.corruptedBlocks().keySet()), "still reported after a reopen");
    }
  }

  @Test
  void undamagedDatabaseReportsNoCorruptedBlock() throws IOException {
    try (Tsdb db = open()) {
      assertEquals(Map.of(), db.corruptedBlocks());
      assertEquals(0.0, gauge(db, "promkit_tsdb_blocks_corrupted"));
      assertQueriesEqualModelWithout(db, 0, 0);
      assertTrue(warnings().isEmpty(), warnings().toString());
    }
  }

  @Test
  void chunkChecksumMismatchFoundByAQueryNamesBlockChunkRefAndSeries() throws IOException {
    Block victim = victim();
    Path seg = victim.dir().resolve("chunks").resolve("000001");
    byte[] b = Files.readAllBytes(seg);
    b[8 + 1 + 1 + 3] ^= 0x55; // first chunk of the segment (header 8, length 1 byte, encoding 1): its data
    Files.write(seg, b);
    try (Tsdb db = open()) {
      assertEquals(Map.of(), db.corruptedBlocks(), "only the last chunk is probed on open");
      Throwable err = firstError(db, victim.meta().minTime(), victim.meta().maxTime() - 1);
      assertTrue(err instanceof CorruptionException, String.valueOf(err));
      String msg = err.getMessage();
      assertTrue(msg.contains(seg.toString()) && msg.contains("block " + victim.meta().ulid())
          && msg.contains("chunk ref 8 (segment 1, offset 8)") && msg.contains("damage_test")
          && msg.contains("chunk checksum mismatch"), msg);
      // the other blocks and the head still answer
      Block other = db.blocks().get(0);
      assertNull(firstError(db, other.meta().minTime(), other.meta().maxTime() - 1));
      assertNull(firstError(db, END - H, END));
    }
  }

  @Test
  void segmentTruncatedWhileOpenFailsTheQueryInsteadOfCrashingTheJvm() throws IOException {
    try (Tsdb db = open()) {
      Block victim = db.blocks().get(1);
      try (FileChannel ch = FileChannel.open(victim.dir().resolve("chunks").resolve("000001"),
          StandardOpenOption.WRITE)) {
        ch.truncate(8); // behind the mapping's back: reads past the new end fault (SIGBUS)
      }
      Throwable err = firstError(db, victim.meta().minTime(), victim.meta().maxTime() - 1);
      assertTrue(err instanceof CorruptionException, String.valueOf(err));
      assertTrue(err.getMessage().contains("block " + victim.meta().ulid()), err.getMessage());
      assertNull(firstError(db, END - H, END), "the head still answers");
    }
  }

  /** The first error of a query over every test series in [mint, maxt], or null. */
  private static Throwable firstError(Tsdb db, long mint, long maxt) {
    try (Querier q = db.querier(mint, maxt)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "damage_test"));
      ChunkIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next() == ValueType.FLOAT) {
          // drain
        }
        if (it.err() != null) {
          return it.err();
        }
      }
      return set.err();
    }
  }

  private void assertQueriesEqualModelWithout(Tsdb db, long lo, long hi) {
    Map<Labels, TreeMap<Long, Double>> want = new TreeMap<>();
    model.forEach((l, s) -> {
      TreeMap<Long, Double> m = new TreeMap<>(s);
      m.subMap(lo, hi).clear();
      want.put(l, m);
    });
    Map<Labels, TreeMap<Long, Double>> got = new TreeMap<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "damage_test"));
      ChunkIterator it = null;
      while (set.next()) {
        TreeMap<Long, Double> m = new TreeMap<>();
        it = set.at().iterator(it);
        while (it.next() == ValueType.FLOAT) {
          assertNull(m.put(it.atT(), it.atV()), "duplicate sample");
        }
        assertNull(it.err());
        got.put(set.at().labels(), m);
      }
      assertNull(set.err());
    }
    assertEquals(want, got);
  }

  private static double gauge(Tsdb db, String name) {
    for (MetricSnapshot m : db.metrics().collect()) {
      if (m.metadata().name().equals(name)) {
        return ((GaugeSnapshot) m).dataPoints().get(0).value();
      }
    }
    throw new AssertionError("no metric " + name);
  }

  private List<String> warnings() {
    List<String> out = new ArrayList<>();
    synchronized (logged) {
      for (LogRecord r : logged) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          out.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
        }
      }
    }
    return out;
  }

  private static Map<String, byte[]> snapshot(Path block) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(block)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(block.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
