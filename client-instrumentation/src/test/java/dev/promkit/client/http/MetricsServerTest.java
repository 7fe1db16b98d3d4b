package dev.promkit.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.testing.KeepAliveTiming;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsServerTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Registry registry() {
    Registry r = new Registry();
    r.register(() -> MetricSnapshots.of(new GaugeSnapshot(MetricMetadata.of("answer"),
        List.of(new GaugeDataPoint(Labels.EMPTY, 42)))));
    return r;
  }

  private static MetricsServer.Builder local() throws IOException {
    return MetricsServer.builder().hostname("127.0.0.1").port(0).registry(registry());
  }

  private static HttpResponse<String> get(HttpClient client, String url, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void keepAliveScrapesDoNotWaitForTheClientsDelayedAck() throws Exception {
    try (MetricsServer server = local().start()) {
      KeepAliveTiming.assertScrapesDoNotWaitForDelayedAcks(
          URI.create("http://127.0.0.1:" + server.getPort() + "/metrics"));
    }
  }

  @Test
  void servesMetricsOnConfiguredPathAndRootAndHealthOnAFreePort() throws Exception {
    try (MetricsServer server = local().metricsPath("/custom").start()) {
      String base = "http://127.0.0.1:" + server.getPort();
      assertTrue(server.getPort() > 0);
      HttpResponse<String> metrics = get(CLIENT, base + "/custom");
      assertEquals(200, metrics.statusCode());
      assertEquals("# TYPE answer gauge\nanswer 42\n", metrics.body());
      assertEquals("# TYPE answer gauge\nanswer 42\n", get(CLIENT, base + "/").body());
      assertEquals(200, get(CLIENT, base + "/-/healthy").statusCode());
      assertEquals(404, get(CLIENT, base + "/metrics").statusCode());
    }
  }

  @Test
  void answersHeadWithHeadersOnlyAndRejectsPost() throws Exception {
    try (MetricsServer server = local().start()) {
      URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
      HttpResponse<String> head = CLIENT.send(HttpRequest.newBuilder(uri).method("HEAD",
          HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode());
      assertEquals("", head.body());
      assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(uri).POST(
          HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
    }
  }

  @Test
  void servesEveryConcurrentRequestWhenPoolAndQueueAreFull() throws Exception {
    try (MetricsServer server = local().threads(1).queueCapacity(1).start()) {
      URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(CLIENT.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (var f : futures) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("# TYPE answer gauge\nanswer 42\n", r.body());
      }
    }
  }

  @Test
  void stopsListeningOnClose() throws Exception {
    MetricsServer server = local().start();
    int port = server.getPort();
    server.close();
    assertThrows(ConnectException.class, () -> get(CLIENT, "http://127.0.0.1:" + port + "/metrics"));
  }

  @Test
  void requiresBasicAuthWhenConfigured() throws Exception {
    try (MetricsServer server = local().basicAuth("prom", "s3cret").start()) {
      String url = "http://127.0.0.1:" + server.getPort() + "/metrics";
      HttpResponse<String> anonymous = get(CLIENT, url);
      assertEquals(401, anonymous.statusCode());
      assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
      assertEquals(401, get(CLIENT, url, "Authorization", basic("prom", "wrong")).statusCode());
      HttpResponse<String> ok = get(CLIENT, url, "Authorization", basic("prom", "s3cret"));
      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("answer 42"));
      assertEquals(200, get(CLIENT, "http://127.0.0.1:" + server.getPort() + "/-/healthy").statusCode());
    }
  }

  @Test
  void servesHttpsWithTheCallersSslContext(@TempDir Path dir) throws Exception {
    SSLContext serverContext = selfSignedServerContext(dir);
    try (MetricsServer server = local().tls(serverContext).start()) {
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(null, new TrustManager[] {new TrustAll()}, null);
      HttpClient client = HttpClient.newBuilder().sslContext(trustAll).build();
      HttpResponse<String> r = get(client, "https://127.0.0.1:" + server.getPort() + "/metrics");
      assertEquals(200, r.statusCode());
      assertEquals("# TYPE answer gauge\nanswer 42\n", r.body());
    }
  }

  @Test
  void rejectsInvalidConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> MetricsServer.builder().port(70000));
    assertThrows(IllegalArgumentException.class, () -> MetricsServer.builder().metricsPath("metrics"));
    assertThrows(IllegalArgumentException.class, () -> MetricsServer.builder().threads(0));
    assertThrows(IllegalArgumentException.class, () -> MetricsServer.builder().basicAuth("a:b", "c"));
  }

  @Test
  void bindsTheGivenAddress() throws Exception {
    try (MetricsServer server = MetricsServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
        .registry(registry()).start()) {
      assertTrue(server.address().getAddress().isLoopbackAddress());
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Makes a throw-away key pair with the JDK's keytool. */
  private static SSLContext selfSignedServerContext(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keystore", store.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "server", "-keyalg", "EC",
        "-dname", "CN=localhost", "-validity", "2", "-ext", "SAN=ip:127.0.0.1")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool timed out");
    assertEquals(0, p.exitValue(), out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** Test-only trust manager for the self-signed certificate. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
