package dev.promkit.tsdb.chunkenc;

/** Encodes samples into an XOR chunk's bit stream exactly as Prometheus' xorAppender does. */
final class XorAppender implements ChunkAppender {
  private static final int NO_WINDOW = 0xff; // no leading/trailing window chosen yet

  private final BitWriter w;
  private long t;
  private long vbits;
  private long tDelta;
  private int leading = NO_WINDOW;
  private int trailing;

  XorAppender(BitWriter w) {
    this.w = w;
  }

  void restore(long t, long vbits, long tDelta, int leading, int trailing) {
    this.t = t;
    this.vbits = vbits;
    this.tDelta = tDelta;
    this.leading = leading;
    this.trailing = trailing;
  }

  @Override
  public void append(long t, double v) {
    long vb = Double.doubleToRawLongBits(v); // raw: keeps NaN payloads such as the stale marker
    int num = w.getShort(0);
    if (num == 0xffff) {
      throw new IllegalStateException("xor chunk: full at 65535 samples");
    }
    long td = 0;
    if (num == 0) {
      writeVarint(t);
      w.writeBits(vb, 64);
    } else if (num == 1) {
      td = t - this.t;
      writeUvarint(td);
      writeValue(vb);
    } else {
      td = t - this.t;
      long dod = td - tDelta;
      // control prefix and payload in one call: '10'+14, '110'+17, '1110'+20, '1111'+64 bits
      if (dod == 0) {
        w.writeBit(false);
      } else if (fits(dod, 14)) {
        w.writeBits((0b10L << 14) | (dod & 0x3fffL), 16);
      } else if (fits(dod, 17)) {
        w.writeBits((0b110L << 17) | (dod & 0x1ffffL), 20);
      } else if (fits(dod, 20)) {
        w.writeBits((0b1110L << 20) | (dod & 0xfffffL), 24);
      } else {
        w.writeBits(0b1111L, 4);
        w.writeBits(dod, 64);
      }
      writeValue(vb);
    }
    this.t = t;
    this.vbits = vb;
    this.tDelta = td;
    w.putShort(0, num + 1);
  }

  /** Prometheus' bitRange: -(2^(n-1) - 1) &lt;= x &lt;= 2^(n-1) (asymmetric on purpose). */
  static boolean fits(long x, int nbits) {
    long half = 1L << (nbits - 1);
    return -(half - 1) <= x && x <= half;
  }

  private void writeValue(long vb) {
    long delta = vb ^ vbits;
    if (delta == 0) {
      w.writeBit(false);
      return;
    }
    int lead = Long.numberOfLeadingZeros(delta);
    int trail = Long.numberOfTrailingZeros(delta);
    if (lead >= 32) {
      lead = 31; // 5 bits hold at most 31
    }
    if (leading != NO_WINDOW && lead >= leading && trail >= trailing) {
      // '10': the meaningful bits fit in the previous window
      w.writeBits(0b10L, 2);
      w.writeBits(delta >>> trailing, 64 - leading - trailing);
    } else {
      leading = lead;
      trailing = trail;
      int sig = 64 - lead - trail;
      // '11' + 5 bits leading + 6 bits significant (64 is written as 0)
      w.writeBits((0b11L << 11) | ((long) lead << 6) | (sig & 0x3f), 13);
      w.writeBits(delta >>> trail, sig);
    }
  }

  private void writeVarint(long x) {
    writeUvarint((x << 1) ^ (x >> 63)); // zig-zag, as Go's binary.PutVarint
  }

  private void writeUvarint(long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      w.writeByte((int) (x & 0x7f) | 0x80);
      x >>>= 7;
    }
    w.writeByte((int) x);
  }
}
