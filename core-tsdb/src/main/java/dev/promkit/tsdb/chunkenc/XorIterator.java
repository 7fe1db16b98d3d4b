package dev.promkit.tsdb.chunkenc;

/** Decodes an XOR chunk; mirrors Prometheus' xorIterator, including its seek semantics. */
final class XorIterator implements ChunkIterator {
  private final BitReader br = new BitReader();
  private int numTotal;
  private int numRead;
  private long t = Long.MIN_VALUE;
  private long vbits;
  private long tDelta;
  private int leading;
  private int trailing;
  private Throwable err;
  private boolean done; // next() returned NONE: stay exhausted

  /** Iterates {@code numSamples} samples of the chunk bytes {@code b[0, end)}. */
  void reset(byte[] b, int end, int numSamples) {
    br.reset(b, XorChunk.HEADER_BYTES, end);
    numTotal = numSamples;
    numRead = 0;
    t = Long.MIN_VALUE;
    vbits = 0;
    tDelta = 0;
    leading = 0;
    trailing = 0;
    err = null;
    done = false;
  }

  long bitPosition() {
    return br.bitPosition(XorChunk.HEADER_BYTES);
  }

  long valueBits() {
    return vbits;
  }

  long timeDelta() {
    return tDelta;
  }

  int leadingZeros() {
    return leading;
  }

  int trailingZeros() {
    return trailing;
  }

  @Override
  public ValueType next() {
    if (err != null || numRead == numTotal) {
      done = true;
      return ValueType.NONE;
    }
    if (numRead == 0) {
      long ux = readUvarint();
      t = (ux >>> 1) ^ -(ux & 1); // zig-zag decode
      vbits = br.readBits(64);
    } else if (numRead == 1) {
      tDelta = readUvarint();
      t += tDelta;
      readValue();
    } else {
      long dod;
      switch (br.readOnes(4)) {
        case 0: dod = 0; break;
        case 1: dod = signed(br.readBits(14), 14); break;
        case 2: dod = signed(br.readBits(17), 17); break;
        case 3: dod = signed(br.readBits(20), 20); break;
        default: dod = br.readBits(64);
      }
      tDelta += dod;
      t += tDelta;
      readValue();
    }
    if (err != null) {
      done = true;
      return ValueType.NONE;
    }
    if (br.eof()) {
      done = true;
      err = new IllegalStateException("xor chunk: data ends inside sample " + numRead + " of " + numTotal);
      return ValueType.NONE;
    }
    numRead++;
    return ValueType.FLOAT;
  }

  // Values above 2^(n-1) stand for negatives (the mirror of XorAppender.fits).
  private static long signed(long bits, int n) {
    return bits > (1L << (n - 1)) ? bits - (1L << n) : bits;
  }

  private void readValue() {
    int ctl = br.readOnes(2); // '0' same value, '10' previous window, '11' new window
    if (ctl == 0) {
      return;
    }
    if (ctl == 2) {
      long window = br.readBits(11); // 5 bits leading, 6 bits significant
      leading = (int) (window >>> 6);
      int sig = (int) (window & 0x3f);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
    }
    int sig = 64 - leading - trailing;
    vbits ^= br.readBits(sig) << trailing;
  }

  private long readUvarint() {
    long x = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = br.readByte();
      if (br.eof()) {
        return 0;
      }
      x |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return x;
      }
    }
    err = new IllegalStateException("xor chunk: varint overflows 64 bits");
    return 0;
  }

  @Override
  public ValueType seek(long target) {
    if (done) {
      return ValueType.NONE;
    }
    while (numRead == 0 || target > t) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return ValueType.FLOAT;
  }

  @Override
  public long atT() {
    return t;
  }

  @Override
  public double atV() {
    return Double.longBitsToDouble(vbits);
  }

  @Override
  public Throwable err() {
    return err;
  }
}
