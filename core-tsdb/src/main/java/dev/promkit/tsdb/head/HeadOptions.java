package dev.promkit.tsdb.head;

/**
 * Settings of the in-memory head.
 *
 * @param chunkRange the block range in ms (Prometheus' {@code --storage.tsdb.min-block-duration},
 *     2 h by default): no chunk crosses a multiple of it, and samples older than half of it behind
 *     the newest sample are out of bounds
 * @param samplesPerChunk target samples per chunk (Prometheus: 120)
 */
public record HeadOptions(long chunkRange, int samplesPerChunk) {
  /** Two hours in ms. */
  public static final long DEFAULT_CHUNK_RANGE = 2 * 60 * 60 * 1000L;
  /** Prometheus' default target. */
  public static final int DEFAULT_SAMPLES_PER_CHUNK = 120;

  /** Validates. */
  public HeadOptions {
    if (chunkRange <= 0) {
      throw new IllegalArgumentException("head: chunkRange must be > 0 ms, got " + chunkRange);
    }
    if (samplesPerChunk < 4) {
      throw new IllegalArgumentException("head: samplesPerChunk must be >= 4, got " + samplesPerChunk);
    }
  }

  /** Prometheus' defaults: 2 h range, 120 samples per chunk. */
  public static HeadOptions defaults() {
    return new HeadOptions(DEFAULT_CHUNK_RANGE, DEFAULT_SAMPLES_PER_CHUNK);
  }

  /** These options with another chunk range. */
  public HeadOptions withChunkRange(long ms) {
    return new HeadOptions(ms, samplesPerChunk);
  }

  /** These options with another samples-per-chunk target. */
  public HeadOptions withSamplesPerChunk(int n) {
    return new HeadOptions(chunkRange, n);
  }
}
