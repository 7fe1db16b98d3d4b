package dev.promkit.server.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Date header's value (RFC 9110 IMF-fixdate), formatted once per second. */
final class HttpDate {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private record Cached(long second, String text) {}

  private static volatile Cached cached = new Cached(Long.MIN_VALUE, "");

  private HttpDate() {}

  static String now() {
    long s = System.currentTimeMillis() / 1000;
    Cached c = cached;
    if (c.second != s) {
      c = new Cached(s, FORMAT.format(Instant.ofEpochSecond(s)));
      cached = c;
    }
    return c.text;
  }
}
