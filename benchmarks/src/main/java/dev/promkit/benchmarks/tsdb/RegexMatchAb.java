package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.regex.Re2Pattern;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One JVM, interleaved rounds, thread CPU time: the workload's label regex {@code .*[0-4]$} over the
 * 100 values {@code "0".."99"}, as {@code main} matched it ({@code Pattern.compile("(?s:" + re +
 * ")")}), as its RE2 translation compiles in Java, and through {@link Re2Pattern#matches}. Run:
 * {@code java -cp <benchmarks classes + core-tsdb> dev.promkit.benchmarks.tsdb.RegexMatchAb [regex]}.
 */
public final class RegexMatchAb {
  private static int sink;

  private RegexMatchAb() {}

  /** Prints the median ns per value for each variant. */
  public static void main(String[] args) {
    String re = args.length > 0 ? args[0] : ".*[0-4]$";
    String[] values = new String[100];
    for (int i = 0; i < 100; i++) {
      values[i] = Integer.toString(i);
    }
    Pattern before = Pattern.compile("(?s:" + re + ")");
    Re2Pattern re2 = Re2Pattern.compile(re);
    Pattern translated = re2.javaPattern();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int rounds = 15;
    double[][] ns = new double[3][rounds];
    for (int round = -5; round < rounds; round++) { // five warm-up rounds
      for (int w = 0; w < 3; w++) {
        long t = mx.getCurrentThreadCpuTime();
        for (int k = 0; k < 3000; k++) {
          for (String v : values) {
            boolean m = w == 0 ? before.matcher(v).matches() : w == 1 ? translated.matcher(v).matches() : re2.matches(v);
            sink += m ? 1 : 0;
          }
        }
        if (round >= 0) {
          ns[w][round] = (mx.getCurrentThreadCpuTime() - t) / (3000.0 * values.length);
        }
      }
    }
    String[] names = {"before: (?s:re) + matches()", "translation + matches()", "Re2Pattern.matches"};
    for (int w = 0; w < 3; w++) {
      Arrays.sort(ns[w]);
      System.out.printf("%-30s %6.1f ns/value (median of %d rounds; min %.1f)%n", names[w], ns[w][rounds / 2], rounds,
          ns[w][0]);
    }
  }
}
