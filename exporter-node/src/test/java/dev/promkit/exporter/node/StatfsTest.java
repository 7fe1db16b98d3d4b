package dev.promkit.exporter.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  @Test
  void nativeStatvfsAgreesWithTheStatCommand(@TempDir Path dir) throws Exception {
    NativeStatfs nat = NativeStatfs.load();
    Statfs.Stats viaNative = nat.stat(dir);
    Statfs.Stats viaCommand = Statfs.viaStat(List.of(dir), 5000)[0];
    assertEquals(viaCommand.blocks(), viaNative.blocks());
    assertEquals(viaCommand.blockSize(), viaNative.blockSize());
    assertEquals(viaCommand.files(), viaNative.files());
    // Free counts move with other writers on the machine: only their order of magnitude is stable.
    assertTrue(viaNative.filesFree() > 0 && viaNative.filesFree() <= viaNative.files(), viaNative.toString());
    assertTrue(viaNative.avail() <= viaNative.free() && viaNative.free() <= viaNative.blocks(), viaNative.toString());
    assertEquals(Files.getFileStore(dir).getTotalSpace(), viaNative.blocks() * viaNative.blockSize());
  }

  @Test
  void nativeStatvfsOfAMissingPathIsAnErrorNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("missing");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> NativeStatfs.load().stat(missing));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("errno 2"), e.getMessage());
  }

  @Test
  void bestReaderUsesNativeStatvfsWithoutAChildProcess(@TempDir Path dir) {
    Statfs.Reader r = Statfs.best(5000);
    assertInstanceOf(GuardedStatfs.class, r, "JNA loads on this platform");
    Statfs.Stats[] s = r.read(List.of(dir, dir.resolve("missing")));
    assertTrue(s[0].files() > 0, s[0].toString());
    assertNull(s[1]);
  }

  @Test
  @org.junit.jupiter.api.Tag("slow")
  void withoutJnaNativeSupportTheJarFallsBackToStatCommandAndWarnsOnce(@TempDir Path tmp) throws Exception {
    String root = Fixture.root().toString();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // No unpacking of JNA's bundled library and no system one: JNA's native part cannot load.
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djna.nounpack=true", "-Djna.nosys=true", "-cp", System.getProperty("java.class.path"),
        "dev.promkit.exporter.node.NodeExporterMain", "--web.listen-address=127.0.0.1:" + port,
        "--path.procfs=" + root + "/proc", "--path.rootfs=" + root + "/root", "--collector.disable-defaults",
        "--collector.filesystem", "--web.disable-exporter-metrics").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("log").toFile()).start();
    try {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build();
      String body = null;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (body == null) {
        try {
          body = client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
          assertTrue(System.nanoTime() < deadline && p.isAlive(), "exporter did not come up");
          Thread.sleep(100);
        }
      }
      body = client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(body.contains("node_filesystem_files{device=\"/dev/sda1\",fstype=\"ext4\",mountpoint=\"/\"}"),
          "inodes from stat -f: " + body);
      assertTrue(body.contains("node_scrape_collector_success{collector=\"filesystem\"} 1"), body);
    } finally {
      p.destroy();
      p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    String log = Files.readString(tmp.resolve("log"));
    int first = log.indexOf("statvfs through JNA unavailable");
    assertTrue(first >= 0, log);
    assertEquals(-1, log.indexOf("statvfs through JNA unavailable", first + 1), "logged once: " + log);
  }
}
