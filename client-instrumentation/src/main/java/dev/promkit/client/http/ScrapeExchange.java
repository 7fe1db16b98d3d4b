package dev.promkit.client.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The three things {@link ScrapeHandler} needs from an HTTP server, so that it runs behind the
 * JDK's {@code com.sun.net.httpserver}, a servlet container or a test double alike.
 */
public interface ScrapeExchange {
  /** The first value of a request header (case-insensitive name), or null. */
  String requestHeader(String name);

  /** The raw (still URL-encoded) query string, or null when there is none. */
  String rawQuery();

  /**
   * Sends status and headers and returns the stream for the body; the handler closes it.
   *
   * @param status HTTP status code
   * @param headers response headers (one value each)
   */
  OutputStream respond(int status, Map<String, String> headers) throws IOException;
}
