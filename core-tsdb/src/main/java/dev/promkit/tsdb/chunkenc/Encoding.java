package dev.promkit.tsdb.chunkenc;

/**
 * A chunk's encoding, with the byte Prometheus writes for it in chunk segment files
 * ({@code tsdb/chunkenc.Encoding}). Only {@link #XOR} is produced today; the histogram encodings are
 * reserved so that the data model has room for native histograms.
 */
public enum Encoding {
  /** No encoding (invalid in files). */
  NONE(0),
  /** Gorilla-style XOR float chunk ({@link XorChunk}). */
  XOR(1),
  /** Native histogram chunk (reserved, not implemented). */
  HISTOGRAM(2),
  /** Float native histogram chunk (reserved, not implemented). */
  FLOAT_HISTOGRAM(3);

  private final byte code;

  Encoding(int code) {
    this.code = (byte) code;
  }

  /** The byte stored in chunk files. */
  public byte code() {
    return code;
  }

  /**
   * The encoding stored as this byte.
   *
   * @throws IllegalArgumentException for an unknown byte
   */
  public static Encoding ofCode(byte code) {
    for (Encoding e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown chunk encoding " + (code & 0xff));
  }
}
