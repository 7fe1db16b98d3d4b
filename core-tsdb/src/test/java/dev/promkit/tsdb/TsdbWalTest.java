package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbWalTest {
  private static final WalOptions SMALL_WAL = WalOptions.defaults().withSegmentSize(32 * 1024).withSyncOnCommit(false);

  @TempDir Path tmp;

  private Tsdb open() {
    return Tsdb.open(TsdbOptions.defaults().withDir(tmp), SMALL_WAL);
  }

  /**
   * The data directory as a crash would leave it, while the database is still open (its lock forbids a
   * second open of the directory itself): a copy of the files, without the lock file.
   */
  private Path crashCopy() {
    Path copy = tmp.resolve("crash-copy");
    try (var files = Files.walk(tmp)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = tmp.relativize(p);
        if (rel.startsWith("crash-copy") || rel.toString().equals("lock")) {
          continue;
        }
        Path dst = copy.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return copy;
  }

  private static Labels series(int i) {
    return Labels.of("__name__", "wal_test", "i", Integer.toString(i));
  }

  /** Appends t in [from, to) for series 0..n-1, one commit per timestamp; value = t * 1000 + i. */
  private static void fill(Tsdb db, int n, long from, long to) {
    Appender app = db.appender();
    for (long t = from; t < to; t++) {
      for (int i = 0; i < n; i++) {
        app.append(0, series(i), t, t * 1000.0 + i);
      }
      app.commit();
    }
  }

  /** series label "i" -> timestamps, checking each value. */
  private static Map<Integer, List<Long>> dump(Tsdb db) {
    Map<Integer, List<Long>> out = new TreeMap<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "wal_test"));
      ChunkIterator it = null;
      while (set.next()) {
        int i = Integer.parseInt(set.at().labels().get("i"));
        List<Long> ts = new ArrayList<>();
        it = set.at().iterator(it);
        while (it.next() == ValueType.FLOAT) {
          assertEquals(it.atT() * 1000.0 + i, it.atV());
          ts.add(it.atT());
        }
        assertNull(it.err());
        out.put(i, ts);
      }
      assertNull(set.err());
    }
    return out;
  }

  private static List<Long> range(long from, long to) {
    List<Long> l = new ArrayList<>();
    for (long t = from; t < to; t++) {
      l.add(t);
    }
    return l;
  }

  private static double metric(Tsdb db, String name) {
    for (MetricSnapshot s : db.metrics().collect()) {
      if (s.metadata().name().equals(name)) {
        return ((CounterSnapshot) s).dataPoints().get(0).value();
      }
    }
    throw new AssertionError("no metric " + name);
  }

  @Test
  void reopenReplaysEveryCommittedSample() {
    try (Tsdb db = open()) {
      fill(db, 20, 1000, 1300);
    }
    try (Tsdb db = open()) {
      Map<Integer, List<Long>> got = dump(db);
      assertEquals(20, got.size());
      got.values().forEach(ts -> assertEquals(range(1000, 1300), ts));
    }
  }

  @Test
  void commitsLargerThanOneWalRecordReplayWhole() {
    // more new series and samples per commit than WalHeadLog puts in one record
    int n = WalHeadLog.MAX_SAMPLES_PER_RECORD + WalHeadLog.MAX_SERIES_PER_RECORD + 3;
    Tsdb crashed = open();
    fill(crashed, n, 1, 3);
    Path copy = crashCopy(); // only what the commits wrote: no checkpoint, no close
    crashed.close();
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(copy), SMALL_WAL)) {
      Map<Integer, List<Long>> got = dump(db);
      assertEquals(n, got.size());
      got.values().forEach(ts -> assertEquals(range(1, 3), ts));
    }
  }

  @Test
  void commitIsInTheWalBeforeClose() {
    Tsdb crashed = open(); // not closed before the copy: only what commit wrote is on disk
    fill(crashed, 3, 1, 50);
    Path copy = crashCopy();
    crashed.close();
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(copy), SMALL_WAL)) {
      dump(db).values().forEach(ts -> assertEquals(range(1, 50), ts));
    }
  }

  @Test
  void uncommittedSamplesAreNotReplayed() {
    Tsdb crashed = open();
    fill(crashed, 2, 1, 10);
    Appender app = crashed.appender();
    app.append(0, series(0), 10, 10_000.0);
    app.append(0, series(5), 10, 10_005.0); // a new series, rolled back
    app.rollback();
    Path copy = crashCopy();
    crashed.close();
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(copy), SMALL_WAL)) {
      Map<Integer, List<Long>> got = dump(db);
      assertEquals(range(1, 10), got.get(0));
      assertFalse(got.containsKey(5) && !got.get(5).isEmpty(), "rolled-back sample replayed");
    }
  }

  @Test
  void sampleOnASeriesAnotherAppenderCreatedSurvivesWhenThatAppenderNeverCommits() {
    Tsdb crashed = open();
    Appender a = crashed.appender();
    Appender b = crashed.appender();
    a.append(0, series(7), 100, 100_007.0); // a creates the series, commits nothing
    b.append(0, series(7), 101, 101_007.0); // b finds it and commits first
    b.commit();
    Path copy = crashCopy();
    crashed.close();
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(copy), SMALL_WAL)) {
      assertEquals(List.of(101L), dump(db).get(7), "b's committed sample must be replayable");
    }
  }

  @Test
  void tornTailIsRepairedCountedAndAppendsContinue() throws IOException {
    try (Tsdb db = open()) {
      fill(db, 5, 1, 200);
    }
    Path walDir = tmp.resolve("wal");
    Path lastSeg = lastSegmentWithData(walDir);
    long size = Files.size(lastSeg);
    try (RandomAccessFile f = new RandomAccessFile(lastSeg.toFile(), "rw")) {
      f.setLength(size - 20); // tears the last commit's Samples record
    }
    List<String> logged = new ArrayList<>();
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.promkit.tsdb.wal.Wal");
    java.util.logging.Handler h = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        logged.add(new java.text.MessageFormat(r.getMessage()).format(r.getParameters()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(h);
    try (Tsdb db = open()) {
      jul.removeHandler(h);
      assertEquals(1, logged.size(), logged.toString());
      String seg = lastSeg.getFileName().toString();
      assertTrue(logged.get(0).contains("WAL corruption in segment " + seg + " at offset "), logged.get(0));
      assertEquals(1.0, metric(db, "prometheus_tsdb_wal_corruptions"));
      Map<Integer, List<Long>> got = dump(db);
      got.values().forEach(ts -> assertEquals(range(1, 199), ts, "only the torn last commit is lost"));
      fill(db, 5, 199, 210);
    }
    try (Tsdb db = open()) {
      assertEquals(0.0, metric(db, "prometheus_tsdb_wal_corruptions"), "repaired for good");
      dump(db).values().forEach(ts -> assertEquals(range(1, 210), ts));
    }
  }

  private static Path lastSegmentWithData(Path walDir) throws IOException {
    Path best = null;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, "0*")) {
      for (Path p : ds) {
        if (Files.size(p) > 0 && (best == null || p.getFileName().toString().compareTo(best.getFileName().toString()) > 0)) {
          best = p;
        }
      }
    }
    return best;
  }

  @Test
  void truncateCheckpointsTheWalAndReplayKeepsLiveData() throws IOException {
    try (Tsdb db = open()) {
      fill(db, 10, 1, 1500); // ~180 KB of Samples records: several 32 KiB segments
      Appender app = db.appender();
      for (long t = 1500; t < 2000; t++) { // only series 0 goes on
        app.append(0, series(0), t, t * 1000.0);
        app.commit();
      }
      db.truncate(1600); // series 1..9 end before 1600: they are gone
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp.resolve("wal"), "checkpoint.*")) {
        assertTrue(ds.iterator().hasNext(), "a checkpoint was written");
      }
      assertEquals(1.0, metric(db, "prometheus_tsdb_checkpoint_creations"));
      assertEquals(1.0, metric(db, "prometheus_tsdb_wal_truncations"));
    }
    try (Tsdb db = open()) {
      Map<Integer, List<Long>> got = dump(db);
      assertEquals(List.of(0), new ArrayList<>(got.keySet()), "only the live series is replayed");
      List<Long> ts = got.get(0);
      assertTrue(ts.containsAll(range(1600, 2000)), "every sample at or after mint survives");
      fill(db, 1, 2000, 2010);
    }
  }

  @Test
  void replaySkipsRecordTypesTheHeadDoesNotKeep() throws IOException {
    try (dev.promkit.tsdb.wal.Wal w = dev.promkit.tsdb.wal.Wal.open(tmp.resolve("wal"), SMALL_WAL,
        new dev.promkit.tsdb.wal.WalMetrics())) {
      dev.promkit.tsdb.encoding.EncBuf b = new dev.promkit.tsdb.encoding.EncBuf();
      w.log(dev.promkit.tsdb.record.RecordEncoder.series(3, series(1), b));
      w.log(new dev.promkit.tsdb.encoding.EncBuf().putByte(6).putUvarint(3).putByte(1).putUvarint(0)); // metadata
      w.log(new dev.promkit.tsdb.encoding.EncBuf().putByte(200)); // a type from the future
      w.log(dev.promkit.tsdb.record.RecordEncoder.tombstones(List.of(new dev.promkit.tsdb.record.Tombstone(3, 0, 1)), b));
      dev.promkit.tsdb.record.RefSamples s = new dev.promkit.tsdb.record.RefSamples();
      s.add(3, 42, 42_001.0);
      w.log(dev.promkit.tsdb.record.RecordEncoder.samples(s, b));
      w.commit();
    }
    try (Tsdb db = open()) {
      assertEquals(List.of(42L), dump(db).get(1));
    }
  }

  @Test
  void segmentsLeftBelowTheCheckpointByACrashAreDeletedNotCheckpointedAgain() throws IOException {
    Path wal = tmp.resolve("wal");
    try (Tsdb db = open()) {
      fill(db, 10, 1, 1500);
      db.truncate(1);
    }
    List<String> cps = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(wal, "checkpoint.*")) {
      ds.forEach(p -> cps.add(p.getFileName().toString()));
    }
    assertEquals(1, cps.size());
    Files.write(wal.resolve("00000000"), new byte[0]); // as if the deletion had been interrupted
    try (Tsdb db = open()) {
      fill(db, 10, 1500, 1600);
      db.truncate(1);
      assertFalse(Files.exists(wal.resolve("00000000")));
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(wal, "checkpoint.*")) {
        for (Path p : ds) {
          assertTrue(p.getFileName().toString().compareTo(cps.get(0)) >= 0, "no older checkpoint: " + p);
        }
      }
    }
    try (Tsdb db = open()) {
      dump(db).values().forEach(ts -> assertEquals(range(1, 1600), ts));
    }
  }

  @Test
  void damagedCheckpointStopsOpenWithoutTouchingTheWal() throws IOException {
    try (Tsdb db = open()) {
      fill(db, 10, 1, 1500);
      db.truncate(1); // keeps everything, but folds old segments into a checkpoint
    }
    Path cp;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp.resolve("wal"), "checkpoint.*")) {
      cp = ds.iterator().next().resolve("00000000");
    }
    try (RandomAccessFile f = new RandomAccessFile(cp.toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 1);
    }
    long before = walBytes();
    java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.io.UncheckedIOException.class, this::open);
    assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
    assertEquals(before, walBytes(), "nothing repaired or deleted");
  }

  @Test
  void replayDoesNotWriteReplayedSamplesAgain() throws IOException {
    try (Tsdb db = open()) {
      fill(db, 5, 1, 100);
    }
    long before = walBytes();
    try (Tsdb db = open()) {
      assertEquals(5, dump(db).size());
    }
    assertEquals(before, walBytes(), "reopening wrote nothing but an empty segment");
  }

  private long walBytes() throws IOException {
    long sum = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp.resolve("wal"))) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          sum += Files.size(p);
        }
      }
    }
    return sum;
  }
}
