package dev.promkit.tsdb.chunkenc;

/** A compressed run of samples of one series, as stored in memory and in chunk files. */
public interface Chunk {
  /** How the bytes are encoded. */
  Encoding encoding();

  /** The encoded bytes (a copy of exactly {@link #byteLength()} bytes). */
  byte[] bytes();

  /** Number of encoded bytes. */
  int byteLength();

  /** Number of samples in the chunk. */
  int numSamples();

  /**
   * An appender that continues the chunk; appending to a chunk whose bytes came from elsewhere
   * first decodes it to recover the encoder state.
   *
   * @throws IllegalStateException when the chunk cannot be decoded
   */
  ChunkAppender appender();

  /** An iterator over all samples; {@code reuse} (an earlier iterator of the same kind) may be recycled. */
  ChunkIterator iterator(ChunkIterator reuse);
}
