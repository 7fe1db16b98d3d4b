package dev.promkit.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus 2.42 started on a directory of blocks our head compaction cut answers instant
 * queries with the same series and values as our database.
 */
@Tag("interop")
class PrometheusReadsOurBlocksTest {
  private static final long H = TsdbBlocksTest.H;

  @TempDir Path tmp;

  @Test
  void prometheusAnswersInstantQueriesOnOurBlocksAsWeDo() throws Exception {
    Peers.require(Peers.PROMETHEUS);
    Path ours = tmp.resolve("ours");
    TreeMap<Labels, TreeMap<Long, Double>> model = new TreeMap<>();
    List<Path> blockDirs = new ArrayList<>();
    long end = TsdbBlocksTest.T0 + 9 * H;
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withRetentionMs(0).withDir(ours),
        WalOptions.defaults().withSyncOnCommit(false))) {
      TsdbBlocksTest.fill(db, model, 6, TsdbBlocksTest.T0, end, true);
      db.blocks().forEach(b -> blockDirs.add(b.dir()));
    }
    assertTrue(blockDirs.size() >= 3, "blocks: " + blockDirs);
    long blocksEnd;
    long blocksStart;
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withRetentionMs(0).withDir(ours))) {
      blocksStart = db.blocks().get(0).meta().minTime();
      blocksEnd = db.blocks().get(db.blocks().size() - 1).meta().maxTime();
    }
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withRetentionMs(0).withDir(ours));
        Peer prom = Peer.start(Peers.PROMETHEUS, (port, dir) -> {
      Path data = dir.resolve("data");
      for (Path b : blockDirs) {
        copyTree(b, data.resolve(b.getFileName().toString()));
      }
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, "global:\n  scrape_interval: 1h\n");
      return List.of("--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
          "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=100y");
    }, "/-/ready", Duration.ofSeconds(60))) {
      int compared = 0;
      // 30 s after a sample: the 5 min look-back holds it whether its window is closed on the left or not
      for (long t = blocksStart + 30_000 + 17 * 60_000; t < blocksEnd; t += 47 * 60_000) {
        for (String query : List.of("a_metric", "{__name__=~\"a_metric|b_metric\", i=~\"[0-3]\"}", "b_metric{i=\"5\"}")) {
          Map<Labels, Double> theirs = prometheusInstant(prom, query, t);
          Map<Labels, Double> mine = ourInstant(db, query, t);
          assertEquals(mine, theirs, query + " at " + t);
          assertTrue(!mine.isEmpty(), "something to compare for " + query + " at " + t);
          compared += mine.size();
        }
      }
      assertTrue(compared > 50, "compared " + compared + " values");
    }
  }

  private static Map<Labels, Double> ourInstant(Tsdb db, String query, long t) {
    List<LabelMatcher> ms = new ArrayList<>();
    switch (query) {
      case "a_metric":
        ms.add(LabelMatcher.eq("__name__", "a_metric"));
        break;
      case "b_metric{i=\"5\"}":
        ms.add(LabelMatcher.eq("__name__", "b_metric"));
        ms.add(LabelMatcher.eq("i", "5"));
        break;
      default:
        ms.add(LabelMatcher.re("__name__", "a_metric|b_metric"));
        ms.add(LabelMatcher.re("i", "[0-3]"));
    }
    Map<Labels, Double> out = new TreeMap<>();
    try (Querier q = db.querier(t - 5 * 60_000, t)) {
      SeriesSet set = q.select(true, null, ms.toArray(new LabelMatcher[0]));
      while (set.next()) {
        ChunkIterator it = set.at().iterator(null);
        Double last = null;
        while (it.next() != ValueType.NONE) {
          last = it.atV();
        }
        if (last != null) {
          out.put(set.at().labels(), last);
        }
      }
    }
    return out;
  }

  private static Map<Labels, Double> prometheusInstant(Peer prom, String query, long t) throws Exception {
    var resp = prom.get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time="
        + (t / 1000) + "." + String.format("%03d", t % 1000));
    assertEquals(200, resp.statusCode(), resp.body());
    JsonObject root = JsonParser.parseString(resp.body()).getAsJsonObject();
    Map<Labels, Double> out = new TreeMap<>();
    for (JsonElement e : root.getAsJsonObject("data").getAsJsonArray("result")) {
      JsonObject metric = e.getAsJsonObject().getAsJsonObject("metric");
      List<String> nv = new ArrayList<>();
      metric.entrySet().forEach(x -> {
        nv.add(x.getKey());
        nv.add(x.getValue().getAsString());
      });
      out.put(Labels.of(nv.toArray(new String[0])), Double.parseDouble(
          e.getAsJsonObject().getAsJsonArray("value").get(1).getAsString()));
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path dst = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    }
  }
}
