package dev.promkit.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.testing.peers.Peers;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our server scrapes a target; the real promtool (2.42) queries our HTTP API and prints the value. */
@Tag("interop")
class PromtoolQueryInteropTest {
  @Test
  void promtoolQueryInstantAndRangePrintScrapedValue(@TempDir Path dir) throws Exception {
    Peers.require(Peers.PROMTOOL);
    Registry reg = new Registry();
    Gauge.builder().name("answer").help("The answer.").register(reg).set(42.5);
    try (MetricsServer target = MetricsServer.builder().registry(reg).port(0)
        .bindAddress(InetAddress.getLoopbackAddress()).start()) {
      Path cfg = dir.resolve("prometheus.yml");
      String addr = "127.0.0.1:" + target.getPort();
      Files.writeString(cfg, "global:\n  scrape_interval: 500ms\n  scrape_timeout: 500ms\nscrape_configs:\n"
          + "  - job_name: app\n    static_configs:\n      - targets: ['" + addr + "']\n");
      try (PromkitServer server = PromkitServer.start(ServerOptions.parse("--config.file=" + cfg,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0"))) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline
            && (server.activeTargets().isEmpty()
            || server.activeTargets().get(0).health() != dev.promkit.server.scrape.Target.Health.UP)) {
          Thread.sleep(50);
        }
        String url = "http://127.0.0.1:" + server.port();
        Peers.Result r = Peers.run(Peers.PROMTOOL, new byte[0], 30, "query", "instant", url, "answer");
        assertEquals(0, r.exitCode(), r.output());
        Matcher m = Pattern.compile("answer\\{instance=\"" + Pattern.quote(addr)
            + "\", job=\"app\"\\} => 42\\.5 @\\[\\d+(\\.\\d+)?\\]").matcher(r.output());
        assertTrue(m.find(), r.output());

        r = Peers.run(Peers.PROMTOOL, new byte[0], 30, "query", "instant", url, "up == 1");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("up{instance=\"" + addr + "\", job=\"app\"} => 1 @["), r.output());

        long end = System.currentTimeMillis() / 1000 + 2; // whole seconds: past the first scrape
        r = Peers.run(Peers.PROMTOOL, new byte[0], 30, "query", "range", "--start=" + (end - 60), "--end=" + end,
            "--step=1s", url, "answer");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("answer{instance=\"" + addr + "\", job=\"app\"} =>\n42.5 @["), r.output());

        r = Peers.run(Peers.PROMTOOL, new byte[0], 30, "query", "instant", url, "foo(");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("bad_data: invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"),
            r.output());
      }
    }
  }
}
