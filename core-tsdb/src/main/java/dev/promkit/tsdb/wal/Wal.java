package dev.promkit.tsdb.wal;

import static dev.promkit.tsdb.wal.WalFormat.FIRST;
import static dev.promkit.tsdb.wal.WalFormat.FULL;
import static dev.promkit.tsdb.wal.WalFormat.HEADER_SIZE;
import static dev.promkit.tsdb.wal.WalFormat.LAST;
import static dev.promkit.tsdb.wal.WalFormat.MIDDLE;
import static dev.promkit.tsdb.wal.WalFormat.PAGE_SIZE;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.fileutil.StepHook;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The write-ahead log: an append-only sequence of opaque records in numbered segment files of
 * 32 KiB pages, in Prometheus' format (docs/format/wal.md). Records are buffered in the current
 * page; {@link #commit()} writes them to the file and, when {@link WalOptions#syncOnCommit()}, fsyncs.
 *
 * <p>A freshly opened WAL always writes a new segment after the last one on disk (and after the last
 * checkpoint), so a segment torn by a crash is never appended to. Thread-safe: all methods synchronise on the instance.
 */
public final class Wal implements Closeable {
  private static final System.Logger LOG = System.getLogger(Wal.class.getName());

  private final Path dir;
  private final WalOptions options;
  private final WalMetrics metrics;
  private final int pagesPerSegment;
  private final byte[] page = new byte[PAGE_SIZE];
  private final ByteBuffer pageBuf = ByteBuffer.wrap(page); // reused view for writes: no allocation per flush
  private final CRC32C crc = new CRC32C();
  private FileChannel segmentFile;
  private int segment;
  private int donePages;
  private int alloc;
  private int flushed;
  private boolean closed;
  private IOException failure; // first write error; the WAL refuses writes after it

  private Wal(Path dir, WalOptions options, WalMetrics metrics) {
    this.dir = dir;
    this.options = options;
    this.metrics = metrics;
    this.pagesPerSegment = (int) (options.segmentSize() / PAGE_SIZE);
  }

  /**
   * Opens (creating if needed) the WAL in {@code dir} and starts a new segment after the last one.
   *
   * @param metrics where to count fsyncs, truncations, repairs; may be shared
   */
  public static Wal open(Path dir, WalOptions options, WalMetrics metrics) throws IOException {
    Files.createDirectories(dir);
    Wal w = new Wal(dir, Objects.requireNonNull(options, "options"), Objects.requireNonNull(metrics, "metrics"));
    List<Integer> segs = WalFormat.listSegments(dir);
    int last = segs.isEmpty() ? -1 : segs.get(segs.size() - 1);
    // Never number a segment at or below the last checkpoint: replay would skip it.
    int cp = Checkpoint.last(dir).map(Checkpoint.Ref::index).orElse(-1);
    w.openSegment(Math.max(last, cp) + 1);
    return w;
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** The options. */
  public WalOptions options() {
    return options;
  }

  /** The metrics this WAL reports to. */
  public WalMetrics metrics() {
    return metrics;
  }

  /** Index of the segment being written. */
  public synchronized int currentSegment() {
    return segment;
  }

  /** Indexes of the segment files on disk, ascending (the last is the one being written). */
  public List<Integer> segments() throws IOException {
    return WalFormat.listSegments(dir);
  }

  /** Appends one record (buffered until {@link #flush()} or {@link #commit()}). */
  public void log(EncBuf record) throws IOException {
    log(record.array(), 0, record.len());
  }

  /** Appends {@code rec[off, off+len)} as one record (buffered until {@link #flush()} or {@link #commit()}). */
  public synchronized void log(byte[] rec, int off, int len) throws IOException {
    ensureWritable();
    Objects.checkFromIndexSize(off, len, rec.length);
    try {
      logLocked(rec, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private void logLocked(byte[] rec, int off, int len) throws IOException {
    if (pageFull()) {
      flushPage(true);
    }
    // Records never span segments: when this one does not fit in what is left, start the next segment.
    long left = (long) (PAGE_SIZE - alloc - HEADER_SIZE)
        + (long) (PAGE_SIZE - HEADER_SIZE) * (pagesPerSegment - donePages - 1);
    if (len > left && (donePages > 0 || alloc > 0)) {
      nextSegmentLocked();
    }
    int rest = len;
    int p = off;
    boolean first = true;
    do {
      int n = Math.min(rest, PAGE_SIZE - alloc - HEADER_SIZE);
      boolean last = n == rest;
      int type = first ? (last ? FULL : FIRST) : (last ? LAST : MIDDLE);
      crc.reset();
      crc.update(rec, p, n);
      int c = (int) crc.getValue();
      page[alloc] = (byte) type;
      page[alloc + 1] = (byte) (n >>> 8);
      page[alloc + 2] = (byte) n;
      page[alloc + 3] = (byte) (c >>> 24);
      page[alloc + 4] = (byte) (c >>> 16);
      page[alloc + 5] = (byte) (c >>> 8);
      page[alloc + 6] = (byte) c;
      System.arraycopy(rec, p, page, alloc + HEADER_SIZE, n);
      alloc += HEADER_SIZE + n;
      p += n;
      rest -= n;
      first = false;
      if (pageFull()) {
        flushPage(true);
      }
    } while (rest > 0);
  }

  /** Appends several records, in order, and flushes them once. */
  public synchronized void logBatch(List<EncBuf> records) throws IOException {
    for (EncBuf r : records) {
      log(r.array(), 0, r.len());
    }
    flush();
  }

  /** Writes buffered records to the segment file (no fsync). */
  public synchronized void flush() throws IOException {
    ensureWritable();
    try {
      flushPage(false);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** Writes buffered records and fsyncs the segment file. */
  public synchronized void sync() throws IOException {
    flush();
    try {
      fsync(segmentFile);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** Makes everything logged so far durable: flush, plus fsync when {@link WalOptions#syncOnCommit()}. */
  public synchronized void commit() throws IOException {
    flush();
    if (options.syncOnCommit()) {
      try {
        fsync(segmentFile);
      } catch (IOException e) {
        throw failed(e);
      }
    }
  }

  /** Closes the current segment (zero-padding its last page) and starts the next. Returns the new index. */
  public synchronized int nextSegment() throws IOException {
    ensureWritable();
    try {
      nextSegmentLocked();
    } catch (IOException e) {
      throw failed(e);
    }
    return segment;
  }

  /**
   * Deletes the segments whose index is below {@code index} (never the one being written). Called
   * after a checkpoint covering them was written.
   */
  public synchronized void truncate(int index) throws IOException {
    metrics.truncation();
    for (int s : WalFormat.listSegments(dir)) {
      if (s >= index || s >= segment) {
        break;
      }
      Files.deleteIfExists(WalFormat.segmentPath(dir, s));
      StepHook.reached("wal.segment-deleted");
    }
    FileUtil.fsyncDir(dir);
  }

  /**
   * Repairs the corruption found by a {@link WalReader} of this WAL's directory: the damaged segment
   * is cut after its last complete record, later segments (including the one being written) are
   * deleted, and writing continues in a fresh segment after the damaged one. Logs and counts it.
   */
  public synchronized void repair(WalCorruptionException corruption) throws IOException {
    ensureOpen();
    if (!corruption.dir().toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("corruption in " + corruption.dir() + " is not in this WAL " + dir);
    }
    if (corruption.segment() > segment) {
      throw new IllegalArgumentException("corruption in segment " + corruption.segment()
          + " is after the segment being written " + segment);
    }
    segmentFile.close();
    repair(dir, corruption, metrics);
    resetPage();
    openSegment(corruption.segment() + 1);
    failure = null; // the damage is cut off and writing starts afresh
  }

  /**
   * Repairs a WAL directory that no writer has open (see {@link #repair(WalCorruptionException)}).
   *
   * @return the byte offset at which the damaged segment was cut
   */
  public static long repair(Path dir, WalCorruptionException corruption, WalMetrics metrics) throws IOException {
    int seg = corruption.segment();
    metrics.corruption();
    List<Integer> segs = WalFormat.listSegments(dir);
    int deleted = 0;
    for (int s : segs) {
      if (s > seg) {
        Files.deleteIfExists(WalFormat.segmentPath(dir, s));
        deleted++;
      }
    }
    long cut = 0;
    int kept = 0;
    try (WalReader r = WalReader.open(dir, seg, seg)) {
      while (r.next()) {
        cut = r.endOffset();
        kept++;
      }
    } catch (WalCorruptionException e) {
      // expected: we stop at the damage and keep what came before it
    }
    Path p = WalFormat.segmentPath(dir, seg);
    long size = Files.size(p);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.truncate(cut);
      ch.force(true);
    }
    FileUtil.fsyncDir(dir);
    LOG.log(Level.WARNING, "WAL corruption in segment {0} at offset {1} of {2}: {3}. Repaired: kept {4} records,"
        + " cut the segment from {5} to {6} bytes, deleted {7} later segment(s)",
        WalFormat.segmentName(seg), corruption.offset(), dir, corruption.reason(), kept, size, cut, deleted);
    return cut;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (failure == null) {
        flushPage(false);
        fsync(segmentFile);
      }
    } finally {
      closed = true;
      segmentFile.close();
    }
  }

  // --- internals ---

  private boolean pageFull() {
    return PAGE_SIZE - alloc < HEADER_SIZE;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("WAL " + dir + " is closed");
    }
  }

  /**
   * After a write error the segment may end in part of a record, and whatever followed it would be
   * unreadable: the WAL stops (fail-stop). Reopening replays it and cuts the partial record.
   */
  private void ensureWritable() throws IOException {
    ensureOpen();
    if (failure != null) {
      throw new IOException("WAL " + dir + " stopped after a write error (reopen to repair its tail): "
          + failure.getMessage(), failure);
    }
  }

  private IOException failed(IOException e) {
    failure = e;
    return e;
  }

  private void openSegment(int index) throws IOException {
    Path p = WalFormat.segmentPath(dir, index);
    segmentFile = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileUtil.fsyncDir(dir);
    segment = index;
    donePages = 0;
    metrics.segment(index);
  }

  private void nextSegmentLocked() throws IOException {
    if (alloc > 0) {
      flushPage(true);
    }
    fsync(segmentFile);
    segmentFile.close();
    openSegment(segment + 1);
  }

  /** Writes the unwritten part of the page; with {@code clear}, zero-pads it to the page end and starts a new page. */
  private void flushPage(boolean clear) throws IOException {
    if (clear) {
      alloc = PAGE_SIZE; // the bytes past the data are already zero (resetPage keeps them so)
    }
    if (alloc > flushed) {
      pageBuf.limit(alloc).position(flushed);
      while (pageBuf.hasRemaining()) {
        segmentFile.write(pageBuf);
      }
      flushed = alloc;
    }
    if (clear) {
      resetPage();
      donePages++;
    }
  }

  private void resetPage() {
    Arrays.fill(page, 0, alloc, (byte) 0);
    alloc = 0;
    flushed = 0;
  }

  private void fsync(FileChannel ch) throws IOException {
    long t0 = System.nanoTime();
    ch.force(false);
    metrics.fsync(System.nanoTime() - t0);
  }
}
