package dev.promkit.client.http;

/**
 * Settings for the JDK's built-in HTTP server ({@code com.sun.net.httpserver}) that every promkit
 * server applies before it creates its first server.
 */
public final class JdkHttpTuning {
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private JdkHttpTuning() {}

  /**
   * Turns Nagle's algorithm off for the JDK server's connections, unless the application has set
   * {@code sun.net.httpserver.nodelay} itself. With it on, the last small write of a keep-alive
   * response waits for the client's delayed ACK: about 40 ms on every scrape or API call. The JDK reads
   * the property once, when its first server is created, so call this before that.
   */
  public static void tcpNoDelay() {
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }
}
