package dev.promkit.tsdb.chunkenc;

/**
 * Appends samples to a chunk. The caller guarantees strictly increasing timestamps and decides
 * when to cut a new chunk; the appender only encodes. Not thread-safe.
 */
public interface ChunkAppender {
  /** Encodes one float sample at the end of the chunk. */
  void append(long t, double v);
}
