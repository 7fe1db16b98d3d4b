package dev.promkit.exporter.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatfsTest {
  @Test
  void statCommandAgreesWithTheJdkAndFailsPerMissingPath(@TempDir Path dir) throws Exception {
    Path spaced = Files.createDirectory(dir.resolve("with space"));
    Statfs.Stats[] s = Statfs.viaStat(List.of(spaced, dir.resolve("missing"), dir), 5000);
    assertNull(s[1], "a missing mount point is an error, not zeros");
    FileStore store = Files.getFileStore(dir);
    assertEquals(store.getTotalSpace(), s[2].blocks() * s[2].blockSize());
    assertTrue(s[0].files() > 0 && s[0].filesFree() <= s[0].files(), s[0].toString());
    assertEquals(s[0].blocks(), s[2].blocks(), "same file system");
  }

  @Test
  void fileStoreFallbackHasBytesButNoInodes(@TempDir Path dir) {
    Statfs.Stats[] s = Statfs.viaFileStore(List.of(dir, dir.resolve("missing")));
    assertTrue(s[0].blocks() > 0);
    assertEquals(1, s[0].blockSize());
    assertEquals(-1, s[0].files());
    assertNull(s[1]);
  }
}
