package dev.promkit.tsdb.chunks;

import dev.promkit.tsdb.chunkenc.Chunk;
import dev.promkit.tsdb.chunkenc.Encoding;
import dev.promkit.tsdb.chunkenc.XorChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads chunks from the memory-mapped segment files of a {@code chunks} directory. Segment headers
 * are checked on open; each chunk's CRC when it is read. Thread-safe.
 */
public final class ChunkReader implements AutoCloseable {
  private final Path[] files;
  private final MappedByteBuffer[] segments;

  private ChunkReader(Path[] files, MappedByteBuffer[] segments) {
    this.files = files;
    this.segments = segments;
  }

  /**
   * Maps every segment of the directory (named 000001, 000002, ... without gaps).
   *
   * @throws CorruptionException for a missing segment, bad magic or version
   */
  public static ChunkReader open(Path dir) throws IOException {
    List<Path> list;
    try (Stream<Path> s = Files.list(dir)) {
      list = new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("\\d{6}")).sorted().toList());
    }
    Path[] files = list.toArray(new Path[0]);
    MappedByteBuffer[] segs = new MappedByteBuffer[files.length];
    for (int i = 0; i < files.length; i++) {
      if (!files[i].getFileName().toString().equals(ChunkFormat.segmentName(i))) {
        throw new CorruptionException(dir.resolve(ChunkFormat.segmentName(i)), 0, "chunk segment missing");
      }
      try (FileChannel ch = FileChannel.open(files[i])) {
        long size = ch.size();
        if (size < ChunkFormat.HEADER_BYTES) {
          throw new CorruptionException(files[i], size, "truncated: " + size + " bytes, header needs 8");
        }
        segs[i] = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      }
      int magic = segs[i].getInt(0);
      if (magic != ChunkFormat.MAGIC) {
        throw new CorruptionException(files[i], 0, String.format("bad magic 0x%08X, want 0x85BD40DD", magic));
      }
      if (segs[i].get(4) != ChunkFormat.VERSION) {
        throw new CorruptionException(files[i], 4, "unsupported chunk file version " + segs[i].get(4));
      }
    }
    return new ChunkReader(files, segs);
  }

  /** Number of segment files. */
  public int segments() {
    return segments.length;
  }

  /**
   * The chunk at a ref, checked against its CRC.
   *
   * @throws CorruptionException for a ref outside the files, truncation or a CRC mismatch
   */
  public Chunk chunk(long ref) {
    int seg = (int) (ref >>> 32);
    int off = (int) ref;
    if (seg < 0 || seg >= segments.length) {
      throw new CorruptionException(files.length == 0 ? Path.of("chunks") : files[0].resolveSibling(
          ChunkFormat.segmentName(seg)), off, "chunk ref " + ref + " names segment " + (seg + 1) + " of " + segments.length);
    }
    ByteBuffer b = segments[seg];
    Path f = files[seg];
    int limit = b.limit();
    if (off < ChunkFormat.HEADER_BYTES || off >= limit) {
      throw new CorruptionException(f, off, "chunk offset outside the file (" + limit + " bytes)");
    }
    int p = off;
    long len = 0;
    for (int shift = 0; ; shift += 7) { // uvarint data length
      if (p >= limit || shift > 28) {
        throw new CorruptionException(f, off, "truncated or invalid chunk length");
      }
      int c = b.get(p++) & 0xff;
      len |= (long) (c & 0x7f) << shift;
      if (c < 0x80) {
        break;
      }
    }
    if (p + 1 + len + 4 > limit) {
      throw new CorruptionException(f, off, "chunk of " + len + " bytes truncated by end of file at " + limit);
    }
    byte enc = b.get(p);
    byte[] data = new byte[(int) len];
    b.get(p + 1, data);
    CRC32C crc = new CRC32C();
    crc.update(enc);
    crc.update(data, 0, data.length);
    int want = b.getInt(p + 1 + (int) len);
    if ((int) crc.getValue() != want) {
      throw new CorruptionException(f, off, String.format("chunk checksum mismatch: stored 0x%08X, computed 0x%08X",
          want, (int) crc.getValue()));
    }
    Encoding e;
    try {
      e = Encoding.ofCode(enc);
    } catch (IllegalArgumentException x) {
      throw new CorruptionException(f, p, x.getMessage());
    }
    if (e != Encoding.XOR) {
      throw new CorruptionException(f, p, "chunk encoding " + e + " not supported (only XOR)");
    }
    try {
      return XorChunk.wrapOwned(data); // data is this call's own copy: no second copy
    } catch (IllegalArgumentException x) {
      throw new CorruptionException(f, p + 1, x.getMessage());
    }
  }

  /** Drops the mappings' references; the OS unmaps them when collected. */
  @Override
  public void close() {
    java.util.Arrays.fill(segments, null);
  }
}
