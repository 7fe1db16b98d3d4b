package dev.promkit.tsdb;

import dev.promkit.client.registry.Registry;
import dev.promkit.tsdb.head.HeadOptions;
import java.nio.file.Path;

/**
 * How to open a {@link Tsdb}.
 *
 * @param dir data directory (WAL, blocks, lock file), or null for memory only
 * @param blockRange block range in ms (2 h by default): chunks never cross its multiples, and the
 *     head is cut into blocks of this range
 * @param samplesPerChunk target samples per chunk (120)
 * @param registry where to register the database's metrics, or null
 * @param retentionMs blocks whose end is more than this (ms) behind the newest block's end are
 *     deleted, whole; 0 keeps them forever (default 15 d, as Prometheus)
 * @param retentionBytes the oldest blocks are deleted while blocks and WAL together exceed this many
 *     bytes; 0 for no limit (the default)
 * @param maxBlockDurationMs the longest block compaction may produce (Prometheus'
 *     {@code --storage.tsdb.max-block-duration}); 0 for the default, 31 d or a tenth of the time
 *     retention when smaller; equal to {@code blockRange} turns block compaction off
 */
public record TsdbOptions(Path dir, long blockRange, int samplesPerChunk, Registry registry, long retentionMs,
    long retentionBytes, long maxBlockDurationMs) {
  /** Prometheus' default time retention, 15 days. */
  public static final long DEFAULT_RETENTION_MS = 15L * 24 * 3600 * 1000;

  /** Validates through {@link HeadOptions}; retentions must be &gt;= 0. */
  public TsdbOptions {
    new HeadOptions(blockRange, samplesPerChunk);
    if (retentionMs < 0) {
      throw new IllegalArgumentException("retentionMs must be >= 0 (0: no time retention), got " + retentionMs);
    }
    if (retentionBytes < 0) {
      throw new IllegalArgumentException("retentionBytes must be >= 0 (0: no size retention), got " + retentionBytes);
    }
    if (maxBlockDurationMs < 0) {
      throw new IllegalArgumentException("maxBlockDurationMs must be >= 0 (0: the default), got " + maxBlockDurationMs);
    }
  }

  /** With the default maximum block duration. */
  public TsdbOptions(Path dir, long blockRange, int samplesPerChunk, Registry registry, long retentionMs,
      long retentionBytes) {
    this(dir, blockRange, samplesPerChunk, registry, retentionMs, retentionBytes, 0);
  }

  /** With the default retention (15 d by time, none by size). */
  public TsdbOptions(Path dir, long blockRange, int samplesPerChunk, Registry registry) {
    this(dir, blockRange, samplesPerChunk, registry, DEFAULT_RETENTION_MS, 0);
  }

  /** Memory only, Prometheus' defaults, no registry. */
  public static TsdbOptions defaults() {
    return new TsdbOptions(null, HeadOptions.DEFAULT_CHUNK_RANGE, HeadOptions.DEFAULT_SAMPLES_PER_CHUNK, null);
  }

  /** With a data directory. */
  public TsdbOptions withDir(Path d) {
    return new TsdbOptions(d, blockRange, samplesPerChunk, registry, retentionMs, retentionBytes, maxBlockDurationMs);
  }

  /** With another block range (ms). */
  public TsdbOptions withBlockRange(long ms) {
    return new TsdbOptions(dir, ms, samplesPerChunk, registry, retentionMs, retentionBytes, maxBlockDurationMs);
  }

  /** With another samples-per-chunk target. */
  public TsdbOptions withSamplesPerChunk(int n) {
    return new TsdbOptions(dir, blockRange, n, registry, retentionMs, retentionBytes, maxBlockDurationMs);
  }

  /** Registering metrics in this registry. */
  public TsdbOptions withRegistry(Registry r) {
    return new TsdbOptions(dir, blockRange, samplesPerChunk, r, retentionMs, retentionBytes, maxBlockDurationMs);
  }

  /** With another time retention (ms; 0 keeps blocks forever). */
  public TsdbOptions withRetentionMs(long ms) {
    return new TsdbOptions(dir, blockRange, samplesPerChunk, registry, ms, retentionBytes, maxBlockDurationMs);
  }

  /** With a size retention (bytes of blocks and WAL; 0 for no limit). */
  public TsdbOptions withRetentionBytes(long bytes) {
    return new TsdbOptions(dir, blockRange, samplesPerChunk, registry, retentionMs, bytes, maxBlockDurationMs);
  }

  /** With a maximum block duration for compaction (ms; 0 for the default). */
  public TsdbOptions withMaxBlockDurationMs(long ms) {
    return new TsdbOptions(dir, blockRange, samplesPerChunk, registry, retentionMs, retentionBytes, ms);
  }
}
