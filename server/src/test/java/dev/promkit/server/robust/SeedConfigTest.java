package dev.promkit.server.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: the seed's prometheus.yml (jobs prometheus and node) works unchanged except for addresses. */
@Tag("interop")
class SeedConfigTest {

  @Test
  void seedConfigScrapesTheServerItselfAndTheRealNodeExporter(@TempDir Path dir) throws Exception {
    String seed;
    try (InputStream in = SeedConfigTest.class.getResourceAsStream("/seed/prometheus.yml")) {
      seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Peer node = Peer.nodeExporter()) {
      int port = Peers.freePort();
      // The file fixes ports 9090/9100 and a 10 s interval, which this test cannot wait for: only the two
      // target ports and the scrape interval are replaced; every other line is the seed's, byte for byte.
      String yaml = seed.replace("'localhost:9090'", "'localhost:" + port + "'")
          .replace("'localhost:9100'", "'localhost:" + node.port() + "'")
          .replace("  scrape_interval: 10s\n", "  scrape_interval: 500ms\n");
      assertEquals(seed.lines().count(), yaml.lines().count());
      assertTrue(yaml.contains("scrape_interval: 500ms") && yaml.contains("localhost:" + node.port()),
          "the seed file still has the lines this test rewrites");
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, yaml);
      Files.writeString(dir.resolve("rules.yml"), "groups: []\n"); // the seed's rule_files entry, relative to it
      try (PromkitServer server = PromkitServer.start(ServerOptions.parse("--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))) {
        Http api = new Http(server.port());
        Http.await(15_000, "both seed jobs up", () -> api.scalar("up{job=\"prometheus\"}") == 1.0
            && api.scalar("up{job=\"node\"}") == 1.0);
        Http.await(5_000, "node_cpu_seconds_total stored",
            () -> !api.result("node_cpu_seconds_total{job=\"node\",instance=\"localhost:" + node.port() + "\"}")
                .isEmpty());
        assertEquals(1.0, api.scalar("prometheus_config_last_reload_successful{job=\"prometheus\"}"),
            "the server's own metrics are scraped");
      }
    }
  }
}
