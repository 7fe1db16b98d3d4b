package dev.promkit.tsdb.tombstones;

import dev.promkit.tsdb.encoding.Crc32c;
import dev.promkit.tsdb.encoding.DecBuf;
import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.chunks.CorruptionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A block's {@code tombstones} file in Prometheus' format: magic 0x0130BA30 (4 bytes BE), version 1
 * (1 byte), then per interval {@code uvarint series ref, varint mint, varint maxt}, then the CRC32-C
 * (4 bytes BE) of the intervals. See docs/format/tombstones.md.
 */
public final class TombstonesFile {
  /** The file's magic number. */
  public static final int MAGIC = 0x0130BA30;
  /** The file name inside a block directory. */
  public static final String NAME = "tombstones";
  private static final int HEADER_BYTES = 5;

  private TombstonesFile() {}

  /** The file's bytes for these tombstones (intervals by ascending ref). */
  public static byte[] encode(Tombstones stones) {
    EncBuf b = new EncBuf(64).putBE32(MAGIC).putByte(1);
    stones.forEach((ref, iv) -> {
      for (int i = 0; i < iv.size(); i++) {
        b.putUvarint(ref).putVarint(iv.mint(i)).putVarint(iv.maxt(i));
      }
    });
    b.putBE32(Crc32c.checksum(b.array(), HEADER_BYTES, b.len() - HEADER_BYTES));
    return b.toByteArray();
  }

  /** Writes (and fsyncs) {@code file} in place; for a block directory still being created. */
  public static void write(Path file, Tombstones stones) throws IOException {
    Files.write(file, encode(stones));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Replaces {@code blockDir/tombstones} atomically: written to {@code tombstones.tmp}, fsynced, renamed.
   */
  public static void replace(Path blockDir, Tombstones stones) throws IOException {
    Path tmp = blockDir.resolve(NAME + ".tmp");
    write(tmp, stones);
    FileUtil.rename(tmp, blockDir.resolve(NAME));
  }

  /**
   * Reads a tombstones file; a missing file means no deletions.
   *
   * @throws IOException naming the file and offset when it is truncated, of another magic or
   *     version, fails its checksum or holds a malformed interval
   */
  public static Tombstones read(Path file) throws IOException {
    Tombstones out = new Tombstones();
    if (!Files.exists(file)) {
      return out;
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = bytes.length;
    if (n < HEADER_BYTES + 4) {
      throw corrupt(file, n, "truncated: " + n + " bytes, need at least 9");
    }
    if (b.getInt(0) != MAGIC) {
      throw corrupt(file, 0, String.format("bad magic 0x%08X, want 0x0130BA30", b.getInt(0)));
    }
    if (b.get(4) != 1) {
      throw corrupt(file, 4, "unsupported tombstones version " + b.get(4));
    }
    int want = b.getInt(n - 4);
    int got = Crc32c.checksum(bytes, HEADER_BYTES, n - 4 - HEADER_BYTES);
    if (want != got) {
      throw corrupt(file, HEADER_BYTES,
          String.format("tombstones checksum mismatch: stored 0x%08X, computed 0x%08X", want, got));
    }
    DecBuf d = new DecBuf(bytes, HEADER_BYTES, n - 4 - HEADER_BYTES);
    while (d.remaining() > 0) {
      int at = HEADER_BYTES + d.position();
      long ref = d.readUvarint();
      long mint = d.readVarint();
      long maxt = d.readVarint();
      if (d.err() != null) {
        throw corrupt(file, at, "malformed interval: " + d.err());
      }
      if (mint > maxt) {
        throw corrupt(file, at, "interval [" + mint + ", " + maxt + "] of series " + ref + " is empty");
      }
      out.add(ref, mint, maxt);
    }
    return out;
  }

  /** An IOException whose cause names file, offset and problem, so block loading can report it as damage. */
  private static IOException corrupt(Path file, long offset, String what) {
    CorruptionException c = new CorruptionException(file, offset, what);
    return new IOException(c.getMessage(), c);
  }
}
