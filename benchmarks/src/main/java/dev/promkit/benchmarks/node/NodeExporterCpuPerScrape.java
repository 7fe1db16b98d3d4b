package dev.promkit.benchmarks.node;

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

/**
 * CPU time each exporter process spends per scrape, read from /proc/&lt;pid&gt;/stat (user + system,
 * children included), for promkit's node exporter and node_exporter 1.5 on the same host. Both run
 * at once and are scraped in alternating rounds, so a machine whose load changes during the run
 * weighs on both alike; CPU time is disturbed much less than wall time by other processes.
 *
 * <p>Both get the same request: HTTP/1.1 keep-alive, {@code Accept: text/plain;version=0.0.4} and
 * {@code Accept-Encoding: gzip} (as Prometheus sends it) or, with {@code identity}, none. Each is
 * first scraped {@code warm-up} times (default 2,000: a long-running exporter's JIT is warm).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.node.NodeExporterCpuPerScrape
 * [scrapes per exporter, default 1000] [gzip|identity] [warm-up]}
 */
public final class NodeExporterCpuPerScrape {
  private static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
  private static final String[] OPTIONS = {
      "--collector.filesystem.mount-points-exclude="
          + "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
      "--collector.netdev.device-exclude=^$", "--collector.textfile.directory="};
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ
  private static final int ROUND = 50;

  /** One exporter under test: its process, request and running totals. */
  private static final class Target {
    final String name;
    final Process process;
    final HttpRequest request;
    long ticks;
    long nanos;
    long bytes;
    int scrapes;

    Target(String name, Process process, HttpRequest request) {
      this.name = name;
      this.process = process;
      this.request = request;
    }
  }

  private NodeExporterCpuPerScrape() {}

  public static void main(String[] args) throws Exception {
    int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    String encoding = args.length > 1 ? args[1] : "gzip";
    int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    if (!Files.isExecutable(Path.of(NODE_EXPORTER))) {
      throw new IllegalStateException(NODE_EXPORTER + " is not installed");
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    List<Process> started = new ArrayList<>();
    try {
      int ourPort = freePort();
      List<String> ours = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.promkit.exporter.node.NodeExporterMain",
          "--web.listen-address=127.0.0.1:" + ourPort));
      ours.addAll(List.of(OPTIONS));
      int realPort = freePort();
      List<String> real = new ArrayList<>(List.of(NODE_EXPORTER, "--web.listen-address=127.0.0.1:" + realPort));
      real.addAll(List.of(OPTIONS));
      Target[] targets = {
          new Target("promkit", start(ours, started), request(ourPort, encoding)),
          new Target("node_exporter", start(real, started), request(realPort, encoding))};
      for (Target t : targets) {
        awaitUp(client, t);
        for (int i = 0; i < warmUp; i++) {
          scrape(client, t.request);
        }
      }
      for (int done = 0; done < scrapes; done += ROUND) {
        for (Target t : targets) {
          long cpu0 = cpuTicks(t.process.pid());
          long t0 = System.nanoTime();
          for (int i = 0; i < ROUND; i++) {
            t.bytes += scrape(client, t.request);
          }
          t.nanos += System.nanoTime() - t0;
          t.ticks += cpuTicks(t.process.pid()) - cpu0;
          t.scrapes += ROUND;
        }
      }
      for (Target t : targets) {
        System.out.printf("%-14s cpu %.2f ms/scrape, wall %.2f ms/scrape, %d bytes/scrape (%s, %d scrapes "
                + "in rounds of %d, %d warm-up)%n", t.name, t.ticks / TICKS_PER_SECOND * 1000 / t.scrapes,
            t.nanos / 1e6 / t.scrapes, t.bytes / t.scrapes, encoding, t.scrapes, ROUND, warmUp);
      }
      System.out.printf("ratio promkit/node_exporter: cpu %.2f, wall %.2f%n",
          (double) targets[0].ticks / targets[1].ticks, (double) targets[0].nanos / targets[1].nanos);
    } finally {
      for (Process p : started) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static HttpRequest request(int port, String encoding) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1").header("Accept-Encoding", encoding).build();
  }

  private static Process start(List<String> cmd, List<Process> started) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    started.add(p);
    return p;
  }

  private static void awaitUp(HttpClient client, Target t) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        scrape(client, t.request);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(t.name + " did not come up", e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static int scrape(HttpClient client, HttpRequest request) throws Exception {
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode());
    }
    return r.body().length;
  }

  // utime + stime + cutime + cstime (fields 14-17), after the ")" that ends the command name.
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
