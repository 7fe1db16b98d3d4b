package dev.promkit.tsdb.wal;

import static dev.promkit.tsdb.wal.WalFormat.FIRST;
import static dev.promkit.tsdb.wal.WalFormat.FULL;
import static dev.promkit.tsdb.wal.WalFormat.HEADER_SIZE;
import static dev.promkit.tsdb.wal.WalFormat.LAST;
import static dev.promkit.tsdb.wal.WalFormat.MIDDLE;
import static dev.promkit.tsdb.wal.WalFormat.PAGE_SIZE;
import static dev.promkit.tsdb.wal.WalFormat.PAGE_TERM;
import static dev.promkit.tsdb.wal.WalFormat.SNAPPY_FLAG;
import static dev.promkit.tsdb.wal.WalFormat.TYPE_MASK;
import static dev.promkit.tsdb.wal.WalFormat.ZSTD_FLAG;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the records of a range of WAL segments in order, reassembling fragments. Each segment is
 * read on its own from offset 0 (records never span segments), one 32 KiB page at a time.
 *
 * <pre>{@code
 * try (WalReader r = WalReader.open(dir)) {
 *   while (r.next()) {
 *     decode(r.record(), r.length());
 *   }
 * } catch (WalCorruptionException e) {
 *   wal.repair(e); // everything returned before the exception is good
 * }
 * }</pre>
 *
 * <p>The record buffer is reused: copy what must outlive the next call to {@link #next()}.
 */
public final class WalReader implements Closeable {
  private final Path dir;
  private final int[] segments;
  private int segPos = -1;
  private int segment = -1;
  private FileChannel ch;
  private final byte[] page = new byte[PAGE_SIZE];
  private final ByteBuffer pageBuf = ByteBuffer.wrap(page);
  private final CRC32C crc = new CRC32C();
  private int pageLen;
  private int pos;
  private long pageStart;
  private long nextPageStart;
  private byte[] rec = new byte[1024];
  private byte[] spare = new byte[1024];
  private final int[] outLen = new int[1];
  private boolean recSnappy;
  private int recLen;
  private long recOffset;
  private long recEnd;

  private WalReader(Path dir, int[] segments) {
    this.dir = dir;
    this.segments = segments;
  }

  /** A reader over every segment in {@code dir} (none when the directory is absent). */
  public static WalReader open(Path dir) throws IOException {
    return open(dir, 0, Integer.MAX_VALUE);
  }

  /**
   * A reader over the segments of {@code dir} whose index lies in {@code [first, last]}.
   *
   * @throws IOException when the segments present in that range are not consecutive
   */
  public static WalReader open(Path dir, int first, int last) throws IOException {
    List<Integer> all = WalFormat.listSegments(dir);
    int[] sel = all.stream().mapToInt(Integer::intValue).filter(i -> i >= first && i <= last).toArray();
    for (int i = 1; i < sel.length; i++) {
      if (sel[i] != sel[i - 1] + 1) {
        throw new IOException("WAL segments in " + dir + " are not consecutive: " + WalFormat.segmentName(sel[i])
            + " follows " + WalFormat.segmentName(sel[i - 1]));
      }
    }
    return new WalReader(dir, sel);
  }

  /** The directory read. */
  public Path dir() {
    return dir;
  }

  /** Index of the segment holding the current record (-1 before the first). */
  public int segment() {
    return segment;
  }

  /** Byte offset in its segment where the current record's first fragment starts. */
  public long offset() {
    return recOffset;
  }

  /** Byte offset in its segment just past the current record's last fragment. */
  public long endOffset() {
    return recEnd;
  }

  /** The current record's bytes, valid in {@code [0, length())} until the next call to {@link #next()}. */
  public byte[] record() {
    return rec;
  }

  /** The current record's length. */
  public int length() {
    return recLen;
  }

  /**
   * Moves to the next record.
   *
   * @return false after the last record of the last segment
   * @throws WalCorruptionException on a damaged or torn fragment; records returned before are good
   */
  public boolean next() throws IOException {
    recLen = 0;
    boolean inRecord = false;
    long recStart = -1;
    while (true) {
      if (ch == null && !openNextSegment()) {
        return false;
      }
      if (pos >= pageLen) {
        if (!loadPage()) {
          if (inRecord) {
            throw corruption(recStart, "record cut short at the end of the segment (torn write)");
          }
          closeSegment();
        }
        continue;
      }
      long fragOff = pageStart + pos;
      if (PAGE_SIZE - pos < HEADER_SIZE) {
        // No header fits in the rest of the page: the writer zero-padded it.
        checkZeros(pos);
        pos = pageLen;
        continue;
      }
      int type = page[pos] & 0xFF;
      if (type == PAGE_TERM) {
        checkZeros(pos);
        pos = pageLen;
        continue;
      }
      int flags = type & ~TYPE_MASK;
      if ((flags & ~(SNAPPY_FLAG | ZSTD_FLAG)) != 0 || flags == (SNAPPY_FLAG | ZSTD_FLAG)) {
        throw corruption(fragOff, "fragment type byte 0x" + Integer.toHexString(type) + " has unknown flag bits");
      }
      if (flags == ZSTD_FLAG) {
        // Not corruption: a valid WAL we cannot decode. Refuse rather than let a repair cut it.
        throw new IOException("WAL " + WalFormat.segmentPath(dir, segment) + " at offset " + fragOff
            + ": zstd-compressed records are not supported (write the WAL with snappy or no compression)");
      }
      int ft = type & TYPE_MASK;
      if (ft > LAST) {
        throw corruption(fragOff, "unknown fragment type " + ft);
      }
      if (pageLen - pos < HEADER_SIZE) {
        throw corruption(inRecord ? recStart : fragOff, "fragment header cut short (torn write)");
      }
      int len = ((page[pos + 1] & 0xFF) << 8) | (page[pos + 2] & 0xFF);
      int want = ((page[pos + 3] & 0xFF) << 24) | ((page[pos + 4] & 0xFF) << 16)
          | ((page[pos + 5] & 0xFF) << 8) | (page[pos + 6] & 0xFF);
      int dataStart = pos + HEADER_SIZE;
      if (dataStart + len > PAGE_SIZE) {
        throw corruption(fragOff, "fragment length " + len + " runs past the end of the page");
      }
      if (dataStart + len > pageLen) {
        throw corruption(inRecord ? recStart : fragOff, "fragment data cut short (torn write)");
      }
      crc.reset();
      crc.update(page, dataStart, len);
      if ((int) crc.getValue() != want) {
        throw corruption(fragOff, String.format("CRC32-C mismatch: stored %08x, computed %08x", want,
            (int) crc.getValue()));
      }
      if (ft == FULL || ft == FIRST) {
        if (inRecord) {
          throw corruption(fragOff, "expected a middle or last fragment, found " + (ft == FULL ? "full" : "first"));
        }
        inRecord = true;
        recStart = fragOff;
        recSnappy = flags == SNAPPY_FLAG;
      } else if (!inRecord) {
        throw corruption(fragOff, (ft == MIDDLE ? "middle" : "last") + " fragment without a first fragment");
      } else if ((flags == SNAPPY_FLAG) != recSnappy) {
        throw corruption(fragOff, "compression flag differs from the record's first fragment");
      }
      append(dataStart, len);
      pos = dataStart + len;
      if (ft == FULL || ft == LAST) {
        recOffset = recStart;
        recEnd = pageStart + pos;
        if (recSnappy) {
          decompress();
        }
        return true;
      }
    }
  }

  /** Prometheus compresses the whole record, then fragments it: undo that after reassembly. */
  private void decompress() throws WalCorruptionException {
    try {
      spare = SnappyBlock.decompress(rec, recLen, spare, outLen);
    } catch (SnappyBlock.FormatException e) {
      throw corruption(recOffset, "snappy-compressed record does not decode: " + e.getMessage());
    }
    byte[] t = rec; // swap: the decoded bytes become the record, the old buffer the next spare
    rec = spare;
    spare = t;
    recLen = outLen[0];
  }

  private void append(int from, int len) {
    if (recLen + len > rec.length) {
      rec = Arrays.copyOf(rec, Math.max(rec.length << 1, recLen + len));
    }
    System.arraycopy(page, from, rec, recLen, len);
    recLen += len;
  }

  private void checkZeros(int from) throws WalCorruptionException {
    for (int i = from; i < pageLen; i++) {
      if (page[i] != 0) {
        throw corruption(pageStart + i, "non-zero byte in page padding");
      }
    }
  }

  private WalCorruptionException corruption(long offset, String reason) {
    return new WalCorruptionException(dir, segment, offset, reason);
  }

  private boolean openNextSegment() throws IOException {
    if (segPos + 1 >= segments.length) {
      return false;
    }
    segment = segments[++segPos];
    ch = FileChannel.open(WalFormat.segmentPath(dir, segment), StandardOpenOption.READ);
    pageLen = 0;
    pos = 0;
    pageStart = 0;
    nextPageStart = 0;
    return true;
  }

  private boolean loadPage() throws IOException {
    pageBuf.clear();
    while (pageBuf.hasRemaining()) {
      if (ch.read(pageBuf) < 0) {
        break;
      }
    }
    pageStart = nextPageStart;
    pageLen = pageBuf.position();
    nextPageStart += pageLen;
    pos = 0;
    return pageLen > 0;
  }

  private void closeSegment() throws IOException {
    ch.close();
    ch = null;
  }

  @Override
  public void close() throws IOException {
    if (ch != null) {
      closeSegment();
    }
  }
}
