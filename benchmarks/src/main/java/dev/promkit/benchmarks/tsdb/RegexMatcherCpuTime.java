package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * The range-query workload's matchers ({@code b_hundred{l=~".*[0-4]$"}}, {@code {__name__!=""}})
 * timed by thread CPU time (median of batches): matcher construction, matching the 100 values of
 * {@code l}, and {@code select} on the head and on a block. It uses only API that predates the RE2
 * translation, so the same class times {@code main}'s core-tsdb and a branch's: put either's
 * classes first on the class path, run alternately. Competitor: none (a before/after check that
 * the RE2 model costs the workload nothing).
 */
public final class RegexMatcherCpuTime {
  private RegexMatcherCpuTime() {}

  /** Prints one line per operation: median CPU microseconds per call; args: [label] [batches]. */
  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "";
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Labels[] ls = new Labels[201];
    ls[0] = Labels.of("__name__", "a_one");
    String[] values = new String[100];
    for (int l = 0; l < 100; l++) {
      values[l] = Integer.toString(l);
      ls[1 + l] = Labels.of("__name__", "a_hundred", "l", values[l]);
      ls[101 + l] = Labels.of("__name__", "b_hundred", "l", values[l]);
    }
    Path dir = Files.createTempDirectory("promkit-regex-cpu");
    try (Tsdb head = Tsdb.inMemory()) {
      long[] refs = new long[ls.length];
      for (int s = 0; s < 30; s++) {
        Appender app = head.appender();
        for (int i = 0; i < ls.length; i++) {
          refs[i] = app.append(refs[i], ls[i], s * 10_000L + 1000, s);
        }
        app.commit();
      }
      BlockWriter.write(dir, 0, 400_000, head);
      Path blockDir;
      try (Stream<Path> s = Files.list(dir)) {
        blockDir = s.filter(Files::isDirectory).findFirst().orElseThrow();
      }
      try (Block block = Block.open(blockDir)) {
        LabelMatcher re = LabelMatcher.re("l", ".*[0-4]$");
        Map<String, IntSupplier> ops = new LinkedHashMap<>();
        ops.put("new matcher l=~\".*[0-4]$\"", () -> LabelMatcher.re("l", ".*[0-4]$").hashCode());
        ops.put("match 100 values of l", () -> {
          int n = 0;
          for (String v : values) {
            n += re.matches(v) ? 1 : 0;
          }
          return n;
        });
        ops.put("head select b_hundred{l=~}", () -> count(head.querier(0, 400_000),
            LabelMatcher.eq("__name__", "b_hundred"), LabelMatcher.re("l", ".*[0-4]$")));
        ops.put("block select b_hundred{l=~}", () -> count(block.querier(0, 400_000),
            LabelMatcher.eq("__name__", "b_hundred"), LabelMatcher.re("l", ".*[0-4]$")));
        ops.put("head select {__name__!=\"\"}", () -> count(head.querier(0, 400_000), LabelMatcher.neq("__name__", "")));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (Map.Entry<String, IntSupplier> e : ops.entrySet()) {
          IntSupplier op = e.getValue();
          long t0 = mx.getCurrentThreadCpuTime();
          int reps = 0;
          while (mx.getCurrentThreadCpuTime() - t0 < 1_000_000_000L) { // warm up: 1 s CPU
            op.getAsInt();
            reps++;
          }
          int perBatch = Math.max(1, reps / 20); // ~50 ms CPU per batch
          double[] us = new double[batches];
          for (int i = 0; i < batches; i++) {
            long s = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < perBatch; k++) {
              op.getAsInt();
            }
            us[i] = (mx.getCurrentThreadCpuTime() - s) / 1e3 / perBatch;
          }
          Arrays.sort(us);
          System.out.printf("%s %-30s %8.2f us CPU/op (median of %d batches of %d; min %.2f)%n", label, e.getKey(),
              us[batches / 2], batches, perBatch, us[0]);
        }
      }
    } finally {
      try (Stream<Path> w = Files.walk(dir)) {
        w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static int count(Querier q, LabelMatcher... ms) {
    try (q) {
      SeriesSet s = q.select(true, null, ms);
      int n = 0;
      while (s.next()) {
        n++;
      }
      return n;
    }
  }
}
