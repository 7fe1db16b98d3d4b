package dev.promkit.tsdb.wal;

import dev.promkit.tsdb.encoding.EncBuf;

/**
 * Decides what of a record survives into a {@link Checkpoint}. The WAL does not know what records
 * mean; the record codec supplies the filter (see {@code dev.promkit.tsdb.record.CheckpointFilter}).
 */
@FunctionalInterface
public interface RecordFilter {
  /**
   * Writes into {@code out} (already reset) the record to keep in place of {@code rec[0, len)}.
   *
   * @return false to drop the record entirely
   */
  boolean filter(byte[] rec, int len, EncBuf out);
}
