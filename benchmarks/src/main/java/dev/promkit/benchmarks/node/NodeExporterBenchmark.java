package dev.promkit.benchmarks.node;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionWriter;
import dev.promkit.exporter.node.NodeExporter;
import java.io.IOException;
import java.io.OutputStream;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The node exporter against Prometheus' node_exporter 1.5 on the same host. Workloads: one in-process
 * collection of every default collector written as text 0.0.4 ({@code collectAndWrite}); the wall
 * time of one HTTP scrape of our exporter ({@code httpScrapePromkit}) and of the real node_exporter
 * started by the benchmark ({@code httpScrapeNodeExporter}), both with the same collector options.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar NodeExporterBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NodeExporterBenchmark {
  private static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
  // Same options on both sides: the Debian package changes some defaults.
  private static final String[] OPTIONS = {
      "--collector.filesystem.mount-points-exclude="
          + "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
      "--collector.netdev.device-exclude=^$", "--collector.textfile.directory="};

  private NodeExporter exporter;
  private ExpositionWriter writer;
  private HttpClient client;
  private Process ours;
  private Process real;
  private URI ourUri;
  private URI realUri;

  /** Counts bytes and drops them. */
  static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    exporter = NodeExporter.builder().option("netdev.device-exclude", "^$").build();
    writer = ExpositionFormat.PROMETHEUS_TEXT.writer();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // Our exporter runs as its own JVM, like node_exporter runs as its own process.
    int ourPort = freePort();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.promkit.exporter.node.NodeExporterMain",
        "--web.listen-address=127.0.0.1:" + ourPort));
    cmd.addAll(List.of(OPTIONS));
    ours = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    ourUri = URI.create("http://127.0.0.1:" + ourPort + "/metrics");
    awaitUp(ourUri);
    if (Files.isExecutable(Path.of(NODE_EXPORTER))) {
      int realPort = freePort();
      List<String> rc = new ArrayList<>(List.of(NODE_EXPORTER, "--web.listen-address=127.0.0.1:" + realPort));
      rc.addAll(List.of(OPTIONS));
      real = new ProcessBuilder(rc).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      realUri = URI.create("http://127.0.0.1:" + realPort + "/metrics");
      awaitUp(realUri);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    for (Process p : new Process[] {ours, real}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  @Benchmark
  public long collectAndWrite() throws IOException {
    CountingSink sink = new CountingSink();
    writer.write(sink, exporter.collect());
    return sink.count;
  }

  @Benchmark
  public int httpScrapePromkit() throws Exception {
    return scrape(ourUri);
  }

  @Benchmark
  public int httpScrapeNodeExporter() throws Exception {
    if (realUri == null) {
      throw new IllegalStateException(NODE_EXPORTER + " is not installed");
    }
    return scrape(realUri);
  }

  private int scrape(URI uri) throws Exception {
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " -> " + r.statusCode());
    }
    return r.body().length;
  }

  private void awaitUp(URI uri) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException(uri + " did not come up");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
