package dev.promkit.tsdb.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodingTest {
  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void varintsUseGoEncodingBytes() {
    assertArrayEquals(bytes(0xAC, 0x02), new EncBuf().putUvarint(300).toByteArray());
    assertArrayEquals(bytes(0x01), new EncBuf().putVarint(-1).toByteArray());
    assertArrayEquals(bytes(0x02), new EncBuf().putVarint(1).toByteArray());
    assertArrayEquals(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
        new EncBuf().putUvarint(-1L).toByteArray());
  }

  @Test
  void integersAreBigEndian() {
    assertArrayEquals(bytes(0x01, 0x02, 0x03, 0x04), new EncBuf().putBE32(0x01020304).toByteArray());
    assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0x01, 0x02), new EncBuf().putBE64(0x0102).toByteArray());
  }

  @Test
  void roundTripsExtremeValues() {
    long[] vals = {0, 1, -1, 63, 64, -64, -65, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 35, -(1L << 50)};
    EncBuf e = new EncBuf(1);
    for (long v : vals) {
      e.putVarint(v).putUvarint(v).putBE64(v).putBE32((int) v);
    }
    e.putBE64Double(Double.longBitsToDouble(0x7ff0000000000002L)); // stale marker NaN
    DecBuf d = new DecBuf(e.array(), 0, e.len());
    for (long v : vals) {
      assertEquals(v, d.readVarint());
      assertEquals(v, d.readUvarint());
      assertEquals(v, d.readBE64());
      assertEquals((int) v, d.readBE32());
    }
    assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(d.readBE64Double()));
    assertNull(d.err());
    assertEquals(0, d.remaining());
  }

  @Test
  void decBufKeepsFirstErrorAndReturnsZerosAfter() {
    DecBuf d = new DecBuf(bytes(0x00, 0x05, 0x80), 0, 3);
    assertEquals(5, d.readBE16());
    assertEquals(0, d.readUvarint()); // 0x80 continues past the end
    String first = d.err();
    assertNotNull(first);
    assertTrue(first.contains("uvarint"), first);
    assertEquals(0, d.readByte());
    assertEquals(0, d.readBE64());
    assertEquals("", d.readUvarintStr());
    assertEquals(first, d.err());
  }

  @Test
  void rejectsOverlongUvarint() {
    byte[] b = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02);
    DecBuf d = new DecBuf(b, 0, b.length);
    d.readUvarint();
    assertNotNull(d.err());
  }

  @Test
  void stringsAreUvarintLengthPrefixedUtf8() {
    String s = "naïve ☃ \uD83D\uDE00 x";
    EncBuf e = new EncBuf().putUvarintStr(s);
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    assertEquals(utf8.length, e.array()[0]);
    DecBuf d = new DecBuf(e.array(), 0, e.len());
    assertEquals(s, d.readUvarintStr());
    assertNull(d.err());
  }

  @Test
  void crc32cMatchesCastagnoliCheckValue() {
    byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xE3069283, Crc32c.checksum(b, 0, b.length));
  }
}
