package dev.promkit.server.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import dev.promkit.testing.peers.Peers;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: {@code kill -9} of the server while it scrapes; after a restart on the same data
 * directory every sample that was committed (seen by a query) before the kill is still queryable.
 * The server runs as a child JVM from the test classpath, so this works before the jar is packaged.
 */
@Tag("slow")
class KillNineTest {
  private static final int ROUNDS = 3;

  @Test
  void samplesCommittedBeforeSigkillSurviveEveryRestart(@TempDir Path dir) throws Exception {
    Registry reg = new Registry();
    Counter.builder().name("kill_jobs_total").help("Jobs.").register(reg).inc(5);
    Path config = dir.resolve("prometheus.yml");
    Path data = dir.resolve("data");
    // Timestamp (ms) -> value of every committed sample of each series seen so far.
    TreeMap<Long, String> upSeen = new TreeMap<>();
    TreeMap<Long, String> jobsSeen = new TreeMap<>();
    try (MetricsServer target = MetricsServer.builder().registry(reg).port(0)
        .bindAddress(InetAddress.getLoopbackAddress()).start()) {
      Files.writeString(config, "global:\n  scrape_interval: 200ms\n  scrape_timeout: 150ms\n"
          + "scrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['127.0.0.1:"
          + target.getPort() + "']\n");
      for (int round = 1; round <= ROUNDS + 1; round++) {
        Child child = startServer(dir, config, data, round);
        Process p = child.process();
        try {
          Http api = new Http(awaitReady(child));
          // Everything committed before any earlier kill is still there, with the same value.
          assertContainsAll(upSeen, samples(api, "up{job=\"app\"}[1h]"), "up", round);
          assertContainsAll(jobsSeen, samples(api, "kill_jobs_total{job=\"app\"}[1h]"), "kill_jobs_total", round);
          if (round > ROUNDS) {
            break;
          }
          int before = upSeen.size();
          Http.await(15_000, "5 new scrapes in round " + round,
              () -> samples(api, "up{job=\"app\"}[1h]").size() >= before + 5);
          upSeen.putAll(samples(api, "up{job=\"app\"}[1h]"));
          jobsSeen.putAll(samples(api, "kill_jobs_total{job=\"app\"}[1h]"));
          assertEquals((double) upSeen.size(), api.scalar("count_over_time(up{job=\"app\"}[1h])"), 2.0,
              "count_over_time agrees with the raw samples");
          // Let at least one more commit happen, then kill while it keeps scraping.
          Thread.sleep(450);
        } finally {
          p.destroyForcibly();
          assertTrue(p.waitFor(10, TimeUnit.SECONDS), "killed server exits");
        }
        System.out.println("KillNineTest: round " + round + " killed with " + upSeen.size() + " up samples committed");
      }
    }
  }

  /** A server child process, its HTTP port and its log file. */
  private record Child(Process process, int port, Path log) {}

  private static Child startServer(Path dir, Path config, Path data, int round) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int port = Peers.freePort();
    Path log = dir.resolve("server-" + round + ".log");
    Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "dev.promkit.server.Main",
        "--config.file=" + config, "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Child(p, port, log);
  }

  /** Waits until the child answers /-/ready; returns its port. */
  private static int awaitReady(Child c) throws Exception {
    Process p = c.process();
    int port = c.port();
    Path log = c.log();
    Http api = new Http(port);
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("server exited with " + p.exitValue() + ": " + Files.readString(log));
      }
      try {
        if (api.get("/-/ready").statusCode() == 200) {
          return port;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("server not ready within 20 s: " + Files.readString(log, StandardCharsets.UTF_8));
  }

  /** The raw samples of a range selector evaluated now: timestamp (ms) -> value text. */
  private static TreeMap<Long, String> samples(Http api, String selector) throws Exception {
    HttpResponse<String> r = api.query(selector, "");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject d = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data");
    assertEquals("matrix", d.get("resultType").getAsString());
    TreeMap<Long, String> m = new TreeMap<>();
    for (JsonElement s : d.getAsJsonArray("result")) {
      for (JsonElement v : s.getAsJsonObject().getAsJsonArray("values")) {
        JsonArray pair = v.getAsJsonArray();
        m.put(pair.get(0).getAsBigDecimal().movePointRight(3).longValueExact(), pair.get(1).getAsString());
      }
    }
    return m;
  }

  private static void assertContainsAll(TreeMap<Long, String> expected, TreeMap<Long, String> actual, String what,
      int round) {
    List<Long> lost = new ArrayList<>();
    for (var e : expected.entrySet()) {
      if (!e.getValue().equals(actual.get(e.getKey()))) {
        lost.add(e.getKey());
      }
    }
    assertTrue(lost.isEmpty(), "start " + round + ": " + lost.size() + " of " + expected.size() + " committed " + what
        + " samples lost or changed after SIGKILL, e.g. at " + (lost.isEmpty() ? "" : lost.get(0)));
  }
}
