package dev.promkit.benchmarks.client;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link ScrapeBenchmark} workloads timed by thread CPU time instead of wall time, interleaved
 * round by round: on a machine shared with other work, wall-clock JMH scores of two benchmarks run
 * a minute apart are not comparable, while CPU time per operation of interleaved runs mostly is.
 * Also prints the bytes the thread allocated per operation (HotSpot's per-thread counter, the
 * figure {@code -prof gc} reports as {@code gc.alloc.rate.norm}), which does not depend on load.
 * Not a substitute for JMH on a quiet machine. Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.client.ScrapeCpuTime [rounds]}
 */
public final class ScrapeCpuTime {
  private static final String[] NAMES = {"clientJavaWriteText", "promkitWriteText", "clientJavaScrapeAndWriteText",
      "promkitScrapeAndWriteText", "clientJavaScrapeOnly", "promkitScrapeOnly", "promkitParseText"};

  private ScrapeCpuTime() {}

  /**
   * Prints, per round of 1.5 s per workload, CPU ms and allocated KB per operation, then the median
   * over all rounds but the first (warm-up). Default 6 rounds.
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    ScrapeBenchmark b = new ScrapeBenchmark();
    b.setup();
    printBodies(b);
    double[][] cpuMs = new double[NAMES.length][rounds];
    double[][] allocKb = new double[NAMES.length][rounds];
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      StringBuilder line = new StringBuilder("round " + round + ":");
      for (int w = 0; w < NAMES.length; w++) {
        int iterations = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long alloc0 = threads.getThreadAllocatedBytes(self);
        long wall0 = System.nanoTime();
        while (System.nanoTime() - wall0 < 1_500_000_000L) {
          sink += run(b, NAMES[w]);
          iterations++;
        }
        cpuMs[w][round] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / iterations;
        allocKb[w][round] = (threads.getThreadAllocatedBytes(self) - alloc0) / 1e3 / iterations;
        line.append(String.format(Locale.ROOT, " %s=%.2fms/%.1fKB", NAMES[w], cpuMs[w][round], allocKb[w][round]));
      }
      System.out.println(line);
    }
    System.out.println("median of rounds 1.." + (rounds - 1) + " (CPU ms/op, allocated KB/op):");
    for (int w = 0; w < NAMES.length; w++) {
      System.out.printf(Locale.ROOT, "  %-30s %8.3f ms %10.1f KB%n", NAMES[w], median(cpuMs[w]), median(allocKb[w]));
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static void printBodies(ScrapeBenchmark b) throws Exception {
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    ByteArrayOutputStream theirs = new ByteArrayOutputStream();
    b.promkitTextTo(ours);
    b.clientJavaTextTo(theirs);
    System.out.printf(Locale.ROOT, "bodies: promkit %d bytes, %d lines; client_java %d bytes, %d lines%n",
        ours.size(), lines(ours.toByteArray()), theirs.size(), lines(theirs.toByteArray()));
  }

  private static int lines(byte[] body) {
    int n = 0;
    for (byte c : body) {
      if (c == '\n') {
        n++;
      }
    }
    return n;
  }

  private static double median(double[] perRound) {
    double[] a = Arrays.copyOfRange(perRound, Math.min(1, perRound.length - 1), perRound.length);
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
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
      case "clientJavaScrapeOnly":
        return System.identityHashCode(b.clientJavaScrapeOnly()); // identity: no deep hash in the timing
      case "promkitScrapeOnly":
        return System.identityHashCode(b.promkitScrapeOnly());
      default:
        return (long) b.promkitParseText();
    }
  }
}
