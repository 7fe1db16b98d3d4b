package dev.promkit.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks backfilled by our {@code tsdb create-blocks-from openmetrics}: a real Prometheus 2.42 started
 * on them ({@code --storage.tsdb.retention.time=100y}) and our server started on them answer the same
 * queries with the same series and values. The data puts no sample on a range-window edge (samples at
 * .5 s, queries at whole seconds), where 2.42 and 3.x differ, and the queries avoid sums (3.x adds with
 * Kahan compensation).
 */
@Tag("interop")
class BackfillPrometheusInteropTest {
  private static final long T0 = 1795478401L;
  @TempDir Path tmp;

  private static String data() {
    StringBuilder sb = new StringBuilder("# TYPE req counter\n");
    for (int step = 0; step < 2880; step++) { // 12 h at 15 s: crosses 2 h block boundaries
      for (int s = 0; s < 4; s++) {
        sb.append("req_total{code=\"").append(200 + s).append("\"} ").append(step * (s + 1) + s / 3.0)
            .append(' ').append(T0 + step * 15L).append(".5\n");
      }
    }
    sb.append("# TYPE temp gauge\n");
    for (int step = 0; step < 1440; step++) {
      sb.append("temp{room=\"a\"} ").append(Math.sin(step / 10.0) * 20).append(' ').append(T0 + step * 30L)
          .append(".5\n");
    }
    return sb.append("# EOF\n").toString();
  }

  private static int backfill(Path in, Path dir) {
    return dev.promkit.server.TsdbCommandAccess.run(in, dir);
  }

  @Test
  void prometheusAndWeAnswerTheSameOnOurBackfilledBlocks() throws Exception {
    Peers.require(Peers.PROMETHEUS);
    Path in = tmp.resolve("in.om");
    Files.writeString(in, data());
    Path oursDir = tmp.resolve("ours");
    assertEquals(0, backfill(in, oursDir));
    Path cfg = tmp.resolve("prometheus.yml");
    String config = "global:\n  scrape_interval: 1h\nscrape_configs: []\n";
    Files.writeString(cfg, config);
    try (Peer prom = Peer.start(Peers.PROMETHEUS, (port, dir) -> {
          Path data = dir.resolve("data");
          assertEquals(0, backfill(in, data));
          Files.writeString(dir.resolve("prometheus.yml"), config);
          return List.of("--config.file=" + dir.resolve("prometheus.yml"), "--web.listen-address=127.0.0.1:" + port,
              "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=100y");
        }, "/-/ready", Duration.ofSeconds(30));
        PromkitServer ours = PromkitServer.start(ServerOptions.parse("--config.file=" + cfg,
            "--storage.tsdb.path=" + oursDir, "--storage.tsdb.retention.time=100y",
            "--web.listen-address=127.0.0.1:0"))) {
      String oursUrl = "http://127.0.0.1:" + ours.port();
      long mid = T0 + 6 * 3600;
      String[] instant = {"req_total", "count({__name__!=\"\"})", "rate(req_total[5m])", "max_over_time(temp[10m])",
          "temp", "req_total offset 3h", "max(req_total)", "changes(temp[1h])", "deriv(temp[10m])",
          "timestamp(req_total)"};
      int compared = 0;
      for (String q : instant) {
        for (long t : new long[] {T0 + 600, mid, T0 + 12 * 3600 - 100}) {
          String path = "/api/v1/query?query=" + enc(q) + "&time=" + t;
          compared += assertSameData(prom.baseUrl() + path, oursUrl + path);
        }
      }
      for (String q : new String[] {"req_total", "rate(req_total[1m])", "temp * 2", "min_over_time(temp[2h])"}) {
        String path = "/api/v1/query_range?query=" + enc(q) + "&start=" + (T0 + 60) + "&end=" + (T0 + 12 * 3600)
            + "&step=97";
        compared += assertSameData(prom.baseUrl() + path, oursUrl + path);
      }
      assertTrue(compared > 4000, "values compared: " + compared);
    }
  }

  /** The "data" members are equal as JSON; returns how many values they hold. */
  private static int assertSameData(String theirsUrl, String oursUrl) throws Exception {
    JsonObject a = get(theirsUrl);
    JsonObject b = get(oursUrl);
    assertEquals("success", a.get("status").getAsString(), theirsUrl + " " + a);
    assertEquals(a.get("data"), b.get("data"), oursUrl);
    int n = 0;
    for (JsonElement s : a.getAsJsonObject("data").getAsJsonArray("result")) {
      JsonObject o = s.getAsJsonObject();
      n += o.has("values") ? o.getAsJsonArray("values").size() : 1;
    }
    return n;
  }

  private static JsonObject get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
