package dev.promkit.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One running real program (Prometheus, Pushgateway, node_exporter, Alertmanager) on a free
 * 127.0.0.1 port with its own temp dir, started when {@link #start} returns (its readiness URL
 * answered 200) and stopped by its process handle in {@link #close()}, which also deletes the
 * temp dir. Use in try-with-resources or an {@code @AfterAll}.
 *
 * <pre>{@code
 * try (Peer prom = Peer.prometheus(configYaml)) {
 *   HttpResponse<String> r = prom.get("/api/v1/query?query=up");
 * }
 * }</pre>
 */
public final class Peer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String binary;
  private final Process process;
  private final int port;
  private final Path dir;
  private final Path log;

  private Peer(String binary, Process process, int port, Path dir, Path log) {
    this.binary = binary;
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.log = log;
  }

  /**
   * Starts a binary (skipping or failing as {@link Peers#require} says when absent).
   *
   * @param binary program name, e.g. {@link Peers#PROMETHEUS}
   * @param args builds the arguments from the chosen port and the fresh temp dir
   * @param readinessPath path polled until it answers 200, e.g. {@code /-/ready}
   * @param timeout how long to wait for readiness
   */
  public static Peer start(String binary, ArgsFactory args, String readinessPath, Duration timeout)
      throws IOException, InterruptedException {
    Path exe = Peers.require(binary);
    Path dir = Files.createTempDirectory("promkit-peer-" + binary + "-");
    int port = Peers.freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(exe.toString());
    cmd.addAll(args.args(port, dir));
    Path log = dir.resolve("output.log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    Peer peer = new Peer(binary, p, port, dir, log);
    try {
      peer.awaitReady(readinessPath, timeout);
      return peer;
    } catch (InterruptedException | RuntimeException | Error e) {
      peer.close();
      throw e;
    }
  }

  /** How the arguments depend on the port and temp dir chosen for this run. */
  @FunctionalInterface
  public interface ArgsFactory {
    /** The command-line arguments (without the binary). */
    List<String> args(int port, Path dir) throws IOException;
  }

  /** Prometheus with this prometheus.yml (written to the temp dir), ready at {@code /-/ready}. */
  public static Peer prometheus(String configYaml, String... extraFlags) throws IOException, InterruptedException {
    return start(Peers.PROMETHEUS, (port, dir) -> {
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, configYaml);
      List<String> a = new ArrayList<>(List.of("--config.file=" + config,
          "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.enable-lifecycle", "--web.enable-admin-api"));
      a.addAll(List.of(extraFlags));
      return a;
    }, "/-/ready", Duration.ofSeconds(30));
  }

  /** A memory-only Pushgateway. */
  public static Peer pushgateway() throws IOException, InterruptedException {
    return start(Peers.PUSHGATEWAY, (port, dir) -> List.of("--web.listen-address=127.0.0.1:" + port,
        "--persistence.file="), "/-/ready", Duration.ofSeconds(30));
  }

  /** node_exporter (it has no /-/ready: /metrics is polled). */
  public static Peer nodeExporter(String... extraFlags) throws IOException, InterruptedException {
    return start(Peers.NODE_EXPORTER, (port, dir) -> {
      List<String> a = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:" + port));
      a.addAll(List.of(extraFlags));
      return a;
    }, "/metrics", Duration.ofSeconds(30));
  }

  /** Alertmanager with this config, without clustering. */
  public static Peer alertmanager(String configYaml) throws IOException, InterruptedException {
    return start(Peers.ALERTMANAGER, (port, dir) -> {
      Path config = dir.resolve("alertmanager.yml");
      Files.writeString(config, configYaml);
      return List.of("--config.file=" + config, "--storage.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=");
    }, "/-/ready", Duration.ofSeconds(30));
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Its temp dir. */
  public Path dir() {
    return dir;
  }

  /** Its process handle. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** Its combined output so far (for failure messages). */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** GET a path (with query) from it. */
  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Polls until {@code probe} returns non-null, every 200 ms, failing with the program's output
   * after the timeout.
   */
  public <T> T await(Duration timeout, String what, Function<Peer, T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError(binary + " exited (" + process.exitValue() + ") while waiting for " + what
            + "; output:\n" + tail());
      }
      T t = probe.apply(this);
      if (t != null) {
        return t;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
            + "; " + binary + " output:\n" + tail());
      }
      Thread.sleep(200);
    }
  }

  private void awaitReady(String path, Duration timeout) throws InterruptedException {
    await(timeout, binary + " to answer " + path, p -> {
      try {
        return p.get(path).statusCode() == 200 ? Boolean.TRUE : null;
      } catch (IOException e) {
        return null; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  private String tail() {
    String out = output();
    return out.length() > 4000 ? "..." + out.substring(out.length() - 4000) : out;
  }

  /** Stops the program by its handle (TERM, then KILL after 10 s) and deletes its temp dir. */
  @Override
  public void close() {
    ProcessHandle h = process.toHandle();
    h.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteRecursively(dir);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
