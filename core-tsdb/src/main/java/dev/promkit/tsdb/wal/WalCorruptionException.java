package dev.promkit.tsdb.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A WAL segment holds bytes that are not a valid record: a torn write at the tail after a crash, a
 * CRC mismatch, an unknown fragment type. Everything before {@link #offset()} in {@link #segment()}
 * was read; {@link Wal#repair} truncates the segment at the last complete record before it.
 */
public final class WalCorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path dir;
  private final int segment;
  private final long offset;
  private final String reason;

  /**
   * @param dir the WAL (or checkpoint) directory
   * @param segment the damaged segment's index
   * @param offset byte offset in that segment of the damaged fragment, or of the record cut short
   * @param reason what is wrong
   */
  public WalCorruptionException(Path dir, int segment, long offset, String reason) {
    super("WAL corruption in " + dir.resolve(WalFormat.segmentName(segment)) + " at offset " + offset + ": " + reason);
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
    this.reason = reason;
  }

  /** What is wrong, without the location. */
  public String reason() {
    return reason;
  }

  /** The directory holding the damaged segment. */
  public Path dir() {
    return dir;
  }

  /** The damaged segment's index. */
  public int segment() {
    return segment;
  }

  /** Byte offset in the segment of the damaged fragment (or of the start of a record cut short). */
  public long offset() {
    return offset;
  }
}
