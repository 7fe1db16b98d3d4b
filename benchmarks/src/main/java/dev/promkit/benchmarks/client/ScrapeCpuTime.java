package dev.promkit.benchmarks.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link ScrapeBenchmark} workloads timed by thread CPU time instead of wall time, interleaved
 * round by round: on a machine shared with other work, wall-clock JMH scores of two benchmarks run
 * a minute apart are not comparable, while CPU time per operation of interleaved runs mostly is.
 * Not a substitute for JMH on a quiet machine. Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.client.ScrapeCpuTime}
 */
public final class ScrapeCpuTime {
  private ScrapeCpuTime() {}

  /** Prints CPU ms per operation for each workload, six rounds of 1.5 s each. */
  public static void main(String[] args) throws Exception {
    ScrapeBenchmark b = new ScrapeBenchmark();
    b.setup();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] names = {"clientJavaWriteText", "promkitWriteText", "clientJavaScrapeAndWriteText",
        "promkitScrapeAndWriteText", "promkitParseText"};
    long sink = 0;
    for (int round = 0; round < 6; round++) {
      StringBuilder line = new StringBuilder("round " + round + ":");
      for (String n : names) {
        int iterations = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        while (System.nanoTime() - wall0 < 1_500_000_000L) {
          sink += run(b, n);
          iterations++;
        }
        double ms = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / iterations;
        line.append(String.format(" %s=%.2fms", n, ms));
      }
      System.out.println(line);
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static long run(ScrapeBenchmark b, String name) throws Exception {
    switch (name) {
      case "clientJavaWriteText":
        return b.clientJavaWriteText();
      case "promkitWriteText":
        return b.promkitWriteText();
      case "clientJavaScrapeAndWriteText":
        return b.clientJavaScrapeAndWriteText();
      case "promkitScrapeAndWriteText":
        return b.promkitScrapeAndWriteText();
      default:
        return (long) b.promkitParseText();
    }
  }
}
