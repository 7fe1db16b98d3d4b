package dev.promkit.tsdb.chunks;

import dev.promkit.tsdb.chunkenc.Chunk;
import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.fileutil.FileUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes chunks into numbered segment files ({@code 000001}, {@code 000002}, ...) of a block's
 * {@code chunks} directory. Each segment starts with an 8-byte header; each chunk is
 * {@code uvarint(len) | encoding | data | CRC32-C(encoding, data)}. A segment is cut before a chunk
 * would take it past the size limit. {@link #close()} fsyncs every segment and the directory.
 */
public final class ChunkWriter implements AutoCloseable {
  private final Path dir;
  private final long maxSegmentBytes;
  private final EncBuf head = new EncBuf(16);
  private final CRC32C crc = new CRC32C(); // reused: one per writer
  private FileChannel ch;
  private OutputStream out;
  private int segment = -1;
  private long pos;

  /** A writer with Prometheus' 512 MiB segment limit. */
  public ChunkWriter(Path dir) throws IOException {
    this(dir, ChunkFormat.DEFAULT_SEGMENT_BYTES);
  }

  /** A writer with a custom segment limit (bytes, at least the header plus one chunk). */
  public ChunkWriter(Path dir, long maxSegmentBytes) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.maxSegmentBytes = maxSegmentBytes;
  }

  /** Appends a chunk and returns its ref ({@code segment << 32 | offset}). */
  public long write(Chunk c) throws IOException {
    byte[] data = c.bytes();
    head.reset().putUvarint(data.length).putByte(c.encoding().code());
    long size = head.len() + data.length + 4L;
    if (ch == null || (pos + size > maxSegmentBytes && pos > ChunkFormat.HEADER_BYTES)) {
      cut();
    }
    long ref = ((long) segment << 32) | pos;
    crc.reset();
    crc.update(c.encoding().code());
    crc.update(data, 0, data.length);
    int sum = (int) crc.getValue();
    out.write(head.array(), 0, head.len());
    out.write(data);
    out.write(new byte[] {(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
    pos += size;
    return ref;
  }

  private void cut() throws IOException {
    finishSegment();
    segment++;
    ch = FileChannel.open(dir.resolve(ChunkFormat.segmentName(segment)),
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
    EncBuf h = new EncBuf(8).putBE32(ChunkFormat.MAGIC).putByte(ChunkFormat.VERSION).putByte(0).putByte(0).putByte(0);
    out.write(h.array(), 0, h.len());
    pos = ChunkFormat.HEADER_BYTES;
  }

  private void finishSegment() throws IOException {
    if (ch != null) {
      out.flush();
      ch.force(true);
      ch.close();
      ch = null;
    }
  }

  @Override
  public void close() throws IOException {
    finishSegment();
    FileUtil.fsyncDir(dir);
  }
}
