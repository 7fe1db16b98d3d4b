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
 * children included: our filesystem collector's {@code stat -f}), for promkit's node exporter and
 * node_exporter 1.5 on the same host. Less sensitive to a busy machine than wall time, since only
 * the exporter's own CPU counts.
 *
 * <p>Both get the same request: HTTP/1.1 keep-alive, {@code Accept: text/plain;version=0.0.4} and
 * {@code Accept-Encoding: gzip} (as Prometheus sends it) or, with {@code identity}, none.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.node.NodeExporterCpuPerScrape [scrapes] [gzip|identity]}
 */
public final class NodeExporterCpuPerScrape {
  private static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
  private static final String[] OPTIONS = {
      "--collector.filesystem.mount-points-exclude="
          + "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
      "--collector.netdev.device-exclude=^$", "--collector.textfile.directory="};
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ
  private static String encoding = "gzip";

  private NodeExporterCpuPerScrape() {}

  public static void main(String[] args) throws Exception {
    int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    encoding = args.length > 1 ? args[1] : "gzip";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    List<Process> started = new ArrayList<>();
    try {
      int ourPort = freePort();
      List<String> ours = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.promkit.exporter.node.NodeExporterMain",
          "--web.listen-address=127.0.0.1:" + ourPort));
      ours.addAll(List.of(OPTIONS));
      Process our = start(ours, started);
      measure("promkit", our, URI.create("http://127.0.0.1:" + ourPort + "/metrics"), client, scrapes);
      if (Files.isExecutable(Path.of(NODE_EXPORTER))) {
        int realPort = freePort();
        List<String> real = new ArrayList<>(List.of(NODE_EXPORTER, "--web.listen-address=127.0.0.1:" + realPort));
        real.addAll(List.of(OPTIONS));
        Process ne = start(real, started);
        measure("node_exporter", ne, URI.create("http://127.0.0.1:" + realPort + "/metrics"), client, scrapes);
      }
    } finally {
      for (Process p : started) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static Process start(List<String> cmd, List<Process> started) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    started.add(p);
    return p;
  }

  private static void measure(String name, Process p, URI uri, HttpClient client, int scrapes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (scrape(client, uri) > 0) {
          break;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
    for (int i = 0; i < scrapes; i++) {
      scrape(client, uri); // warm-up (the JIT, node_exporter's caches)
    }
    long cpu0 = cpuTicks(p.pid());
    long t0 = System.nanoTime();
    long bytes = 0;
    for (int i = 0; i < scrapes; i++) {
      bytes += scrape(client, uri);
    }
    double wallMs = (System.nanoTime() - t0) / 1e6 / scrapes;
    double cpuMs = (cpuTicks(p.pid()) - cpu0) / TICKS_PER_SECOND * 1000 / scrapes;
    System.out.printf("%-14s cpu %.2f ms/scrape, wall %.2f ms/scrape, %d bytes/scrape (%s, %d scrapes)%n",
        name, cpuMs, wallMs, bytes / scrapes, encoding, scrapes);
  }

  private static int scrape(HttpClient client, URI uri) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
        .header("Accept-Encoding", encoding).build();
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " -> " + r.statusCode());
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
