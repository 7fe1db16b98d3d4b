package dev.promkit.tsdb.wal;

/**
 * Decoder of the snappy block format (no framing), for reading WAL records that Prometheus wrote
 * with {@code --storage.tsdb.wal-compression}: a uvarint uncompressed length, then literal and
 * back-reference elements. promkit never compresses what it writes.
 */
final class SnappyBlock {
  private SnappyBlock() {}

  /** Thrown for input that is not valid snappy; the message says what and where. */
  static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    FormatException(String msg) {
      super(msg);
    }
  }

  /**
   * Decompresses {@code src[0, len)} into {@code dst} (grown when too small).
   *
   * @param outLen receives the decoded length in {@code outLen[0]}
   * @return the output buffer: {@code dst}, or a larger one when it was too small
   */
  static byte[] decompress(byte[] src, int len, byte[] dst, int[] outLen) throws FormatException {
    int p = 0;
    long n = 0;
    int shift = 0;
    while (true) {
      if (p >= len || shift > 28) {
        throw new FormatException("bad uncompressed length");
      }
      int b = src[p++] & 0xFF;
      n |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        break;
      }
      shift += 7;
    }
    // Any element expands at most 64 bytes from 3 input bytes: a larger claim is damage, not data.
    if (n > (long) len * 22 + 64 || n > Integer.MAX_VALUE - 8) {
      throw new FormatException("uncompressed length " + n + " impossible for " + len + " input bytes");
    }
    int size = (int) n;
    if (dst.length < size) {
      dst = new byte[Math.max(size, dst.length * 2)];
    }
    int d = 0;
    while (p < len) {
      int tag = src[p++] & 0xFF;
      int kind = tag & 3;
      if (kind == 0) { // literal
        int l = tag >>> 2;
        if (l >= 60) {
          int extra = l - 59;
          if (p + extra > len) {
            throw new FormatException("literal length cut short at byte " + p);
          }
          l = 0;
          for (int i = 0; i < extra; i++) {
            l |= (src[p++] & 0xFF) << (8 * i);
          }
          if (l < 0) {
            throw new FormatException("literal too long at byte " + p);
          }
        }
        l++;
        if (p + l > len || d + l > size) {
          throw new FormatException("literal of " + l + " bytes overruns at byte " + p);
        }
        System.arraycopy(src, p, dst, d, l);
        p += l;
        d += l;
        continue;
      }
      int l;
      int off;
      if (kind == 1) {
        if (p + 1 > len) {
          throw new FormatException("copy cut short at byte " + p);
        }
        l = 4 + ((tag >>> 2) & 7);
        off = ((tag >>> 5) << 8) | (src[p++] & 0xFF);
      } else if (kind == 2) {
        if (p + 2 > len) {
          throw new FormatException("copy cut short at byte " + p);
        }
        l = (tag >>> 2) + 1;
        off = (src[p] & 0xFF) | ((src[p + 1] & 0xFF) << 8);
        p += 2;
      } else {
        if (p + 4 > len) {
          throw new FormatException("copy cut short at byte " + p);
        }
        l = (tag >>> 2) + 1;
        off = (src[p] & 0xFF) | ((src[p + 1] & 0xFF) << 8) | ((src[p + 2] & 0xFF) << 16) | ((src[p + 3] & 0xFF) << 24);
        p += 4;
      }
      if (off <= 0 || off > d || d + l > size) {
        throw new FormatException("copy of " + l + " bytes from offset " + off + " invalid at output byte " + d);
      }
      // Byte by byte: a copy may overlap its own output (offset < length repeats a pattern).
      for (int i = 0; i < l; i++, d++) {
        dst[d] = dst[d - off];
      }
    }
    if (d != size) {
      throw new FormatException("decoded " + d + " bytes, header said " + size);
    }
    outLen[0] = size;
    return dst;
  }
}
