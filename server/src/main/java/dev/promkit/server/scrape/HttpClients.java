package dev.promkit.server.scrape;

import dev.promkit.server.config.HttpClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS set-up shared by the scraper and the Alertmanager notifier. */
public final class HttpClients {
  private HttpClients() {}

  /**
   * The SSL context a {@code tls_config} asks for: trusting everything, or the CA file's
   * certificates, or null for the JDK's default trust.
   *
   * @throws IllegalArgumentException naming tls_config when the CA file cannot be read
   */
  public static SSLContext sslContext(HttpClientConfig.TlsConfig tls) {
    try {
      if (tls.insecureSkipVerify()) {
        // An X509ExtendedTrustManager: the JDK wraps a plain X509TrustManager in one that still checks host names.
        TrustManager[] all = {new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        }};
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, all, new SecureRandom());
        return c;
      }
      if (tls.caFile() != null) {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(tls.caFile()))) {
          int i = 0;
          for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            ks.setCertificateEntry("ca" + i++, c);
          }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), new SecureRandom());
        return c;
      }
      return null;
    } catch (java.security.GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("tls_config: " + e.getMessage(), e);
    }
  }
}
