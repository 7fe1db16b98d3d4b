package dev.promkit.client.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.promkit.client.registry.Registry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Serves a registry over HTTP with the JDK's built-in server: the metrics at {@code /metrics}
 * (configurable) and {@code /}, a health check at {@code /-/healthy}. The counterpart of Python's
 * {@code start_http_server(8000)}:
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.builder().port(8000).registry(registry).start()) {
 *   ...
 * }
 * }</pre>
 *
 * Requests run on a fixed pool with a bounded queue; when both are full the accepting thread
 * serves the request itself, which stops it accepting more connections (back-pressure instead of
 * unbounded memory). Optional HTTP basic auth (health checks stay open) and TLS.
 */
public final class MetricsServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MetricsServer.class.getName());

  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private MetricsServer(HttpServer server, ThreadPoolExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /** A builder with defaults: all interfaces, port 9400, path /metrics, 4 threads, queue 64. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port bound (useful after {@code port(0)}). */
  public int getPort() {
    return server.getAddress().getPort();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting, closes connections and stops the threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Configures and starts a {@link MetricsServer}. */
  public static final class Builder {
    private InetAddress bindAddress;
    private int port = 9400;
    private Registry registry;
    private String metricsPath = "/metrics";
    private int threads = 4;
    private int queueCapacity = 64;
    private String user;
    private String password;
    private SSLContext sslContext;

    private Builder() {}

    /** Port to listen on; 0 picks a free one (see {@link MetricsServer#getPort()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Address to bind (default: all interfaces). */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = address;
      return this;
    }

    /** Host name or IP literal to bind. */
    public Builder hostname(String host) throws IOException {
      return bindAddress(InetAddress.getByName(host));
    }

    /** The registry to serve (default: {@link Registry#defaultRegistry()}). */
    public Builder registry(Registry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Path of the metrics endpoint (default {@code /metrics}); {@code /} always serves them too. */
    public Builder metricsPath(String path) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("metrics path must start with '/': " + path);
      }
      this.metricsPath = path;
      return this;
    }

    /** Number of request threads (default 4). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Requests that may wait for a thread (default 64). */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queue capacity must be >= 1: " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** Requires HTTP basic auth with these credentials on the metrics endpoint. */
    public Builder basicAuth(String user, String password) {
      if (user == null || user.indexOf(':') >= 0 || password == null) {
        throw new IllegalArgumentException("basic auth needs a user without ':' and a password");
      }
      this.user = user;
      this.password = password;
      return this;
    }

    /** Serves HTTPS with the caller's TLS context. */
    public Builder tls(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Binds and starts serving. */
    public MetricsServer start() throws IOException {
      InetSocketAddress address = bindAddress == null ? new InetSocketAddress(port)
          : new InetSocketAddress(bindAddress, port);
      JdkHttpTuning.tcpNoDelay();
      HttpServer server;
      if (sslContext != null) {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
        server = https;
      } else {
        server = HttpServer.create(address, 0);
      }
      ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(queueCapacity), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
      Registry r = registry == null ? Registry.defaultRegistry() : registry;
      ScrapeHandler scrape = new ScrapeHandler(r);
      byte[] expectedAuth = user == null ? null : sha256("Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
      String path = metricsPath;
      server.createContext("/", exchange -> {
        try {
          String p = exchange.getRequestURI().getPath();
          if (p.equals("/-/healthy")) {
            text(exchange, 200, "Exporter is healthy.\n");
          } else if (!p.equals(path) && !p.equals("/")) {
            text(exchange, 404, "Not found: " + p + "\n");
          } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            text(exchange, 405, "Method not allowed\n");
          } else if (expectedAuth != null && !authorized(exchange, expectedAuth)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"metrics\"");
            text(exchange, 401, "Unauthorized\n");
          } else {
            scrape.handle(new JdkExchange(exchange));
          }
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.DEBUG, "metrics request failed", e);
        } finally {
          exchange.close();
        }
      });
      server.setExecutor(executor);
      server.start();
      return new MetricsServer(server, executor);
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "promkit-metrics-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  // Compare digests, not the headers: MessageDigest.isEqual is constant-time for equal lengths,
  // and hashing first makes the lengths equal, so timing reveals nothing about the credentials.
  private static boolean authorized(HttpExchange exchange, byte[] expectedDigest) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && MessageDigest.isEqual(expectedDigest, sha256(header));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static void text(HttpExchange exchange, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : b.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(b);
      }
    }
  }

}
