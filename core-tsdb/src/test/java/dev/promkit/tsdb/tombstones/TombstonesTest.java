package dev.promkit.tsdb.tombstones;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TombstonesTest {
  @TempDir Path tmp;

  @Test
  void addMergesOverlappingAndAdjacentIntervals() {
    Intervals iv = Intervals.of(10, 20).add(30, 40);
    assertEquals("[[10, 20], [30, 40]]", iv.toString());
    assertEquals("[[10, 20], [30, 40], [42, 50]]", iv.add(42, 50).toString(), "41 lies between: kept apart");
    assertEquals("[[10, 20], [30, 50]]", iv.add(41, 50).toString(), "adjacent: merged");
    assertEquals("[[5, 45]]", iv.add(5, 45).toString(), "covering both");
    assertEquals("[[10, 40]]", iv.add(21, 29).toString(), "filling the gap");
    assertEquals("[[0, 5], [10, 20], [30, 40]]", iv.add(0, 5).toString());
  }

  @Test
  void extremeBoundsDoNotOverflow() {
    Intervals iv = Intervals.of(Long.MIN_VALUE, 0).add(5, Long.MAX_VALUE);
    assertEquals(2, iv.size());
    assertEquals(1, iv.add(1, 4).size());
    assertTrue(iv.contains(Long.MIN_VALUE));
    assertTrue(iv.contains(Long.MAX_VALUE));
    assertFalse(iv.contains(3));
  }

  @Test
  void containsAndCoversUseClosedBounds() {
    Intervals iv = Intervals.of(10, 20).add(30, 40);
    assertTrue(iv.contains(10));
    assertTrue(iv.contains(20));
    assertFalse(iv.contains(21));
    assertFalse(iv.contains(9));
    assertTrue(iv.contains(35));
    assertTrue(iv.covers(30, 40));
    assertFalse(iv.covers(15, 35));
  }

  @Test
  void dropBeforeKeepsOnlyTheNewerParts() {
    assertEquals("[[15, 20], [30, 40]]", Intervals.of(10, 20).add(30, 40).dropBefore(15).toString());
    assertTrue(Intervals.of(10, 20).dropBefore(21).isEmpty());
  }

  @Test
  void fileBytesFollowPrometheusLayout() {
    Tombstones t = new Tombstones();
    t.add(3, 1, 2);
    byte[] b = TombstonesFile.encode(t);
    // magic, version 1, uvarint 3, varint 1 (zigzag 2), varint 2 (zigzag 4), CRC32-C of those 3 bytes
    byte[] body = {3, 2, 4};
    int crc = dev.promkit.tsdb.encoding.Crc32c.checksum(body, 0, 3);
    assertArrayEquals(new byte[] {0x01, 0x30, (byte) 0xBA, 0x30, 1, 3, 2, 4, (byte) (crc >>> 24), (byte) (crc >>> 16),
        (byte) (crc >>> 8), (byte) crc}, b);
    assertArrayEquals(new byte[] {0x01, 0x30, (byte) 0xBA, 0x30, 1, 0, 0, 0, 0}, TombstonesFile.encode(new Tombstones()),
        "empty file: header and the CRC of nothing, as promtool writes");
  }

  @Test
  void fileRoundTripsAndReplaceIsAtomic() throws IOException {
    Tombstones t = new Tombstones();
    t.add(7, -5, 100);
    t.add(7, 200, 300);
    t.add(1, Long.MIN_VALUE, Long.MAX_VALUE);
    TombstonesFile.replace(tmp, t);
    Tombstones back = TombstonesFile.read(tmp.resolve("tombstones"));
    assertEquals(t.toString(), back.toString());
    assertEquals(3, back.numIntervals());
    assertFalse(Files.exists(tmp.resolve("tombstones.tmp")));
    assertTrue(TombstonesFile.read(tmp.resolve("missing")).isEmpty());
  }

  @Test
  void rejectsDamagedFilesNamingFileAndOffset() throws IOException {
    Tombstones t = new Tombstones();
    t.add(3, 1, 2);
    byte[] b = TombstonesFile.encode(t);
    Path f = tmp.resolve("tombstones");
    b[6] ^= 1;
    Files.write(f, b);
    IOException e = assertThrows(IOException.class, () -> TombstonesFile.read(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    Files.write(f, new byte[] {1, 2, 3, 4, 1, 0, 0, 0, 0});
    e = assertThrows(IOException.class, () -> TombstonesFile.read(f));
    assertTrue(e.getMessage().contains("offset 0") && e.getMessage().contains("magic"), e.getMessage());
    Files.write(f, new byte[] {1, 2});
    assertThrows(IOException.class, () -> TombstonesFile.read(f));
  }

  @Test
  void truncateForgetsOldIntervalsAndDeadSeries() {
    Tombstones t = new Tombstones();
    t.add(1, 0, 10);
    t.add(2, 0, 100);
    t.add(3, 50, 60);
    t.truncate(20, ref -> ref != 3);
    assertEquals("{2=[[20, 100]]}", t.toString());
  }
}
