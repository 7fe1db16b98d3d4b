package dev.promkit.client.http;

import dev.promkit.client.exposition.ContentNegotiation;
import dev.promkit.client.exposition.ExpositionWriter;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/**
 * Answers a scrape: negotiates the format from {@code Accept} (see {@link ContentNegotiation}),
 * gzips when {@code Accept-Encoding} allows it, and keeps only the families named by repeated
 * {@code name[]} query parameters (a family matches by its name or by any sample name it exposes,
 * e.g. {@code requests_total} for the counter {@code requests}). A collector that throws gives a
 * 500 with the reason, before any byte of the body is sent. Thread-safe.
 */
public final class ScrapeHandler {
  private static final System.Logger LOG = System.getLogger(ScrapeHandler.class.getName());
  private static final String[] SUFFIXES = {"_total", "_created", "_bucket", "_count", "_sum", "_info"};

  private final Registry registry;

  /** A handler that scrapes this registry. */
  public ScrapeHandler(Registry registry) {
    this.registry = registry;
  }

  /** Handles one request; closes the response body. */
  public void handle(ScrapeExchange exchange) throws IOException {
    ExpositionWriter writer = ContentNegotiation.negotiate(exchange.requestHeader("Accept"));
    Predicate<String> filter = nameFilter(exchange.rawQuery());
    MetricSnapshots snapshots;
    try {
      snapshots = registry.scrape(filter);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "scrape failed", e);
      byte[] msg = ("An error occurred while collecting metrics: " + e + "\n").getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = exchange.respond(500, Map.of("Content-Type", "text/plain; charset=utf-8"))) {
        out.write(msg);
      }
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", writer.contentType());
    boolean gzip = acceptsGzip(exchange.requestHeader("Accept-Encoding"));
    if (gzip) {
      headers.put("Content-Encoding", "gzip");
    }
    headers.put("Vary", "Accept, Accept-Encoding");
    try (OutputStream body = exchange.respond(200, headers);
        OutputStream out = gzip ? new GZIPOutputStream(body, 8192) : body) {
      writer.write(out, snapshots);
    }
  }

  /** True when the header lists gzip (or *) with a non-zero q-value. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.split(";");
      String name = parts[0].trim().toLowerCase(Locale.ROOT);
      if (!name.equals("gzip") && !name.equals("*")) {
        continue;
      }
      boolean zeroQ = false;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.startsWith("q=")) {
          try {
            zeroQ = Double.parseDouble(p.substring(2)) <= 0;
          } catch (NumberFormatException e) {
            zeroQ = true;
          }
        }
      }
      if (!zeroQ) {
        return true;
      }
    }
    return false;
  }

  /** The {@code name[]} filter of a query, or null when the query names none. */
  static Predicate<String> nameFilter(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    Set<String> names = new HashSet<>();
    for (String param : rawQuery.split("&")) {
      int eq = param.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = URLDecoder.decode(param.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals("name[]")) {
        names.add(URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (names.isEmpty()) {
      return null;
    }
    return family -> {
      if (names.contains(family)) {
        return true;
      }
      for (String suffix : SUFFIXES) {
        if (names.contains(family + suffix)) {
          return true;
        }
      }
      return false;
    };
  }
}
