package dev.promkit.tsdb.backfill;

import java.nio.file.Path;

/**
 * A block the backfill wrote, with the figures promtool lists for it.
 *
 * @param dir the block's directory
 * @param ulid its ULID
 * @param minTime first sample's timestamp (ms)
 * @param maxTime last sample's timestamp + 1 (ms), as in {@code meta.json}
 * @param numSamples samples
 * @param numChunks chunks
 * @param numSeries series
 * @param sizeBytes bytes on disk: chunk segments, index, tombstones and meta.json
 */
public record CreatedBlock(Path dir, String ulid, long minTime, long maxTime, long numSamples, long numChunks,
    long numSeries, long sizeBytes) {}
