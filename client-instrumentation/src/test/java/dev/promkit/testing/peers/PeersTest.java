package dev.promkit.testing.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PeersTest {

  @Test
  void absentBinarySkipsLocallyAndFailsInCi() {
    Class<? extends Throwable> expected = Peers.isCi() ? AssertionError.class : TestAbortedException.class;
    Throwable t = assertThrows(expected, () -> Peers.require("promkit-no-such-binary"));
    assertTrue(t.getMessage().contains("promkit-no-such-binary"), t.getMessage());
  }

  @Test
  void freePortIsBindable() throws Exception {
    int port = Peers.freePort();
    try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertEquals(port, s.getLocalPort());
    }
  }

  @Test
  @Tag("interop")
  void startsNodeExporterOnAFreePortAndStopsItByHandle() throws Exception {
    Peer peer = Peer.nodeExporter();
    Path dir = peer.dir();
    ProcessHandle handle = peer.handle();
    try {
      assertTrue(peer.get("/metrics").body().contains("node_exporter_build_info"));
    } finally {
      peer.close();
    }
    assertFalse(handle.isAlive(), "process stopped");
    assertFalse(Files.exists(dir), "temp dir deleted");
  }
}
