package dev.promkit.server.scrape;

import dev.promkit.server.config.HttpClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/** Fetches one scrape body over HTTP with Prometheus' headers, a deadline and a size limit. */
final class HttpFetcher {
  /** The Accept header Prometheus 2.x/3.x sends by default. */
  static final String ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
      + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  static final String USER_AGENT = "Prometheus/promkit-0.1.0";

  /** A fetched body. */
  record Body(byte[] bytes, int length, String contentType) {}

  /** A failed fetch; the message is what the targets API shows. */
  static final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    FetchException(String message) {
      super(message);
    }
  }

  private final HttpClient client;
  private final HttpClientConfig config;
  private final boolean gzip;
  private final ScheduledExecutorService timer;

  HttpFetcher(HttpClientConfig config, boolean gzip, ScheduledExecutorService timer) {
    this.config = config;
    this.gzip = gzip;
    this.timer = timer;
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .followRedirects(config.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
        .version(config.enableHttp2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
    SSLContext ssl = HttpClients.sslContext(config.tls());
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.client = b.build();
  }

  /**
   * Fetches into {@code buffer} (grown by doubling when too small, as a new array in the result);
   * a scrape loop passes its previous body's array back so that steady-state scrapes allocate no
   * body-sized arrays, as Prometheus pools its scrape buffers.
   */
  Body fetch(String url, long timeoutMillis, long bodyLimit, byte[] buffer)
      throws FetchException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    java.net.http.HttpRequest.Builder rb = java.net.http.HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMillis(timeoutMillis))
        .header("Accept", ACCEPT)
        .header("Accept-Encoding", gzip ? "gzip" : "identity")
        .header("User-Agent", USER_AGENT)
        .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeoutMillis))
        .GET();
    String auth = authorization();
    if (auth != null) {
      rb.header("Authorization", auth);
    }
    CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> resp;
    try {
      resp = f.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new FetchException("Get \"" + url + "\": context deadline exceeded");
    } catch (ExecutionException e) {
      throw new FetchException(describe(url, e.getCause()));
    }
    InputStream raw = resp.body();
    AtomicBoolean timedOut = new AtomicBoolean();
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    // Closing the stream at the deadline unblocks a read stuck on a slow body.
    ScheduledFuture<?> closer = timer.schedule(() -> {
      timedOut.set(true);
      closeQuietly(raw);
    }, Math.max(1, left), TimeUnit.MILLISECONDS);
    try {
      if (resp.statusCode() != 200) {
        throw new FetchException("server returned HTTP status " + resp.statusCode() + " " + reason(resp.statusCode()));
      }
      String ct = resp.headers().firstValue("Content-Type").orElse("");
      boolean gz = resp.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
      InputStream in = gz ? new GZIPInputStream(raw, 65536) : raw;
      byte[] buf = buffer.length > 0 ? buffer : new byte[16384];
      int total = 0;
      while (true) {
        if (total == buf.length) {
          if (buf.length > Integer.MAX_VALUE / 2) {
            throw new FetchException("body size limit exceeded");
          }
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, total, buf.length - total);
        if (n < 0) {
          break;
        }
        total += n;
        if (bodyLimit > 0 && total > bodyLimit) {
          throw new FetchException("body size limit exceeded");
        }
      }
      return new Body(buf, total, ct);
    } catch (IOException e) {
      if (timedOut.get()) {
        throw new FetchException("Get \"" + url + "\": context deadline exceeded");
      }
      throw new FetchException(describe(url, e));
    } finally {
      closer.cancel(false);
      closeQuietly(raw);
    }
  }

  private String authorization() throws FetchException {
    if (config.basicAuth() != null) {
      HttpClientConfig.BasicAuth b = config.basicAuth();
      String pw = b.password() != null ? b.password() : b.passwordFile() != null ? readSecret(b.passwordFile()) : "";
      return "Basic " + Base64.getEncoder().encodeToString((b.username() + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }
    if (config.authorization() != null) {
      HttpClientConfig.Authorization a = config.authorization();
      String cred = a.credentials() != null ? a.credentials()
          : a.credentialsFile() != null ? readSecret(a.credentialsFile()) : "";
      return a.type() + " " + cred;
    }
    return null;
  }

  private static String readSecret(String file) throws FetchException {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new FetchException("unable to read secret file " + file + ": " + e.getMessage());
    }
  }

  static String describe(String url, Throwable t) {
    if (t instanceof ConnectException) {
      URI u = URI.create(url);
      String hostPort = u.getHost() + ":" + (u.getPort() < 0 ? ("https".equals(u.getScheme()) ? 443 : 80) : u.getPort());
      return "Get \"" + url + "\": dial tcp " + hostPort + ": connect: connection refused";
    }
    if (t instanceof java.net.http.HttpTimeoutException) {
      return "Get \"" + url + "\": context deadline exceeded";
    }
    String m = t.getMessage();
    if (t instanceof javax.net.ssl.SSLHandshakeException && m != null && m.contains("PKIX path building failed")) {
      return "Get \"" + url + "\": x509: certificate signed by unknown authority"; // Go's wording
    }
    return "Get \"" + url + "\": " + (m == null ? t.getClass().getSimpleName() : m);
  }

  static String seconds(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros()
        .toPlainString();
  }

  private static String reason(int code) {
    switch (code) {
      case 301: return "Moved Permanently";
      case 302: return "Found";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 406: return "Not Acceptable";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 504: return "Gateway Timeout";
      default: return "";
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing after a failure or at the deadline; nothing to report
    }
  }
}
