/**
 * The write-ahead log in Prometheus' format: numbered segment files of 32 KiB pages holding
 * CRC-checked record fragments ({@link dev.promkit.tsdb.wal.Wal}, {@link dev.promkit.tsdb.wal.WalReader}),
 * repair of torn tails, and checkpoints ({@link dev.promkit.tsdb.wal.Checkpoint}). Records are opaque
 * bytes here; {@code dev.promkit.tsdb.record} gives them meaning. See docs/format/wal.md.
 */
package dev.promkit.tsdb.wal;
