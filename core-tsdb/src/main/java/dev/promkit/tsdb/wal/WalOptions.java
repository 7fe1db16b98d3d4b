package dev.promkit.tsdb.wal;

/**
 * Settings of a {@link Wal}.
 *
 * @param segmentSize maximum bytes per segment file before the writer moves to the next one; a
 *     multiple of the 32 KiB page size, default 128 MiB. A single record larger than a segment
 *     still goes into one (oversized) segment, since records never span segments.
 * @param syncOnCommit whether {@link Wal#commit()} fsyncs; without it a commit survives a crash of
 *     the process but not of the machine
 */
public record WalOptions(long segmentSize, boolean syncOnCommit) {
  /** Prometheus' default segment size. */
  public static final long DEFAULT_SEGMENT_SIZE = 128L * 1024 * 1024;

  /** Validates the segment size. */
  public WalOptions {
    if (segmentSize < WalFormat.PAGE_SIZE || segmentSize % WalFormat.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("WAL segment size " + segmentSize
          + " must be a positive multiple of the page size " + WalFormat.PAGE_SIZE);
    }
    if (segmentSize / WalFormat.PAGE_SIZE > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("WAL segment size " + segmentSize + " too large");
    }
  }

  /** 128 MiB segments, fsync on every commit. */
  public static WalOptions defaults() {
    return new WalOptions(DEFAULT_SEGMENT_SIZE, true);
  }

  /** A copy with another segment size. */
  public WalOptions withSegmentSize(long bytes) {
    return new WalOptions(bytes, syncOnCommit);
  }

  /** A copy with fsync on commit switched on or off. */
  public WalOptions withSyncOnCommit(boolean sync) {
    return new WalOptions(segmentSize, sync);
  }
}
