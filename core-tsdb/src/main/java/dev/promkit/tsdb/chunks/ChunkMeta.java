package dev.promkit.tsdb.chunks;

/**
 * Where a chunk lives and which time range it covers, as stored in a block's index.
 *
 * @param ref segment index &lt;&lt; 32 | byte offset of the chunk in that segment
 * @param minTime first sample's timestamp (ms)
 * @param maxTime last sample's timestamp (ms, inclusive)
 */
public record ChunkMeta(long ref, long minTime, long maxTime) {
  /** The 0-based segment index in the ref (file name is index + 1). */
  public int segment() {
    return (int) (ref >>> 32);
  }

  /** The byte offset in the segment. */
  public int offset() {
    return (int) ref;
  }

  /** Whether the chunk may hold samples in [mint, maxt]. */
  public boolean overlaps(long mint, long maxt) {
    return minTime <= maxt && maxTime >= mint;
  }
}
