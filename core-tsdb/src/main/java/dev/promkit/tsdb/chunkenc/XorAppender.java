package dev.promkit.tsdb.chunkenc;

/**
 * Appends to an {@link XorChunk}: the chunk's array and the encoder state of
 * {@link XorEncoderState} (the one XOR encoder, shared with the head's series), so the bytes are
 * exactly Prometheus' xorAppender's.
 */
final class XorAppender extends XorEncoderState implements ChunkAppender {
  private final XorChunk chunk;

  XorAppender(XorChunk chunk) {
    this.chunk = chunk;
  }

  void resume(int bits, boolean spare, long t, long vbits, long tDelta, int leading, int trailing) {
    xorResume(bits, spare, t, vbits, tDelta, leading, trailing);
  }

  @Override
  public void append(long t, double v) {
    byte[] b = xorAppend(chunk.buffer(), chunk.numSamples(), t, v);
    chunk.appended(b, xorByteLength());
  }

  /** Prometheus' bitRange: -(2^(n-1) - 1) &lt;= x &lt;= 2^(n-1) (asymmetric on purpose). */
  static boolean fits(long x, int nbits) {
    long half = 1L << (nbits - 1);
    return -(half - 1) <= x && x <= half;
  }
}
