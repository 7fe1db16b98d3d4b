package dev.promkit.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with the caller's SSLContext, and the read timeout. */
class PushGatewayTlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  // A self-signed certificate for 127.0.0.1, made with the JDK's keytool.
  private static KeyStore selfSigned(Path dir) throws Exception {
    Path ks = dir.resolve("server.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  @Test
  void pushesOverTlsWithTheCallersContextAndRefusesUntrustedServer(@TempDir Path dir) throws Exception {
    KeyStore store = selfSigned(dir);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD);
    SSLContext serverCtx = SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
    AtomicReference<String> seen = new AtomicReference<>();
    server.createContext("/", ex -> {
      seen.set(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext clientCtx = SSLContext.getInstance("TLS");
      clientCtx.init(null, tmf.getTrustManagers(), null);
      String address = "127.0.0.1:" + server.getAddress().getPort();
      PushGateway pg = PushGateway.builder().address(address).sslContext(clientCtx).job("tls").build();
      assertTrue(pg.groupUri().toString().startsWith("https://"));
      pg.push(MetricSnapshots.of(Snapshots.gauge("g", 1)));
      assertEquals("PUT /metrics/job/tls", seen.get());
      // The JVM's default trust store does not know the self-signed certificate.
      PushGateway untrusted = PushGateway.builder().address(address).sslContext(SSLContext.getDefault())
          .job("tls").build();
      assertThrows(SSLHandshakeException.class, untrusted::delete);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void readTimeoutBoundsTheWaitForAnAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try {
      PushGateway pg = PushGateway.builder().address("127.0.0.1:" + server.getAddress().getPort()).job("slow")
          .readTimeout(Duration.ofMillis(300)).build();
      long t0 = System.nanoTime();
      assertThrows(HttpTimeoutException.class, pg::delete);
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
    } finally {
      release.countDown();
      server.stop(0);
    }
  }
}
