package dev.promkit.tsdb.block;

import dev.promkit.tsdb.chunks.CorruptionException;
import dev.promkit.tsdb.encoding.Crc32c;
import dev.promkit.tsdb.encoding.EncBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code tombstones} file: magic 0x0130BA30, version 1, deletion intervals, CRC32-C of the
 * intervals. Blocks written here have none; a block with deletions is refused for now rather than
 * served with deleted samples.
 */
final class Tombstones {
  static final int MAGIC = 0x0130BA30;
  static final int HEADER_BYTES = 5;

  private Tombstones() {}

  static void writeEmpty(Path file) throws IOException {
    EncBuf b = new EncBuf(16).putBE32(MAGIC).putByte(1).putBE32(Crc32c.checksum(new byte[0], 0, 0));
    Files.write(file, b.toByteArray());
  }

  /** Checks the file and that it holds no deletions. A missing file counts as empty. */
  static void checkEmpty(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    int n = b.limit();
    if (n < HEADER_BYTES + 4) {
      throw new CorruptionException(file, n, "truncated: " + n + " bytes, need at least 9");
    }
    if (b.getInt(0) != MAGIC) {
      throw new CorruptionException(file, 0, String.format("bad magic 0x%08X, want 0x0130BA30", b.getInt(0)));
    }
    if (b.get(4) != 1) {
      throw new CorruptionException(file, 4, "unsupported tombstones version " + b.get(4));
    }
    int want = b.getInt(n - 4);
    int got = Crc32c.checksum(b.array(), HEADER_BYTES, n - 4 - HEADER_BYTES);
    if (want != got) {
      throw new CorruptionException(file, HEADER_BYTES,
          String.format("tombstones checksum mismatch: stored 0x%08X, computed 0x%08X", want, got));
    }
    if (n > HEADER_BYTES + 4) {
      throw new IOException(file + ": block has deletions (tombstones), which are not supported yet");
    }
  }
}
