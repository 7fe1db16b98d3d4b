package dev.promkit.exporter.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus program started for a test: free port on 127.0.0.1, its own temp dir, output
 * to a log file, stopped by its process handle. Absent binary: the test is skipped, except under
 * CI=true where it fails.
 */
final class Peer implements AutoCloseable {
  final Process process;
  final int port;
  final Path dir;
  final Path log;

  private Peer(Process process, int port, Path dir, Path log) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.log = log;
  }

  static void assumeInstalled(String binary) {
    if (!Files.isExecutable(Path.of(binary))) {
      String reason = binary + " is not installed (apt-get install prometheus prometheus-pushgateway ...)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(reason + "; required when CI=true");
      }
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts {@code binary} with the arguments; {@code {port}} and {@code {dir}} in an argument are
   * replaced. Waits until {@code readyPath} answers 200.
   */
  static Peer start(String binary, String readyPath, String... args) throws Exception {
    assumeInstalled(binary);
    Path dir = Files.createTempDirectory("promkit-peer-");
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    for (String a : args) {
      cmd.add(a.replace("{port}", Integer.toString(port)).replace("{dir}", dir.toString()));
    }
    Path log = dir.resolve("peer.log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    Peer peer = new Peer(p, port, dir, log);
    try {
      peer.awaitReady(readyPath, Duration.ofSeconds(20));
    } catch (Exception | AssertionError e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private void awaitReady(String path, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("peer exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<Void> r = c.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("peer not ready after " + timeout + ": " + Files.readString(log));
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
