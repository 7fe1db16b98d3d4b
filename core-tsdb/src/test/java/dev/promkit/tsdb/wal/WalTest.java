package dev.promkit.tsdb.wal;

import static dev.promkit.tsdb.wal.WalTestSupport.readAll;
import static dev.promkit.tsdb.wal.WalTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.tsdb.encoding.EncBuf;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  private static final int PAGE = WalFormat.PAGE_SIZE;
  private static final WalOptions SMALL = new WalOptions(4L * PAGE, false);

  @TempDir Path tmp;

  private List<byte[]> writeRecords(Path dir, WalOptions opts, int[] sizes) throws IOException {
    List<byte[]> written = new ArrayList<>();
    try (Wal w = Wal.open(dir, opts, new WalMetrics())) {
      for (int i = 0; i < sizes.length; i++) {
        byte[] r = record(i, sizes[i]);
        w.log(r, 0, r.length);
        written.add(r);
        if (i % 3 == 0) {
          w.commit();
        }
      }
    }
    return written;
  }

  private static void assertSameRecords(List<byte[]> want, List<byte[]> got) {
    assertEquals(want.size(), got.size(), "record count");
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), got.get(i), "record " + i);
    }
  }

  @Test
  void roundTripsRecordsAcrossPageAndSegmentBoundaries() throws IOException {
    Random rnd = new Random(42);
    int[] sizes = new int[300];
    for (int i = 0; i < sizes.length; i++) {
      int k = rnd.nextInt(10);
      sizes[i] = k == 0 ? 0 : k < 7 ? rnd.nextInt(2000) : k < 9 ? PAGE - 7 + rnd.nextInt(20) - 10 : rnd.nextInt(3 * PAGE);
    }
    Path dir = tmp.resolve("wal");
    List<byte[]> written = writeRecords(dir, SMALL, sizes);
    List<Integer> segs = WalFormat.listSegments(dir);
    assertTrue(segs.size() > 10, "expected many segments, got " + segs);
    WalTestSupport.ReadResult res = readAll(dir);
    assertNull(res.corruption);
    assertSameRecords(written, res.records);
    // every non-last segment is whole pages and at most the segment size unless one record is larger
    for (int s : segs.subList(0, segs.size() - 1)) {
      long size = Files.size(WalFormat.segmentPath(dir, s));
      assertEquals(0, size % PAGE, "segment " + s + " not page aligned: " + size);
    }
  }

  @Test
  void recordLargerThanSegmentFillsOneOversizedSegment() throws IOException {
    Path dir = tmp.resolve("wal");
    int[] sizes = {100, 6 * PAGE, 100};
    List<byte[]> written = writeRecords(dir, SMALL, sizes);
    WalTestSupport.ReadResult res = readAll(dir);
    assertSameRecords(written, res.records);
    assertEquals(List.of(0L, 1L, 2L),
        res.positions.stream().map(p -> p[0]).collect(Collectors.toList()), "segment of each record");
    assertTrue(Files.size(WalFormat.segmentPath(dir, 1)) > SMALL.segmentSize());
  }

  @Test
  void writesPrometheusFragmentHeaders() throws IOException {
    Path dir = tmp.resolve("wal");
    byte[] r = {1, 2, 3};
    try (Wal w = Wal.open(dir, SMALL, new WalMetrics())) {
      w.log(r, 0, 3);
      w.log(record(7, PAGE), 0, PAGE); // needs two fragments: first + last
    }
    byte[] seg = Files.readAllBytes(WalFormat.segmentPath(dir, 0));
    assertEquals(WalFormat.FULL, seg[0]);
    assertEquals(0, seg[1]);
    assertEquals(3, seg[2]);
    int crc = dev.promkit.tsdb.encoding.Crc32c.checksum(r, 0, 3);
    assertEquals(crc, ((seg[3] & 0xFF) << 24) | ((seg[4] & 0xFF) << 16) | ((seg[5] & 0xFF) << 8) | (seg[6] & 0xFF));
    assertEquals(WalFormat.FIRST, seg[10]);
    int firstLen = ((seg[11] & 0xFF) << 8) | (seg[12] & 0xFF);
    assertEquals(PAGE - 10 - 7, firstLen, "first fragment fills the page");
    assertEquals(WalFormat.LAST, seg[PAGE]);
  }

  @Test
  void batchIsLoggedInOrderAndFlushedOnce() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.open(dir, SMALL, new WalMetrics())) {
      List<EncBuf> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        byte[] r = record(i, 100 * i);
        batch.add(new EncBuf().putBytes(r, 0, r.length));
      }
      w.logBatch(batch);
      WalTestSupport.ReadResult res = readAll(dir); // readable before close: logBatch flushed
      assertEquals(5, res.records.size());
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(record(i, 100 * i), res.records.get(i));
      }
    }
  }

  @Test
  void reopenedWalWritesANewSegment() throws IOException {
    Path dir = tmp.resolve("wal");
    writeRecords(dir, SMALL, new int[] {10, 20});
    try (Wal w = Wal.open(dir, SMALL, new WalMetrics())) {
      assertEquals(1, w.currentSegment());
      assertEquals(1, w.metrics().segmentCurrent());
    }
  }

  @Test
  void newSegmentIsNumberedAfterTheLastCheckpoint() throws IOException {
    Path dir = tmp.resolve("wal");
    Files.createDirectories(dir.resolve("checkpoint.00000007"));
    try (Wal w = Wal.open(dir, SMALL, new WalMetrics())) {
      assertEquals(8, w.currentSegment());
    }
  }

  @Test
  void committedRecordsAreReadableWhileTheWalIsOpen() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.open(dir, SMALL.withSyncOnCommit(true), new WalMetrics())) {
      EncBuf b = new EncBuf();
      b.putBE64(99);
      w.log(b);
      w.commit();
      WalTestSupport.ReadResult res = readAll(dir);
      assertNull(res.corruption);
      assertEquals(1, res.records.size());
      assertEquals(1, w.metrics().fsyncCount());
    }
  }

  @Test
  void replayStopsAtTornRecordKeepingEarlierSamples() throws IOException {
    // Earlier records end ~1000 bytes before the page end, so the last record crosses a page boundary.
    Path dir = tmp.resolve("wal");
    int[] sizes = {4000, 12000, 15640, 500, 1200}; // the last starts 600 bytes before the page end
    List<byte[]> written = writeRecords(dir, SMALL, sizes);
    WalTestSupport.ReadResult full = readAll(dir);
    assertSameRecords(written, full.records);
    long start = full.positions.get(sizes.length - 1)[1];
    long end = full.positions.get(sizes.length - 1)[2];
    assertTrue(end > PAGE && start < PAGE, "last record must cross the page boundary: " + start + ".." + end);
    Path seg = WalFormat.segmentPath(dir, 0);
    List<byte[]> earlier = written.subList(0, written.size() - 1);
    for (long cut = end - 1; cut > start; cut--) {
      truncate(seg, cut);
      WalTestSupport.ReadResult res = readAll(dir);
      assertSameRecords(earlier, res.records);
      assertNotNull(res.corruption, "torn record not reported when cut at " + cut);
      assertEquals(0, res.corruption.segment());
      assertEquals(start, res.corruption.offset(), "offset reported for cut at " + cut);
    }
    truncate(seg, start); // cut exactly at the record boundary: nothing is torn
    WalTestSupport.ReadResult res = readAll(dir);
    assertNull(res.corruption);
    assertSameRecords(earlier, res.records);
  }

  @Test
  void tornMultiPageRecordIsReportedAtItsStart() throws IOException {
    Path dir = tmp.resolve("wal");
    int[] sizes = {100, 3 * PAGE};
    List<byte[]> written = writeRecords(dir, new WalOptions(16L * PAGE, false), sizes);
    WalTestSupport.ReadResult full = readAll(dir);
    long start = full.positions.get(1)[1];
    long end = full.positions.get(1)[2];
    Path seg = WalFormat.segmentPath(dir, 0);
    for (long cut = end - 1; cut > start; cut -= (cut % PAGE < 20 || cut % PAGE > PAGE - 20) ? 1 : 97) {
      truncate(seg, cut);
      WalTestSupport.ReadResult res = readAll(dir);
      assertSameRecords(written.subList(0, 1), res.records);
      assertNotNull(res.corruption, "cut at " + cut);
      assertEquals(start, res.corruption.offset(), "cut at " + cut);
    }
  }

  @Test
  void flippedBitIsReportedAsCrcMismatchAtItsSegmentAndOffset() throws IOException {
    Path dir = tmp.resolve("wal");
    int[] sizes = new int[100];
    java.util.Arrays.fill(sizes, 3000);
    List<byte[]> written = writeRecords(dir, SMALL, sizes);
    WalTestSupport.ReadResult full = readAll(dir);
    // pick a record in segment 1 and flip one bit in the middle of its data
    int victim = -1;
    for (int i = 0; i < full.positions.size(); i++) {
      long[] p = full.positions.get(i);
      if (p[0] == 1 && p[1] > 0 && p[1] % PAGE + 7 + 3000 <= PAGE) { // one fragment, inside a page
        victim = i;
        break;
      }
    }
    assertTrue(victim > 0);
    long off = full.positions.get(victim)[1];
    try (RandomAccessFile f = new RandomAccessFile(WalFormat.segmentPath(dir, 1).toFile(), "rw")) {
      f.seek(off + 7 + 1000);
      int b = f.read();
      f.seek(off + 7 + 1000);
      f.write(b ^ 0x10);
    }
    WalTestSupport.ReadResult res = readAll(dir);
    assertSameRecords(written.subList(0, victim), res.records);
    assertNotNull(res.corruption);
    assertEquals(1, res.corruption.segment());
    assertEquals(off, res.corruption.offset());
    assertTrue(res.corruption.getMessage().contains("CRC32-C mismatch"), res.corruption.getMessage());
    assertTrue(res.corruption.getMessage().contains("00000001"), res.corruption.getMessage());
  }

  @Test
  void unknownFlagBitIsCorruption() throws IOException {
    Path dir = tmp.resolve("wal");
    writeRecords(dir, SMALL, new int[] {10, 10});
    try (RandomAccessFile f = new RandomAccessFile(WalFormat.segmentPath(dir, 0).toFile(), "rw")) {
      f.seek(17);
      f.write(WalFormat.FULL | 0x20);
    }
    WalTestSupport.ReadResult res = readAll(dir);
    assertEquals(1, res.records.size());
    assertEquals(17, res.corruption.offset());
    assertTrue(res.corruption.getMessage().contains("unknown flag bits"), res.corruption.getMessage());
  }

  private static byte[] fragment(int type, byte[] data) {
    EncBuf b = new EncBuf();
    b.putByte(type).putBE16(data.length).putBE32(dev.promkit.tsdb.encoding.Crc32c.checksum(data, 0, data.length));
    return b.putBytes(data, 0, data.length).toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    EncBuf b = new EncBuf();
    for (byte[] p : parts) {
      b.putBytes(p, 0, p.length);
    }
    return b.toByteArray();
  }

  @Test
  void readsSnappyCompressedRecordsAsPrometheusWritesThem() throws IOException {
    // "abc" literal, then a 2-byte-offset copy of 12 bytes from 3 back, then a 1-byte-offset copy of 5
    byte[] snappy = {20, 0x08, 'a', 'b', 'c', 0x2E, 3, 0, 0x05, 3};
    byte[] plain = "abcabcabcabcabcabcab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int half = 4;
    byte[] seg = concat(
        fragment(WalFormat.FULL | WalFormat.SNAPPY_FLAG, snappy),
        fragment(WalFormat.FULL, plain),
        fragment(WalFormat.FIRST | WalFormat.SNAPPY_FLAG, java.util.Arrays.copyOfRange(snappy, 0, half)),
        fragment(WalFormat.LAST | WalFormat.SNAPPY_FLAG, java.util.Arrays.copyOfRange(snappy, half, snappy.length)));
    Path dir = tmp.resolve("wal");
    Files.createDirectories(dir);
    Files.write(WalFormat.segmentPath(dir, 0), seg);
    WalTestSupport.ReadResult res = readAll(dir);
    assertNull(res.corruption);
    assertSameRecords(List.of(plain, plain, plain), res.records);
  }

  @Test
  void undecodableSnappyRecordIsCorruption() throws IOException {
    byte[] bad = {20, 0x08, 'a', 'b', 'c', 0x2E, 9, 0}; // copy from before the start
    Path dir = tmp.resolve("wal");
    Files.createDirectories(dir);
    Files.write(WalFormat.segmentPath(dir, 0), concat(fragment(WalFormat.FULL, new byte[] {1}),
        fragment(WalFormat.FULL | WalFormat.SNAPPY_FLAG, bad)));
    WalTestSupport.ReadResult res = readAll(dir);
    assertEquals(1, res.records.size());
    assertEquals(8, res.corruption.offset());
    assertTrue(res.corruption.getMessage().contains("snappy"), res.corruption.getMessage());
  }

  @Test
  void zstdRecordsAreRefusedNotRepaired() throws IOException {
    Path dir = tmp.resolve("wal");
    Files.createDirectories(dir);
    Files.write(WalFormat.segmentPath(dir, 0), fragment(WalFormat.FULL | WalFormat.ZSTD_FLAG, new byte[] {1, 2}));
    IOException e = assertThrows(IOException.class, () -> {
      try (WalReader r = WalReader.open(dir)) {
        r.next();
      }
    });
    assertFalse(e instanceof WalCorruptionException, "must not be repairable corruption: " + e);
    assertTrue(e.getMessage().contains("zstd"), e.getMessage());
  }

  @Test
  void garbageInPagePaddingIsCorruption() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.open(dir, SMALL, new WalMetrics())) {
      w.log(record(1, 10), 0, 10);
      w.nextSegment(); // pads page 0 of segment 0
    }
    try (RandomAccessFile f = new RandomAccessFile(WalFormat.segmentPath(dir, 0).toFile(), "rw")) {
      f.seek(5000);
      f.write(1);
    }
    WalTestSupport.ReadResult res = readAll(dir);
    assertEquals(5000, res.corruption.offset());
  }

  @Test
  void repairThenContinueAppending() throws IOException {
    Path dir = tmp.resolve("wal");
    int[] sizes = new int[80];
    java.util.Arrays.fill(sizes, 5000);
    List<byte[]> written = writeRecords(dir, SMALL, sizes);
    List<Integer> segs = WalFormat.listSegments(dir);
    assertTrue(segs.size() >= 3, segs.toString());
    WalTestSupport.ReadResult full = readAll(dir);
    // tear record 40 (in the middle of the WAL): everything after it is lost, nothing before
    long[] pos = full.positions.get(40);
    int damagedSeg = (int) pos[0];
    truncate(WalFormat.segmentPath(dir, damagedSeg), pos[1] + 100);
    WalMetrics metrics = new WalMetrics();
    try (Wal w = Wal.open(dir, SMALL, metrics)) {
      WalTestSupport.ReadResult res = readAll(dir);
      assertNotNull(res.corruption);
      assertSameRecords(written.subList(0, 40), res.records);
      w.repair(res.corruption);
      assertEquals(damagedSeg + 1, w.currentSegment());
      assertEquals(pos[1], Files.size(WalFormat.segmentPath(dir, damagedSeg)), "cut at the last good record");
      byte[] more = record(1000, 7000);
      w.log(more, 0, more.length);
      w.commit();
      assertEquals(1, metrics.corruptions());
      List<byte[]> want = new ArrayList<>(written.subList(0, 40));
      want.add(more);
      WalTestSupport.ReadResult after = readAll(dir);
      assertNull(after.corruption);
      assertSameRecords(want, after.records);
    }
    assertEquals(damagedSeg + 2, WalFormat.listSegments(dir).size(), "later segments were deleted");
  }

  @Test
  void writeErrorStopsTheWalUntilReopened() throws Exception {
    Path dir = tmp.resolve("wal");
    byte[] good = record(1, 100);
    Wal w = Wal.open(dir, SMALL, new WalMetrics());
    w.log(good, 0, good.length);
    w.commit();
    // simulate the device failing under the writer
    java.lang.reflect.Field f = Wal.class.getDeclaredField("segmentFile");
    f.setAccessible(true);
    ((java.nio.channels.FileChannel) f.get(w)).close();
    byte[] big = record(2, 3 * PAGE);
    assertThrows(IOException.class, () -> w.log(big, 0, big.length));
    IOException later = assertThrows(IOException.class, w::commit);
    assertTrue(later.getMessage().contains("stopped after a write error"), later.getMessage());
    w.close(); // does not throw, writes nothing more
    WalTestSupport.ReadResult res = readAll(dir);
    assertSameRecords(List.of(good), res.records);
  }

  @Test
  void truncateDeletesOnlyOlderSegments() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.open(dir, SMALL, new WalMetrics())) {
      for (int i = 0; i < 4; i++) {
        w.log(record(i, 10), 0, 10);
        w.nextSegment();
      }
      w.truncate(3);
      assertEquals(List.of(3, 4), WalFormat.listSegments(dir));
      w.truncate(100);
      assertEquals(List.of(4), WalFormat.listSegments(dir), "the segment being written stays");
      assertEquals(2, w.metrics().truncations());
    }
  }

  @Test
  void readerRejectsAGapBetweenSegments() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.open(dir, SMALL, new WalMetrics())) {
      w.nextSegment();
      w.nextSegment();
    }
    Files.delete(WalFormat.segmentPath(dir, 1));
    IOException e = assertThrows(IOException.class, () -> WalReader.open(dir));
    assertTrue(e.getMessage().contains("not consecutive"), e.getMessage());
  }

  @Test
  void rejectsSegmentSizeThatIsNotWholePages() {
    assertThrows(IllegalArgumentException.class, () -> new WalOptions(PAGE + 1, true));
  }

  @Test
  void metricsUsePrometheusNames() throws IOException {
    Path dir = tmp.resolve("wal");
    WalMetrics m = new WalMetrics();
    try (Wal w = Wal.open(dir, SMALL, m)) {
      w.log(record(1, 10), 0, 10);
      w.sync();
      w.nextSegment();
    }
    Map<String, MetricSnapshot> byName = m.collect().list().stream()
        .collect(Collectors.toMap(s -> s.metadata().name(), s -> s));
    assertTrue(byName.get("prometheus_tsdb_wal_corruptions") instanceof CounterSnapshot);
    assertTrue(byName.get("prometheus_tsdb_wal_truncations") instanceof CounterSnapshot);
    assertTrue(byName.get("prometheus_tsdb_checkpoint_creations") instanceof CounterSnapshot);
    SummarySnapshot fsync = (SummarySnapshot) byName.get("prometheus_tsdb_wal_fsync_duration_seconds");
    assertTrue(fsync.dataPoints().get(0).count() >= 2, "sync + rotation fsyncs counted");
    GaugeSnapshot seg = (GaugeSnapshot) byName.get("prometheus_tsdb_wal_segment_current");
    assertEquals(1.0, seg.dataPoints().get(0).value());
    assertEquals(m.metricNames().size(), byName.size());
    assertFalse(byName.containsKey(null));
  }

  private static void truncate(Path p, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
  }
}
