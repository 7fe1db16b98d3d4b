package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * We read Prometheus' WAL: a real Prometheus scrapes itself, stops, and {@link Tsdb#open} replays its
 * {@code wal/} directory; every {@code up} sample Prometheus reported over its API is there. Run with
 * and without Prometheus' default snappy record compression.
 */
@Tag("interop")
class PrometheusWalReplayTest {
  private static final Pattern SAMPLE = Pattern.compile("\\[([0-9.]+),\"([^\"]+)\"\\]");

  @TempDir Path tmp;

  /** True when some fragment's type byte carries the snappy flag (walks pages, fragment by fragment). */
  private static boolean hasSnappyFragment(Path wal) throws IOException {
    try (var files = Files.list(wal)) {
      for (Path seg : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] b = Files.readAllBytes(seg);
        int p = 0;
        while (p + 7 <= b.length) {
          int type = b[p] & 0xFF;
          if (type == 0 || 32768 - p % 32768 < 7) {
            p = (p / 32768 + 1) * 32768;
            continue;
          }
          if ((type & 0x08) != 0) {
            return true;
          }
          p += 7 + (((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF));
        }
      }
    }
    return false;
  }

  @Test
  void replaysASnappyCompressedWalWrittenByPrometheus() throws Exception {
    replay("--storage.tsdb.wal-compression");
  }

  @Test
  void replaysAnUncompressedWalWrittenByPrometheus() throws Exception {
    replay("--no-storage.tsdb.wal-compression");
  }

  private void replay(String compressionFlag) throws Exception {
    String prometheus = Peers.require(Peers.PROMETHEUS).toString();
    int port = Peers.freePort();
    Path data = tmp.resolve("data");
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        + "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:" + port + "']\n");
    Process p = new ProcessBuilder(prometheus, "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.path=" + data, compressionFlag)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
    Map<Long, Double> reported;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String q = URLEncoder.encode("up{job=\"prometheus\"}[10m]", StandardCharsets.UTF_8);
      URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + q);
      reported = new TreeMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (reported.size() < 4) {
        assertTrue(System.nanoTime() < deadline, "Prometheus did not scrape 4 times; log: "
            + Files.readString(tmp.resolve("prometheus.log")));
        Thread.sleep(500);
        try {
          String body = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString()).body();
          reported.clear();
          Matcher m = SAMPLE.matcher(body);
          while (m.find()) {
            long ms = new BigDecimal(m.group(1)).movePointRight(3).longValueExact();
            reported.put(ms, Double.parseDouble(m.group(2)));
          }
        } catch (IOException e) {
          // not listening yet
        }
      }
    } finally {
      p.destroy(); // SIGTERM: Prometheus shuts down cleanly, leaving its WAL (no block is cut this young)
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertTrue(Files.isDirectory(data.resolve("wal")));
    if (compressionFlag.startsWith("--storage")) {
      assertTrue(hasSnappyFragment(data.resolve("wal")), "Prometheus wrote snappy-compressed records");
    }
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(data))) {
      Map<Long, Double> replayed = new TreeMap<>();
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("job", "prometheus"));
        assertTrue(set.next(), "up series replayed");
        ChunkIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          replayed.put(it.atT(), it.atV());
        }
        assertNull(it.err());
        assertTrue(!set.next() && set.err() == null);
        SeriesSet head = q.select(false, null, LabelMatcher.eq("__name__", "prometheus_tsdb_head_series"));
        assertTrue(head.next(), "other series replayed too");
      }
      for (Map.Entry<Long, Double> e : reported.entrySet()) {
        assertEquals(e.getValue(), replayed.get(e.getKey()), "sample at " + e.getKey() + " replayed " + replayed);
      }
    }
  }
}
