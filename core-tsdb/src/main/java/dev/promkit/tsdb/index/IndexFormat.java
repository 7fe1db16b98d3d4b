package dev.promkit.tsdb.index;

/** Constants of Prometheus' block index, format version 2 ({@code tsdb/docs/format/index.md}). */
final class IndexFormat {
  private IndexFormat() {}

  static final int MAGIC = 0xBAAAD700;
  static final int VERSION = 2;
  /** magic(4) | version(1). */
  static final int HEADER_BYTES = 5;
  /** Six 8-byte section offsets and a CRC. */
  static final int TOC_BYTES = 6 * 8 + 4;
  /** Series are 16-byte aligned; a series' ID is its offset / 16. */
  static final int SERIES_ALIGN = 16;
}
