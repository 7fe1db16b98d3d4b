package dev.promkit.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finding and running the real Prometheus programs in tests. The rule for an absent binary: skip
 * the test with a printed reason (a JUnit assumption) on a developer machine, but fail when the
 * environment variable {@code CI} is {@code true}, where the packages are installed on purpose.
 */
public final class Peers {
  /** Binary names of the Debian packages. */
  public static final String PROMETHEUS = "prometheus";
  /** promtool, from the prometheus package. */
  public static final String PROMTOOL = "promtool";
  /** Pushgateway. */
  public static final String PUSHGATEWAY = "prometheus-pushgateway";
  /** node_exporter. */
  public static final String NODE_EXPORTER = "prometheus-node-exporter";
  /** Alertmanager. */
  public static final String ALERTMANAGER = "prometheus-alertmanager";

  private Peers() {}

  /** True when running in CI ({@code CI=true}). */
  public static boolean isCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** The binary's path if found on PATH or in /usr/bin, else null. */
  public static Path find(String binary) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.add("/usr/bin");
    dirs.add("/usr/local/bin");
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, binary);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * The binary's path; when absent, skips the calling test with a printed reason, or fails it
   * when {@code CI=true}.
   */
  public static Path require(String binary) {
    Path p = find(binary);
    if (p == null) {
      String reason = binary + " not found on PATH or in /usr/bin (Debian package: "
          + (binary.equals(PROMTOOL) ? PROMETHEUS : binary) + ")";
      if (isCi()) {
        throw new AssertionError(reason + "; CI=true requires it");
      }
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
    }
    return p;
  }

  /** A port that was free on 127.0.0.1 a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exit code and combined stdout/stderr of a finished command. */
  public record Result(int exitCode, String output) {}

  /**
   * Runs a binary to completion (e.g. {@code promtool check metrics}) with the given stdin.
   *
   * @throws AssertionError when it does not finish within the timeout (it is then killed)
   */
  public static Result run(String binary, byte[] stdin, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(require(binary).toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      byte[] out;
      try (InputStream o = p.getInputStream()) {
        out = o.readAllBytes(); // ends when the process closes its output
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError(binary + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }
}
