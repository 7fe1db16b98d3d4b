package dev.promkit.tsdb.chunks;

/** Constants of Prometheus' chunk segment files ({@code tsdb/docs/format/chunks.md}). */
final class ChunkFormat {
  private ChunkFormat() {}

  static final int MAGIC = 0x85BD40DD;
  static final int VERSION = 1;
  /** magic(4) | version(1) | padding(3). */
  static final int HEADER_BYTES = 8;
  /** Prometheus' default maximum segment size. */
  static final long DEFAULT_SEGMENT_BYTES = 512L * 1024 * 1024;

  static String segmentName(int index) {
    return String.format("%06d", index + 1);
  }
}
