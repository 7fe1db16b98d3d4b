package dev.promkit.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitStreamTest {
  @Test
  void writesMostSignificantBitFirst() {
    BitWriter w = new BitWriter(1);
    w.writeBit(true);
    w.writeBits(0b01, 2);
    w.writeBits(0xABCL, 12);
    assertEquals(15, w.bitLength());
    byte[] b = w.toByteArray();
    // 1 01 1010 1011 1100 + pad -> 1011 0101 0111 1000
    assertEquals((byte) 0xB5, b[0]);
    assertEquals((byte) 0x78, b[1]);
  }

  @Test
  void readsBackRandomFieldWidthsAcrossWordBoundaries() {
    Random r = new Random(3);
    int n = 5000;
    int[] widths = new int[n];
    long[] vals = new long[n];
    BitWriter w = new BitWriter(4);
    for (int i = 0; i < n; i++) {
      widths[i] = 1 + r.nextInt(64);
      vals[i] = r.nextLong() & (-1L >>> (64 - widths[i]));
      w.writeBits(vals[i], widths[i]);
    }
    BitReader br = new BitReader();
    byte[] b = w.toByteArray();
    br.reset(b, 0, b.length);
    for (int i = 0; i < n; i++) {
      assertEquals(vals[i], br.readBits(widths[i]), "field " + i);
    }
    assertEquals(false, br.eof());
  }

  @Test
  void flagsEofInsteadOfThrowing() {
    BitReader br = new BitReader();
    br.reset(new byte[] {(byte) 0xff}, 0, 1);
    assertEquals(0x7f, br.readBits(7));
    assertTrue(br.readBit());
    assertEquals(0, br.readBits(3));
    assertTrue(br.eof());
  }

  @Test
  void readsUnaryPrefixesOnFastAndSlowPaths() {
    BitWriter w = new BitWriter(4);
    String prefixes = "0 10 110 1110 1111 0 10 11";
    for (String p : prefixes.split(" ")) {
      for (char c : p.toCharArray()) {
        w.writeBit(c == '1');
      }
    }
    byte[] b = w.toByteArray();
    BitReader br = new BitReader();
    br.reset(b, 0, b.length);
    int[] want4 = {0, 1, 2, 3, 4, 0, 1};
    for (int want : want4) {
      assertEquals(want, br.readOnes(4));
    }
    assertEquals(2, br.readOnes(2));
    assertEquals(false, br.eof());
  }
}
