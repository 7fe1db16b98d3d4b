/**
 * What WAL records mean: Prometheus' Series, Samples and Tombstones records
 * ({@link dev.promkit.tsdb.record.RecordEncoder}, {@link dev.promkit.tsdb.record.RecordDecoder}),
 * decoded into caller-owned buffers, and the {@link dev.promkit.tsdb.record.CheckpointFilter}.
 */
package dev.promkit.tsdb.record;
