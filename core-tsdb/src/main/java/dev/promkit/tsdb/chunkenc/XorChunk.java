package dev.promkit.tsdb.chunkenc;

import java.util.Arrays;

/**
 * A float chunk in Prometheus' XOR encoding (Gorilla with millisecond timestamp buckets),
 * bit-compatible with {@code tsdb/chunkenc/xor.go}. Layout: a 2-byte big-endian sample count, then
 * the samples as a bit stream; see {@code docs/format/chunks.md}.
 *
 * <p>One writer thread. Other threads may iterate concurrently through
 * {@link #iterator(int, ChunkIterator)} with a sample count the writer published (release) after
 * appending: bytes of published samples never change.
 */
public final class XorChunk implements Chunk {
  /** Prometheus' hard cap on an XOR chunk's size ({@code chunkenc.MaxBytesPerXORChunk}). */
  public static final int MAX_BYTES = 1024;
  /** The largest sample: 4+64 bits of timestamp and 2+5+6+64 bits of value, rounded up to bytes. */
  public static final int MAX_SAMPLE_BYTES = 19;
  /** Bytes of the sample-count header. */
  public static final int HEADER_BYTES = 2;

  private byte[] buf; // the chunk's bytes, zero past len
  private int len; // bytes in use as Prometheus 2.x counts them (its spare empty byte included)

  /** An empty chunk. */
  public XorChunk() {
    this(32);
  }

  /** An empty chunk with room for {@code capacity} bytes before it first grows. */
  public XorChunk(int capacity) {
    buf = new byte[Math.max(capacity, HEADER_BYTES)];
    len = HEADER_BYTES;
  }

  /**
   * A chunk over encoded bytes, e.g. read from a chunk file. The array is copied.
   *
   * @throws IllegalArgumentException if shorter than the header
   */
  public static XorChunk wrap(byte[] bytes) {
    return wrapOwned(bytes.clone());
  }

  /**
   * A chunk over encoded bytes that it takes over without a copy (e.g. a chunk just read from a file
   * into a fresh array): the caller must not change the array afterwards.
   *
   * @throws IllegalArgumentException if shorter than the header
   */
  public static XorChunk wrapOwned(byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("xor chunk: " + bytes.length + " bytes, need at least "
          + HEADER_BYTES + " for the header");
    }
    XorChunk c = new XorChunk(0);
    c.buf = bytes;
    c.len = bytes.length;
    return c;
  }

  @Override
  public Encoding encoding() {
    return Encoding.XOR;
  }

  @Override
  public byte[] bytes() {
    return Arrays.copyOf(buf, len);
  }

  @Override
  public int byteLength() {
    return len;
  }

  /** The sample count from the header (writer thread, or a chunk no longer written). */
  @Override
  public int numSamples() {
    return ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
  }

  /** Releases spare capacity once the chunk is complete. */
  public void compact() {
    if (buf.length != len) {
      buf = Arrays.copyOf(buf, len);
    }
  }

  @Override
  public ChunkAppender appender() {
    XorAppender a = new XorAppender(this);
    int n = numSamples();
    if (n == 0) {
      a.resume(HEADER_BYTES * 8, false, Long.MIN_VALUE, 0, 0, -1, 0);
      return a;
    }
    XorIterator it = new XorIterator();
    it.reset(buf, len, n);
    while (it.next() != ValueType.NONE) {
      // decode to the end to recover the encoder state
    }
    if (it.err() != null) {
      throw new IllegalStateException("xor chunk: cannot append, " + it.err().getMessage(), it.err());
    }
    long bits = HEADER_BYTES * 8L + it.bitPosition();
    int len = (int) ((bits + 7) >>> 3);
    int free = (int) (len * 8L - bits);
    // a chunk that ends on Prometheus 2.x's spare empty byte keeps it until the next append
    boolean spare = free == 0 && this.len == len + 1 && buf[len] == 0;
    byte[] b = Arrays.copyOf(buf, len + 32);
    if (free > 0) {
      b[len - 1] &= (byte) (0xff << free); // clear stray bits after the last sample
    }
    Arrays.fill(b, len, b.length, (byte) 0); // the encoder ORs into bytes past its bits
    buf = b;
    // Prometheus restores leading/trailing from the decoder, so a chunk without any '11' value
    // block continues with a 64-bit window (not the fresh-chunk sentinel): same bytes as xor.go.
    a.resume((int) bits, spare, it.atT(), it.valueBits(), it.timeDelta(), it.leadingZeros(), it.trailingZeros());
    this.len = a.xorByteLength();
    return a;
  }

  /**
   * Decodes every sample into {@code ts[0..]} and {@code vs[0..]} (raw value bits kept, e.g. the stale
   * marker) and returns the count: the bulk path, cheaper per sample than an iterator. For a chunk
   * no longer written; see {@link #decodeAll(int, long[], double[])} otherwise.
   *
   * @throws IllegalArgumentException if an array is shorter than {@link #numSamples()}
   * @throws IllegalStateException if the bytes are corrupt or truncated
   */
  public int decodeAll(long[] ts, double[] vs) {
    return decodeAll(numSamples(), ts, vs);
  }

  /**
   * Decodes the first {@code numSamples} samples into {@code ts[0..]} and {@code vs[0..]}; safe
   * while the writer appends further under the same rule as {@link #iterator(int, ChunkIterator)}.
   *
   * @throws IllegalArgumentException if an array is shorter than {@code numSamples}
   * @throws IllegalStateException if the bytes are corrupt or truncated
   */
  public int decodeAll(int numSamples, long[] ts, double[] vs) {
    return decodeAll(numSamples, ts, vs, 0);
  }

  /**
   * Decodes the first {@code numSamples} samples into {@code ts[offset..]} and {@code vs[offset..]}
   * (e.g. straight into a series' sample buffer after the samples of its earlier chunks), under the
   * same rules as {@link #decodeAll(int, long[], double[])}.
   *
   * @throws IllegalArgumentException if an array has fewer than {@code offset + numSamples} elements
   *     or {@code offset} is negative
   * @throws IllegalStateException if the bytes are corrupt or truncated
   */
  public int decodeAll(int numSamples, long[] ts, double[] vs, int offset) {
    if (offset < 0 || ts.length - offset < numSamples || vs.length - offset < numSamples) {
      throw new IllegalArgumentException("xor chunk: decodeAll needs arrays of " + numSamples
          + " samples from offset " + offset + ", got ts[" + ts.length + "] and vs[" + vs.length + "]");
    }
    return decode(buf, numSamples, ts, vs, offset);
  }

  /**
   * Decodes the first {@code numSamples} samples of the XOR chunk in {@code bytes} (header included;
   * the array may extend past the chunk) into {@code ts[offset..]} and {@code vs[offset..]}, under the
   * publication rule of {@link #iterator(byte[], int, ChunkIterator)}: the bulk path for chunks whose
   * writer keeps its own array, such as the head's.
   *
   * @throws IllegalArgumentException as {@link #decodeAll(int, long[], double[], int)}
   * @throws IllegalStateException if the bytes are corrupt or truncated
   */
  public static int decodeAll(byte[] bytes, int numSamples, long[] ts, double[] vs, int offset) {
    if (offset < 0 || ts.length - offset < numSamples || vs.length - offset < numSamples) {
      throw new IllegalArgumentException("xor chunk: decodeAll needs arrays of " + numSamples
          + " samples from offset " + offset + ", got ts[" + ts.length + "] and vs[" + vs.length + "]");
    }
    return decode(bytes, numSamples, ts, vs, offset);
  }

  private static int decode(byte[] b, int numSamples, long[] ts, double[] vs, int offset) {
    XorIterator it = new XorIterator(false); // decoder state only: one small object per call
    it.reset(b, b.length, numSamples);
    int n = it.decode(ts, vs, offset, numSamples);
    if (it.decodeError() != null) {
      throw new IllegalStateException(it.decodeError().getMessage(), it.decodeError());
    }
    return n;
  }

  @Override
  public ChunkIterator iterator(ChunkIterator reuse) {
    return iterator(numSamples(), reuse);
  }

  /**
   * An iterator over the first {@code numSamples} samples, safe while the writer appends further
   * when that count was published by the writer after the appends (release/acquire).
   */
  public ChunkIterator iterator(int numSamples, ChunkIterator reuse) {
    XorIterator it = reuse instanceof XorIterator ? (XorIterator) reuse : new XorIterator();
    byte[] b = buf;
    it.reset(b, b.length, numSamples);
    return it;
  }

  /**
   * An iterator over the first {@code numSamples} samples of the XOR chunk in {@code bytes} (header
   * included; the array may extend past the chunk), under the same publication rule as
   * {@link #iterator(int, ChunkIterator)}: for chunks whose writer keeps its own array, such as the
   * head's.
   */
  public static ChunkIterator iterator(byte[] bytes, int numSamples, ChunkIterator reuse) {
    XorIterator it = reuse instanceof XorIterator ? (XorIterator) reuse : new XorIterator();
    it.reset(bytes, bytes.length, numSamples);
    return it;
  }

  /** The array the appender writes into (zero past {@link #byteLength()}). */
  byte[] buffer() {
    return buf;
  }

  /** After an append: the array now holding the chunk and its length. */
  void appended(byte[] b, int byteLength) {
    buf = b;
    len = byteLength;
  }
}
