package dev.promkit.server.scrape;

import dev.promkit.server.config.HttpClientConfig;
import dev.promkit.server.http.StatusText;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
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
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Fetches one scrape body over HTTP with Prometheus' headers, a deadline and a size limit.
 * HTTP/1.1 (every {@code http} target, and {@code https} ones with {@code enable_http2: false})
 * goes through {@link HttpURLConnection}, which reads the body straight from the socket into the
 * loop's buffer: for a 7.7 MB body ~13 ms where the JDK {@link HttpClient} takes ~40 ms (its
 * selector thread hands the body over in small buffers through a queue). HTTP/2 over TLS, which
 * only the latter speaks, uses the {@link HttpClient} (created on first use). Go's client, as
 * Prometheus uses it, does not speak HTTP/2 over plain {@code http} either.
 */
final class HttpFetcher {
  /** The Accept header Prometheus 2.x/3.x sends by default. */
  static final String ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
      + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  static final String USER_AGENT = "Prometheus/promkit-0.1.0";

  /** A fetched body. */
  record Body(byte[] bytes, int length, String contentType) {}

  /**
   * Takes a body while it arrives, in runs of whole lines, instead of as one array (see
   * {@link #fetch(String, long, long, byte[], int, BodySink)}).
   */
  interface BodySink {
    /** Whether to stream a body of this content type; if not, it is read whole as without a sink. */
    boolean stream(String contentType);

    /**
     * {@code b[off, off+len)}: the next whole lines ({@code last}: the body's end, which may lack
     * its newline). Returns false to have the rest of the body read and dropped: the fetch still
     * fails on the size limit, the deadline or a broken connection, as it would without a sink.
     */
    boolean lines(byte[] b, int off, int len, boolean last);
  }

  /** A failed fetch; the message is what the targets API shows. */
  static final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    FetchException(String message) {
      super(message);
    }
  }

  /** Smallest window a streamed body is read through. */
  static final int STREAM_WINDOW = 1 << 16;
  /** Go's http.Client gives up after this many redirects. */
  private static final int MAX_REDIRECTS = 10;
  private static final HostnameVerifier ANY_HOST = (host, session) -> true;

  private final HttpClientConfig config;
  private final boolean gzip;
  private final ScheduledExecutorService timer;
  private final SSLContext ssl;
  private HttpClient client; // for HTTP/2 over TLS only, created on first use

  HttpFetcher(HttpClientConfig config, boolean gzip, ScheduledExecutorService timer) {
    this.config = config;
    this.gzip = gzip;
    this.timer = timer;
    this.ssl = HttpClients.sslContext(config.tls());
  }

  private synchronized HttpClient client() {
    if (client == null) {
      HttpClient.Builder b = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(30))
          .followRedirects(config.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_2);
      if (ssl != null) {
        b.sslContext(ssl);
      }
      client = b.build();
    }
    return client;
  }

  /**
   * Fetches into {@code buffer} (grown by doubling when too small, as a new array in the result);
   * a scrape loop passes its previous body's array back so that steady-state scrapes allocate no
   * body-sized arrays, as Prometheus pools its scrape buffers.
   */
  Body fetch(String url, long timeoutMillis, long bodyLimit, byte[] buffer)
      throws FetchException, InterruptedException {
    return fetch(url, timeoutMillis, bodyLimit, buffer, 0);
  }

  /**
   * As {@link #fetch(String, long, long, byte[])}, for a caller that does not keep big buffers
   * between scrapes: when {@code buffer} is smaller than {@code expected} (the previous body's
   * length) and the response does not declare its length (chunked or gzip), the body is read into
   * one array of {@code expected} plus a sixteenth, allocated once the response is there, instead
   * of doubling up from {@code buffer} (each doubling a body-sized garbage array).
   */
  Body fetch(String url, long timeoutMillis, long bodyLimit, byte[] buffer, int expected)
      throws FetchException, InterruptedException {
    return fetch(url, timeoutMillis, bodyLimit, buffer, expected, null);
  }

  /**
   * As {@link #fetch(String, long, long, byte[], int)}; with a {@code sink} that accepts the
   * content type, an HTTP/1.1 body goes to the sink as it arrives through {@code buffer} as a
   * window of whole lines (grown for a longer line), and the result's {@code bytes} is that window
   * with length 0. Time spent in the sink does not count against the deadline, which, as in
   * Prometheus, bounds the fetch only.
   */
  Body fetch(String url, long timeoutMillis, long bodyLimit, byte[] buffer, int expected, BodySink sink)
      throws FetchException, InterruptedException {
    if (config.enableHttp2() && url.regionMatches(true, 0, "https:", 0, 6)) {
      return fetchHttp2(url, timeoutMillis, bodyLimit, buffer, expected);
    }
    return fetchHttp1(url, timeoutMillis, bodyLimit, buffer, expected, sink);
  }

  /** {@code buffer}, or a new array of {@code expected} plus a sixteenth when that is larger. */
  private static byte[] presized(byte[] buffer, long expected) {
    if (expected <= buffer.length || expected >= Integer.MAX_VALUE / 2) {
      return buffer;
    }
    // A sixteenth more than asked: a body that grows by a few bytes next time (counters gaining
    // a digit) still fits, instead of costing a new body-sized array per scrape.
    return new byte[(int) (expected + expected / 16 + 1)];
  }

  /** Through HttpURLConnection: redirects followed here (as Go: up to 10, across schemes too). */
  private Body fetchHttp1(String url, long timeoutMillis, long bodyLimit, byte[] buffer, int expected,
      BodySink sink) throws FetchException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    String auth = authorization();
    URL u;
    try {
      u = URI.create(url).toURL();
    } catch (IllegalArgumentException | MalformedURLException e) {
      throw new FetchException("Get \"" + url + "\": " + e.getMessage());
    }
    for (int redirects = 0; ; redirects++) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new FetchException("Get \"" + url + "\": context deadline exceeded");
      }
      HttpURLConnection c;
      try {
        c = (HttpURLConnection) u.openConnection(Proxy.NO_PROXY); // as the HttpClient: no proxy
      } catch (IOException e) {
        throw new FetchException(describe(url, e));
      }
      if (c instanceof HttpsURLConnection) {
        HttpsURLConnection https = (HttpsURLConnection) c;
        if (ssl != null) {
          https.setSSLSocketFactory(ssl.getSocketFactory());
        }
        if (config.tls().insecureSkipVerify()) {
          https.setHostnameVerifier(ANY_HOST);
        }
      }
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      int ms = (int) Math.min(Integer.MAX_VALUE, left);
      c.setConnectTimeout(Math.min(ms, 30_000));
      c.setReadTimeout(ms);
      c.setRequestProperty("Accept", ACCEPT);
      c.setRequestProperty("Accept-Encoding", gzip ? "gzip" : "identity");
      c.setRequestProperty("User-Agent", USER_AGENT);
      c.setRequestProperty("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeoutMillis));
      if (auth != null) {
        c.setRequestProperty("Authorization", auth);
      }
      AtomicBoolean timedOut = new AtomicBoolean();
      // Closing the connection at the deadline unblocks a read stuck on a slow body.
      Closer closer = new Closer(timer, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms), () -> {
        timedOut.set(true);
        c.disconnect();
      });
      boolean ok = false;
      try {
        int code = c.getResponseCode();
        String location = c.getHeaderField("Location");
        if (config.followRedirects() && location != null
            && (code == 301 || code == 302 || code == 303 || code == 307 || code == 308)) {
          if (redirects + 1 >= MAX_REDIRECTS) {
            throw new FetchException("Get \"" + url + "\": stopped after " + MAX_REDIRECTS + " redirects");
          }
          u = new URL(u, location);
          continue; // the connection is dropped in finally
        }
        if (code != 200) {
          throw new FetchException("server returned HTTP status " + code + " " + StatusText.of(code));
        }
        String ct = c.getContentType();
        boolean gz = "gzip".equalsIgnoreCase(c.getContentEncoding());
        long declared = c.getContentLengthLong();
        if (!gz && bodyLimit > 0 && declared > bodyLimit) {
          throw new FetchException("body size limit exceeded");
        }
        String type = ct == null ? "" : ct;
        boolean streaming = sink != null && sink.stream(type);
        // The declared length when there is one (+1: reading to the end needs one spare byte).
        byte[] buf = streaming ? buffer : presized(buffer, !gz && declared >= 0 ? declared + 1 : expected);
        try (InputStream raw = c.getInputStream();
            InputStream in = gz ? new GZIPInputStream(raw, 65536) : raw) {
          Body b = streaming ? streamBody(in, buf, bodyLimit, type, sink, closer) : readBody(in, buf, bodyLimit, type);
          ok = true;
          return b;
        }
      } catch (IOException e) {
        if (timedOut.get() || e instanceof SocketTimeoutException) {
          throw new FetchException("Get \"" + url + "\": context deadline exceeded");
        }
        throw new FetchException(describe(url, e));
      } finally {
        closer.cancel(false);
        if (!ok) {
          c.disconnect(); // unread data: the connection cannot be reused
        }
      }
    }
  }

  /**
   * Reads the stream through {@code window}, handing each run of whole lines to the sink (the time
   * it takes moves the deadline); a line longer than the window doubles it. Fails beyond the body
   * size limit as {@link #readBody} does.
   */
  private static Body streamBody(InputStream in, byte[] window, long bodyLimit, String contentType, BodySink sink,
      Closer closer) throws IOException, FetchException {
    byte[] buf = window.length >= STREAM_WINDOW ? window : new byte[STREAM_WINDOW];
    long total = 0;
    int filled = 0; // bytes in buf; [0, filled) holds no newline after what the sink already took
    boolean wanted = true;
    while (true) {
      if (filled == buf.length) {
        if (buf.length > Integer.MAX_VALUE / 2) {
          throw new FetchException("body size limit exceeded");
        }
        buf = java.util.Arrays.copyOf(buf, buf.length * 2); // one line longer than the window
      }
      int n = in.read(buf, filled, buf.length - filled);
      if (n < 0) {
        break;
      }
      total += n;
      if (bodyLimit > 0 && total > bodyLimit) {
        throw new FetchException("body size limit exceeded");
      }
      if (!wanted) {
        continue; // drained: filled stays 0
      }
      int from = filled;
      filled += n;
      int nl = filled - 1;
      while (nl >= from && buf[nl] != '\n') {
        nl--;
      }
      if (nl >= from) {
        long t0 = System.nanoTime();
        wanted = sink.lines(buf, 0, nl + 1, false);
        closer.extend(System.nanoTime() - t0);
        System.arraycopy(buf, nl + 1, buf, 0, filled - nl - 1); // the partial last line to the front
        filled = wanted ? filled - nl - 1 : 0;
      }
    }
    if (wanted) {
      long t0 = System.nanoTime();
      sink.lines(buf, 0, filled, true);
      closer.extend(System.nanoTime() - t0);
    }
    return new Body(buf, 0, contentType);
  }

  /**
   * Runs an action at a deadline that can be moved later (by time spent outside the fetch), on the
   * scrape timer; {@link #cancel} before the deadline stops it.
   */
  static final class Closer {
    private final ScheduledExecutorService timer;
    private final Runnable action;
    private final java.util.concurrent.atomic.AtomicLong deadline;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> future;

    Closer(ScheduledExecutorService timer, long deadlineNanos, Runnable action) {
      this.timer = timer;
      this.action = action;
      this.deadline = new java.util.concurrent.atomic.AtomicLong(deadlineNanos);
      schedule();
    }

    private void schedule() {
      long wait = Math.max(1, deadline.get() - System.nanoTime());
      future = timer.schedule(this::fire, wait, TimeUnit.NANOSECONDS);
    }

    private void fire() {
      if (cancelled) {
        return;
      }
      if (deadline.get() - System.nanoTime() > 0) {
        schedule(); // moved meanwhile
        return;
      }
      action.run();
    }

    void extend(long nanos) {
      deadline.addAndGet(nanos);
    }

    void cancel(boolean interrupt) {
      cancelled = true;
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(interrupt);
      }
    }
  }

  /** Reads the whole stream into buf (grown by doubling), failing beyond the body size limit. */
  private static Body readBody(InputStream in, byte[] buffer, long bodyLimit, String contentType)
      throws IOException, FetchException {
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
    return new Body(buf, total, contentType);
  }

  /** Through the JDK HttpClient, which negotiates HTTP/2 by ALPN. */
  private Body fetchHttp2(String url, long timeoutMillis, long bodyLimit, byte[] buffer, int expected)
      throws FetchException, InterruptedException {
    HttpClient client = client();
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
        throw new FetchException(
            "server returned HTTP status " + resp.statusCode() + " " + StatusText.of(resp.statusCode()));
      }
      String ct = resp.headers().firstValue("Content-Type").orElse("");
      boolean gz = resp.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
      InputStream in = gz ? new GZIPInputStream(raw, 65536) : raw;
      long declared = gz ? -1 : resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      return readBody(in, presized(buffer, declared >= 0 && (bodyLimit <= 0 || declared <= bodyLimit)
          ? declared + 1 : expected), bodyLimit, ct);
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
    if (t instanceof UnknownHostException) {
      return "Get \"" + url + "\": dial tcp: lookup " + URI.create(url).getHost() + ": no such host"; // Go's wording
    }
    if (t instanceof java.net.http.HttpTimeoutException || t instanceof SocketTimeoutException) {
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

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing after a failure or at the deadline; nothing to report
    }
  }
}
