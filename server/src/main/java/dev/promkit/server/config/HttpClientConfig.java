package dev.promkit.server.config;

/**
 * How to reach a target: authentication and TLS ({@code basic_auth}, {@code authorization} or the
 * older {@code bearer_token}/{@code bearer_token_file}, {@code tls_config}).
 *
 * @param basicAuth null when not configured
 * @param authorization null when not configured
 * @param tls TLS settings (never null)
 * @param followRedirects whether redirects are followed (true)
 * @param enableHttp2 whether HTTP/2 may be used (true)
 */
public record HttpClientConfig(BasicAuth basicAuth, Authorization authorization, TlsConfig tls,
    boolean followRedirects, boolean enableHttp2) {

  /** No authentication, default TLS. */
  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(null, null, new TlsConfig(null, null, null, null, false), true, true);

  /**
   * {@code basic_auth}.
   *
   * @param username user
   * @param password password, or null
   * @param passwordFile file holding the password, or null
   */
  public record BasicAuth(String username, String password, String passwordFile) {
    /** Hides the password, as Prometheus' {@code <secret>}. */
    @Override
    public String toString() {
      return "BasicAuth[username=" + username + ", password=<secret>]";
    }
  }

  /**
   * {@code authorization}.
   *
   * @param type the scheme (Bearer by default)
   * @param credentials the credentials, or null
   * @param credentialsFile file holding them, or null
   */
  public record Authorization(String type, String credentials, String credentialsFile) {
    /** Hides the credentials. */
    @Override
    public String toString() {
      return "Authorization[type=" + type + ", credentials=<secret>]";
    }
  }

  /**
   * {@code tls_config}.
   *
   * @param caFile CA certificates (PEM) to trust, or null for the JVM's
   * @param certFile client certificate (PEM), or null
   * @param keyFile client key (PEM), or null
   * @param serverName expected server name, or null
   * @param insecureSkipVerify accept any server certificate
   */
  public record TlsConfig(String caFile, String certFile, String keyFile, String serverName,
      boolean insecureSkipVerify) {}
}
