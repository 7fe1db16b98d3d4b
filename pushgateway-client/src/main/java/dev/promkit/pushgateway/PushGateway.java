package dev.promkit.pushgateway;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionWriter;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A client of the Prometheus Pushgateway: pushes one group of metrics, identified by a job and a
 * grouping key, for jobs too short-lived to be scraped.
 *
 * <pre>{@code
 * PushGateway pg = PushGateway.builder().address("localhost:9091").job("nightly_backup")
 *     .groupingKey("instance", "db-1").build();
 * pg.push(registry);   // PUT: the group now holds exactly these metrics
 * }</pre>
 *
 * <p>{@link #push} replaces the whole group (PUT), {@link #pushAdd} replaces only the metrics with
 * the same names (POST), {@link #delete} removes the group (DELETE). The body is Prometheus text
 * 0.0.4 without timestamps, as the Pushgateway requires. Thread-safe.
 */
public final class PushGateway {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final ExpositionWriter WRITER = ExpositionFormat.PROMETHEUS_TEXT.writer();

  private final HttpClient client;
  private final URI groupUri;
  private final String authorization;
  private final Duration readTimeout;

  private PushGateway(Builder b) {
    // HTTP/1.1: no h2c upgrade attempt on every plain-HTTP push (the Pushgateway ignores it anyway).
    HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER);
    if (b.sslContext != null) {
      hb.sslContext(b.sslContext);
    }
    this.client = hb.build();
    this.groupUri = b.groupUri();
    this.authorization = b.authorization;
    this.readTimeout = b.readTimeout;
  }

  /** A builder; {@link Builder#job} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The URL of this client's group, e.g. {@code http://localhost:9091/metrics/job/backup/instance/db-1}. */
  public URI groupUri() {
    return groupUri;
  }

  /** Replaces every metric of the group with the registry's current ones (HTTP PUT). */
  public void push(Registry registry) throws IOException {
    push(registry.scrape());
  }

  /** Replaces every metric of the group with these (HTTP PUT). */
  public void push(MetricSnapshots snapshots) throws IOException {
    send("PUT", body(snapshots));
  }

  /** Replaces the group's metrics that have the same names as the registry's (HTTP POST). */
  public void pushAdd(Registry registry) throws IOException {
    pushAdd(registry.scrape());
  }

  /** Replaces the group's metrics that have the same names as these (HTTP POST). */
  public void pushAdd(MetricSnapshots snapshots) throws IOException {
    send("POST", body(snapshots));
  }

  /** Deletes the whole group (HTTP DELETE). */
  public void delete() throws IOException {
    send("DELETE", null);
  }

  static byte[] body(MetricSnapshots snapshots) throws IOException {
    for (MetricSnapshot s : snapshots) {
      for (MetricSnapshot.DataPoint p : s.dataPoints()) {
        if (p.scrapeTimestampMillis() != 0) {
          throw new IllegalArgumentException("metric " + s.metadata().name() + p.labels()
              + " carries a timestamp; the Pushgateway rejects pushed samples with timestamps");
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    WRITER.write(out, snapshots);
    return out.toByteArray();
  }

  private void send(String method, byte[] body) throws IOException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(groupUri).timeout(readTimeout);
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    if (body == null) {
      rb.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      rb.header("Content-Type", WRITER.contentType());
      rb.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    HttpResponse<String> response;
    try {
      response = client.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(method + " " + groupUri + " interrupted", e);
    }
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      throw new PushGatewayException(method, groupUri, status, response.body());
    }
  }

  /** Settles the gateway address, the group and the transport. */
  public static final class Builder {
    private String scheme = "http";
    private String address = "localhost:9091";
    private String basePath = "";
    private String job;
    private final Map<String, String> groupingKey = new LinkedHashMap<>();
    private String authorization;
    private SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** Host and port, e.g. {@code pushgateway:9091} (default {@code localhost:9091}). */
    public Builder address(String hostAndPort) {
      if (hostAndPort.contains("/")) {
        throw new IllegalArgumentException("address must be host:port, use url() for a full URL: " + hostAndPort);
      }
      this.address = hostAndPort;
      return this;
    }

    /** The gateway's base URL, e.g. {@code https://pgw.example.com:9091/prefix} (path prefix optional). */
    public Builder url(URI url) {
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("pushgateway url must be http or https: " + url);
      }
      if (url.getRawAuthority() == null) {
        throw new IllegalArgumentException("pushgateway url has no host: " + url);
      }
      this.scheme = url.getScheme();
      this.address = url.getRawAuthority();
      String p = url.getRawPath() == null ? "" : url.getRawPath();
      this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
      return this;
    }

    /** The job name (required, non-empty). */
    public Builder job(String job) {
      Objects.requireNonNull(job, "job");
      if (job.isEmpty()) {
        throw new IllegalArgumentException("job must not be empty");
      }
      this.job = job;
      return this;
    }

    /** Adds one grouping key label (e.g. {@code instance}); the value may be anything, even empty. */
    public Builder groupingKey(String name, String value) {
      Objects.requireNonNull(value, "grouping key value of " + name);
      if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
        throw new IllegalArgumentException("invalid grouping key label name: " + name);
      }
      if (name.equals("job")) {
        throw new IllegalArgumentException("grouping key must not contain 'job': use job()");
      }
      groupingKey.put(name, value);
      return this;
    }

    /** Adds grouping key labels, in the map's iteration order. */
    public Builder groupingKey(Map<String, String> labels) {
      labels.forEach(this::groupingKey);
      return this;
    }

    /** HTTP basic authentication. */
    public Builder basicAuth(String user, String password) {
      String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      this.authorization = "Basic " + token;
      return this;
    }

    /** Bearer token authentication (replaces basic authentication if both are set). */
    public Builder bearerToken(String token) {
      this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
      return this;
    }

    /** TLS with the caller's context (trust store, client certificate); switches the scheme to https. */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "sslContext");
      this.scheme = "https";
      return this;
    }

    /** TCP connect timeout (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** How long to wait for the response once the request is sent (default 10 s). */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /** Builds the client. */
    public PushGateway build() {
      if (job == null) {
        throw new IllegalStateException("PushGateway: job is required");
      }
      return new PushGateway(this);
    }

    Map<String, String> groupingKey() {
      return Collections.unmodifiableMap(groupingKey);
    }

    private URI groupUri() {
      String s = scheme + "://" + address + basePath + GroupingKeyPath.of(job, groupingKey);
      try {
        return new URI(s);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("invalid pushgateway URL " + s + ": " + e.getMessage(), e);
      }
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
