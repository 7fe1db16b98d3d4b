package dev.promkit.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query results go out with their length up to the hold limit, streamed (chunked) past it, gzipped
 * when the client asks, always equal to {@link Api#handle}'s bytes.
 */
class StreamedQueryResponseTest {
  @TempDir Path dir;

  @Test
  void sendsTheSameBytesHeldOrStreamedPlainOrGzippedAndErrorsAsBefore() throws Exception {
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(cfg, "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
    try (PromkitServer server = PromkitServer.start(ServerOptions.parse("--config.file=" + cfg,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0"))) {
      Appender app = server.tsdb().appender();
      for (String k : new String[] {"<&>", "b", "c"}) {
        for (int i = 0; i < 3000; i++) {
          app.append(0, Labels.of("__name__", "m", "k", k), 1_000_000 + i * 1000L, i / 7.0);
        }
      }
      app.commit();
      String q = "/api/v1/query_range?query=m&start=1000&end=4000&step=1";
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + q);
      HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, plain.statusCode());
      assertEquals(String.valueOf(plain.body().length), plain.headers().firstValue("Content-Length").orElse("none"),
          "a result below the hold limit goes out with its length");
      assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
      assertEquals("application/json", plain.headers().firstValue("Content-Type").orElse(""));
      assertTrue(plain.body().length > 3 * JsonBytes.FLUSH_AT / 2, "more than one flush: " + plain.body().length);
      String text = new String(plain.body(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(text.startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
          + "{\"__name__\":\"m\",\"k\":\"\\u003c\\u0026\\u003e\"},\"values\":[[1000,\"0\"],[1001,\"0.14285714285714285\"]"),
          text.substring(0, 200));
      ApiResponse direct = new Api(server).handle(ApiRequest.of("GET", "/api/v1/query_range",
          "query=m&start=1000&end=4000&step=1", null, null));
      assertArrayEquals(direct.body(), plain.body());

      // Past the hold limit the same bytes are streamed, the response opened with an unknown length.
      for (long limit : new long[] {0, JsonBytes.FLUSH_AT, plain.body().length - 1, plain.body().length}) {
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        long[] opened = {Long.MIN_VALUE};
        new Api(server).serve(ApiRequest.of("GET", "/api/v1/query_range", "query=m&start=1000&end=4000&step=1", null,
            null), (status, contentType, length) -> {
              assertEquals(Long.MIN_VALUE, opened[0], "opened twice");
              opened[0] = length;
              return sent;
            }, limit);
        assertEquals(limit >= plain.body().length ? plain.body().length : -1, opened[0], "limit " + limit);
        assertArrayEquals(plain.body(), sent.toByteArray(), "limit " + limit);
      }

      HttpResponse<byte[]> gz = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
      byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes();
      assertArrayEquals(plain.body(), unzipped);
      assertTrue(gz.body().length < plain.body().length / 3);

      HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri).method("HEAD",
          HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(405, head.statusCode()); // the API answers GET and POST only, as before streaming
      assertEquals(0, head.body().length);

      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
          + "/api/v1/query_range?query=m(&start=1&end=2&step=1")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\""), bad.body());
    }
  }
}
