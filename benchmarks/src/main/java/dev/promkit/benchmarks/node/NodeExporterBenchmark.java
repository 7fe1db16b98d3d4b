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
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The node exporter against Prometheus' node_exporter 1.5 on the same host. Workloads: one in-process
 * collection of every default collector written as text 0.0.4 ({@code collectAndWrite}); the wall
 * time of one HTTP scrape of our exporter ({@code httpScrapePromkit}) and of the real node_exporter
 * started by the benchmark ({@code httpScrapeNodeExporter}), both with the same collector options and
 * the same request: HTTP/1.1 keep-alive, {@code Accept: text/plain;version=0.0.4} (node_exporter 1.5
 * serves no OpenMetrics) and, by {@link #encoding}, {@code Accept-Encoding: gzip} as Prometheus sends
 * it, or none. After the trial each HTTP benchmark prints the CPU time the scraped process used per
 * scrape over the measurement iterations (utime + stime from /proc/PID/stat), a figure a busy machine
 * disturbs less than wall time.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar NodeExporterBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
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

  /** Accept-Encoding of the HTTP scrapes: "gzip" as Prometheus sends it, or "identity". */
  @Param({"gzip", "identity"})
  public String encoding;

  private static final String ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ
  private static final int WARM_UP_SCRAPES = 1500;

  private NodeExporter exporter;
  private ExpositionWriter writer;
  private HttpClient client;
  private Process ours;
  private Process real;
  private URI ourUri;
  private URI realUri;
  private HttpRequest ourRequest;
  private HttpRequest realRequest;
  // CPU accounting of the measurement iterations (one benchmark method per trial).
  private Process measured;
  private long scrapes;
  private long iterationCpu0;
  private long iterationScrapes0;
  private long measuredTicks;
  private long measuredScrapes;

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
  public void setUp(BenchmarkParams benchmark) throws Exception {
    exporter = NodeExporter.builder().option("netdev.device-exclude", "^$").build();
    writer = ExpositionFormat.PROMETHEUS_TEXT.writer();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
        .build();
    // Our exporter runs as its own JVM, like node_exporter runs as its own process.
    int ourPort = freePort();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.promkit.exporter.node.NodeExporterMain",
        "--web.listen-address=127.0.0.1:" + ourPort));
    cmd.addAll(List.of(OPTIONS));
    ours = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    ourUri = URI.create("http://127.0.0.1:" + ourPort + "/metrics");
    ourRequest = request(ourUri);
    awaitUp(ourUri);
    if (Files.isExecutable(Path.of(NODE_EXPORTER))) {
      int realPort = freePort();
      List<String> rc = new ArrayList<>(List.of(NODE_EXPORTER, "--web.listen-address=127.0.0.1:" + realPort));
      rc.addAll(List.of(OPTIONS));
      real = new ProcessBuilder(rc).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      realUri = URI.create("http://127.0.0.1:" + realPort + "/metrics");
      realRequest = request(realUri);
      awaitUp(realUri);
    }
    // A long-running exporter is warm: let our JVM compile its scrape path before JMH's own warm-up
    // (node_exporter, compiled ahead of time, gets the same scrapes).
    String method = benchmark.getBenchmark();
    HttpRequest warm = method.endsWith("httpScrapePromkit") ? ourRequest
        : method.endsWith("httpScrapeNodeExporter") ? realRequest : null;
    for (int i = 0; warm != null && i < WARM_UP_SCRAPES; i++) {
      scrape(warm);
    }
  }

  private HttpRequest request(URI uri) {
    return HttpRequest.newBuilder(uri).header("Accept", ACCEPT).header("Accept-Encoding", encoding).build();
  }

  @Setup(Level.Iteration)
  public void startIteration(BenchmarkParams benchmark) throws IOException {
    String method = benchmark.getBenchmark();
    measured = method.endsWith("httpScrapePromkit") ? ours : method.endsWith("httpScrapeNodeExporter") ? real : null;
    if (measured != null) {
      iterationCpu0 = cpuTicks(measured.pid());
      iterationScrapes0 = scrapes;
    }
  }

  @TearDown(Level.Iteration)
  public void endIteration(IterationParams iteration) throws IOException {
    if (measured != null && iteration.getType() == IterationType.MEASUREMENT) {
      measuredTicks += cpuTicks(measured.pid()) - iterationCpu0;
      measuredScrapes += scrapes - iterationScrapes0;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    if (measured != null && measuredScrapes > 0) {
      System.out.printf("%n[cpu] %s (%s): %.2f ms CPU per scrape over %d measured scrapes%n",
          measured == ours ? "promkit-node-exporter" : "node_exporter", encoding,
          measuredTicks / TICKS_PER_SECOND * 1000 / measuredScrapes, measuredScrapes);
    }
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
    if (encoding.equals("gzip")) {
      // The same work as the HTTP handler's: text 0.0.4 through gzip.
      try (GZIPOutputStream gz = new GZIPOutputStream(sink, 8192)) {
        writer.write(gz, exporter.collect());
      }
    } else {
      writer.write(sink, exporter.collect());
    }
    return sink.count;
  }

  @Benchmark
  public int httpScrapePromkit() throws Exception {
    return scrape(ourRequest);
  }

  @Benchmark
  public int httpScrapeNodeExporter() throws Exception {
    if (realUri == null) {
      throw new IllegalStateException(NODE_EXPORTER + " is not installed");
    }
    return scrape(realRequest);
  }

  private int scrape(HttpRequest request) throws Exception {
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode());
    }
    boolean gzipped = r.headers().firstValue("Content-Encoding").orElse("").equals("gzip");
    if (gzipped != encoding.equals("gzip")) {
      throw new IllegalStateException(request.uri() + ": asked for " + encoding + ", got gzip=" + gzipped);
    }
    scrapes++;
    return r.body().length;
  }

  // utime + stime + cutime + cstime (fields 14-17), after the ")" that ends the command name.
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
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
