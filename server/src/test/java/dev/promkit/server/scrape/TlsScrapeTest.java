package dev.promkit.server.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.config.Config;
import dev.promkit.tsdb.Tsdb;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS targets (slow: keytool makes the certificate): the JVM's trust store, tls_config.ca_file and insecure_skip_verify. */
@org.junit.jupiter.api.Tag("slow")
class TlsScrapeTest {
  private static void keytool(Path dir, String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }

  @Test
  void scrapesHttpsWithCaFileOrInsecureSkipVerifyAndFailsOtherwise(@TempDir Path dir) throws Exception {
    // EC keys: keytool generates them much faster than RSA.
    keytool(dir, "-genkeypair", "-alias", "t", "-keyalg", "EC", "-keystore", "ks.p12", "-storetype", "PKCS12",
        "-storepass", "changeit", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2");
    keytool(dir, "-exportcert", "-rfc", "-alias", "t", "-keystore", "ks.p12", "-storepass", "changeit",
        "-file", "ca.pem");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("ks.p12"))) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    Registry reg = new Registry();
    Counter.builder().name("tls_total").help("T.").register(reg).inc();
    try (MetricsServer ms = MetricsServer.builder().registry(reg).port(0).bindAddress(InetAddress.getLoopbackAddress())
        .tls(ssl).start();
        Tsdb db = Tsdb.inMemory();
        ScrapeManager m = new ScrapeManager(db, Clock.systemUTC(), 2)) {
      String job = "scrape_configs:\n  - job_name: t\n    scheme: https\n    scrape_interval: 1h\n    scrape_timeout: 10s\n"
          + "    static_configs:\n      - targets: ['127.0.0.1:" + ms.getPort() + "']\n";
      m.apply(Config.parse(job));
      m.scrapeAllNow();
      assertEquals(Target.Health.DOWN, m.activeTargets().get(0).health(), "self-signed: not trusted by default");
      assertEquals("Get \"https://127.0.0.1:" + ms.getPort() + "/metrics\": x509: certificate signed by unknown authority",
          m.activeTargets().get(0).lastError());
      m.apply(Config.parse(job + "    tls_config: {ca_file: " + dir.resolve("ca.pem") + "}\n"));
      m.scrapeAllNow();
      assertEquals("", m.activeTargets().get(0).lastError());
      m.apply(Config.parse(job + "    tls_config: {insecure_skip_verify: true}\n"));
      m.scrapeAllNow();
      assertEquals("", m.activeTargets().get(0).lastError());
      // HTTP/1.1 over TLS goes through the other client: the same three outcomes
      String http1 = job + "    enable_http2: false\n";
      m.apply(Config.parse(http1));
      m.scrapeAllNow();
      assertEquals("Get \"https://127.0.0.1:" + ms.getPort() + "/metrics\": x509: certificate signed by unknown authority",
          m.activeTargets().get(0).lastError());
      m.apply(Config.parse(http1 + "    tls_config: {ca_file: " + dir.resolve("ca.pem") + "}\n"));
      m.scrapeAllNow();
      assertEquals("", m.activeTargets().get(0).lastError());
      m.apply(Config.parse(http1 + "    tls_config: {insecure_skip_verify: true}\n"));
      m.scrapeAllNow();
      assertEquals("", m.activeTargets().get(0).lastError());
    }
  }
}
