package dev.promkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The keep-alive timing check shared by the modules that serve {@code /metrics} on the JDK's
 * {@code HttpServer}: with Nagle's algorithm on, a response's second write (the body, or the last
 * chunk) waits for the client's delayed ACK of the first, at least 40 ms on Linux every time. So
 * the fastest of a run of scrapes over one connection must stay well below that.
 */
public final class KeepAliveTiming {
  /** Scrapes per check: the fastest one is judged, so a busy machine's outliers do not count. */
  public static final int SCRAPES = 15;
  /** Bound on the fastest scrape, below the 40 ms delayed-ACK stall. */
  public static final long BOUND_NANOS = 30_000_000L;

  private KeepAliveTiming() {}

  /**
   * The fastest of {@code n} GETs of {@code uri} over one HTTP/1.1 keep-alive connection, in
   * nanoseconds; every answer must be 200.
   */
  public static long fastestKeepAliveGetNanos(URI uri, int n) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest req = HttpRequest.newBuilder(uri).build();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      assertEquals(200, client.send(req, HttpResponse.BodyHandlers.ofString()).statusCode(), uri.toString());
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best;
  }

  /**
   * Asserts that the JDK server runs with TCP_NODELAY ({@code sun.net.httpserver.nodelay}) and that
   * the fastest of {@link #SCRAPES} keep-alive scrapes of {@code uri} beats {@link #BOUND_NANOS}.
   */
  public static void assertScrapesDoNotWaitForDelayedAcks(URI uri) throws IOException, InterruptedException {
    assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"), "sun.net.httpserver.nodelay");
    long best = fastestKeepAliveGetNanos(uri, SCRAPES);
    assertTrue(best < BOUND_NANOS, "fastest keep-alive scrape of " + uri + " took " + best / 1_000_000 + " ms");
  }
}
