package dev.promkit.benchmarks.server;

import dev.promkit.server.config.Config;
import dev.promkit.server.scrape.ScrapeManager;
import dev.promkit.server.scrape.Target;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One scrape of the issue-6 target (100 counter families x 1000 label sets = 100,000 series,
 * 7.7 MB of text) into a TSDB with a WAL, as the server does it, timed per scrape: the
 * {@code scrape_duration_seconds} the loop reports (fetch, parse, appends; wall clock), the whole
 * scrape with its commit (wall), and the CPU the whole scraping process used for it (all threads:
 * the HTTP client's, GC and JIT included; the target runs in its own process; 10 ms resolution), and
 * the CPU of the scraping thread alone (the commit included; the JDK HttpClient reads the body on
 * threads of its own, so compare builds by process CPU). The first scrape
 * (creating the series) is printed apart; the steady state is the median of the others.
 *
 * <p>Built against the server's public API only, so the same class times any promkit.jar: for an
 * A/B of two builds on a shared machine, run it alternately with each jar on the class path:
 * {@code java -XX:+UseSerialGC -Xmn16m -cp benchmarks/target/classes:A.jar
 * dev.promkit.benchmarks.server.ScrapeCpuTime [scrapes] [Target.java]}.
 */
public final class ScrapeCpuTime {
  private ScrapeCpuTime() {}

  public static void main(String[] args) throws Exception {
    int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path targetSource = Path.of(args.length > 1 ? args[1] : "benchmarks/scrape100k/Target.java");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process target = new ProcessBuilder(java, "-Xmx512m", targetSource.toString(), "0").redirectErrorStream(true).start();
    Path dir = Files.createTempDirectory("scrape-cpu");
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      if (first == null || !first.startsWith("listening on ")) {
        throw new IllegalStateException("target did not start: " + first);
      }
      int port = Integer.parseInt(first.substring("listening on ".length()).split(",")[0].trim());
      System.out.println("target: " + first);
      run(scrapes, port, dir);
    } finally {
      target.destroy();
      target.waitFor();
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(int scrapes, int port, Path dir) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    // A long interval: the scheduled scrape never comes during the run; scrapes are driven below.
    String yaml = "global:\n  scrape_interval: 12h\n  scrape_timeout: 30s\nscrape_configs:\n  - job_name: bench\n"
        + "    static_configs:\n      - targets: ['127.0.0.1:" + port + "']\n";
    double[] reported = new double[scrapes];
    double[] wall = new double[scrapes];
    double[] cpu = new double[scrapes];
    double[] threadCpu = new double[scrapes];
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.defaults().withDir(dir));
        ScrapeManager m = new ScrapeManager(tsdb, Clock.systemUTC(), 2)) {
      m.apply(Config.parse(yaml));
      Target t = m.activeTargets().get(0);
      for (int i = 0; i < scrapes; i++) {
        long cpu0 = os.getProcessCpuTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        m.scrapeAllNow();
        wall[i] = (System.nanoTime() - wall0) / 1e6;
        cpu[i] = (os.getProcessCpuTime() - cpu0) / 1e6;
        threadCpu[i] = (threads.getCurrentThreadCpuTime() - thread0) / 1e6;
        reported[i] = t.lastScrapeDurationSeconds() * 1e3;
        if (t.lastError() != null && !t.lastError().isEmpty()) {
          throw new IllegalStateException("scrape failed: " + t.lastError());
        }
        System.out.printf(Locale.ROOT,
            "scrape %2d: reported %7.1f ms, with commit %7.1f ms, process CPU %7.1f ms, scraping thread CPU %7.1f ms%n",
            i, reported[i], wall[i], cpu[i], threadCpu[i]);
        Thread.sleep(300); // let the target's renderer and the GC settle between scrapes
      }
      System.out.printf(Locale.ROOT, "head series %d, load average %.2f%n", tsdb.head().numSeries(),
          os.getSystemLoadAverage());
    }
    System.out.printf(Locale.ROOT, "first scrape: reported %.1f ms, with commit %.1f ms, process CPU %.1f ms%n",
        reported[0], wall[0], cpu[0]);
    int from = Math.min(5, scrapes - 1); // scrapes 1-4: JIT still compiling
    System.out.printf(Locale.ROOT,
        "median of scrapes %d..%d: reported %.1f ms, with commit %.1f ms, process CPU %.1f ms, scraping thread CPU %.1f ms%n",
        from, scrapes - 1, median(reported, from), median(wall, from), median(cpu, from), median(threadCpu, from));
    System.out.printf(Locale.ROOT, "mean of all %d scrapes: reported %.1f ms, process CPU %.1f ms%n", scrapes,
        Arrays.stream(reported).average().orElse(0), Arrays.stream(cpu).average().orElse(0));
  }

  private static double median(double[] v, int from) {
    double[] s = Arrays.copyOfRange(v, from, v.length);
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
