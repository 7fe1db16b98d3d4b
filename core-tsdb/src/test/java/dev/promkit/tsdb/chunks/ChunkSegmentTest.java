package dev.promkit.tsdb.chunks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.XorChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSegmentTest {
  @TempDir
  Path dir;

  private static XorChunk chunk(int n, long seed) {
    XorChunk c = new XorChunk();
    ChunkAppender a = c.appender();
    for (int i = 0; i < n; i++) {
      a.append(seed + i * 15_000L, Math.sin(seed + i));
    }
    return c;
  }

  @Test
  void cutsSegmentsAtTheSizeLimitAndRefsNameSegmentAndOffset() throws Exception {
    List<XorChunk> in = new ArrayList<>();
    List<Long> refs = new ArrayList<>();
    try (ChunkWriter w = new ChunkWriter(dir, 4096)) {
      for (int i = 0; i < 20; i++) {
        XorChunk c = chunk(60, i);
        in.add(c);
        refs.add(w.write(c));
      }
    }
    try (ChunkReader r = ChunkReader.open(dir)) {
      assertTrue(r.segments() > 1, "segments: " + r.segments());
      for (int i = 0; i < in.size(); i++) {
        assertArrayEquals(in.get(i).bytes(), r.chunk(refs.get(i)).bytes(), "chunk " + i);
      }
    }
    assertEquals(8L, (long) refs.get(0), "first chunk right after the 8-byte header of segment 0");
    for (int s = 0; s < 3; s++) {
      Path f = dir.resolve(String.format("%06d", s + 1));
      assertTrue(Files.size(f) <= 4096, f + " within the limit");
    }
    assertTrue(refs.stream().anyMatch(r -> (r >>> 32) == 1 && (int) (long) r == 8), "segment 1 starts at offset 8");
  }

  @Test
  void headerIsMagicVersionAndPadding() throws Exception {
    try (ChunkWriter w = new ChunkWriter(dir)) {
      w.write(chunk(3, 1));
    }
    byte[] b = Files.readAllBytes(dir.resolve("000001"));
    assertArrayEquals(new byte[] {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 1, 0, 0, 0}, java.util.Arrays.copyOf(b, 8));
  }

  @Test
  void refIntoAMissingSegmentOrPastTheEndIsCorruption() throws Exception {
    try (ChunkWriter w = new ChunkWriter(dir)) {
      w.write(chunk(3, 1));
    }
    try (ChunkReader r = ChunkReader.open(dir)) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> r.chunk(1L << 32 | 8));
      assertTrue(e.getMessage().contains("segment 2 of 1"), e.getMessage());
      e = assertThrows(CorruptionException.class, () -> r.chunk(100_000));
      assertEquals(dir.resolve("000001"), e.file());
      assertEquals(100_000, e.offset());
    }
    byte[] b = Files.readAllBytes(dir.resolve("000001"));
    b[1] = 0;
    Files.write(dir.resolve("000001"), b);
    CorruptionException e = assertThrows(CorruptionException.class, () -> ChunkReader.open(dir));
    assertTrue(e.getMessage().contains("000001 at offset 0: bad magic"), e.getMessage());
  }
}
