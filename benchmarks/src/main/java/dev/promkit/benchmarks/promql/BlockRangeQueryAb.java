package dev.promkit.benchmarks.promql;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The side-by-side's 22 range queries (the shared {@code bench_queries.py} list) evaluated in process
 * on the backfilled blocks, as the server evaluates them (a {@code Tsdb} opened on a copy of the
 * data directory, an empty head), for one or more promkit jars loaded in separate class loaders of
 * one JVM. The jars take turns query by query and round by round (who goes first alternates), timed
 * by thread CPU time, so an A/B of two builds sees the same load on a shared machine. Parse and
 * evaluation only: no HTTP, no JSON.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.promql.BlockRangeQueryAb
 * DATA_DIR a.jar [b.jar ...] [rounds=15] [only=substring|only==expr]} where DATA_DIR is a backfilled data
 * directory (e.g. {@code /tmp/rangequery/ours-data}) and each jar a promkit server jar
 * ({@code server/target/promkit.jar}). Prints per query the median CPU ms per jar and the per-round
 * ratio of each jar to the first.
 */
public final class BlockRangeQueryAb {
  private static final long END_S = 1795564791L;
  private static final Object[][] QUERIES = {
    {"a_one", 1000},
    {"a_hundred", 1000},
    {"rate(a_hundred[1m])", 1000},
    {"rate(a_hundred[1d])", 1000},
    {"-a_hundred", 1000},
    {"a_hundred - b_hundred", 1000},
    {"a_hundred and b_hundred{l=~'.*[0-4]$'}", 1000},
    {"a_hundred or b_hundred{l=~'.*[0-4]$'}", 1000},
    {"abs(a_hundred)", 1000},
    {"label_replace(a_hundred, 'l2', '$1', 'l', '(.*)')", 1000},
    {"sum(a_hundred)", 1000},
    {"sum by (le)(h_hundred)", 1000},
    {"count_values('value', h_hundred)", 100},
    {"topk(5, a_hundred)", 1000},
    {"rate(a_hundred[1m]) + rate(b_hundred[1m])", 1000},
    {"sum without (l)(rate(a_hundred[1m])) / sum without (l)(rate(b_hundred[1m]))", 1000},
    {"histogram_quantile(0.9, rate(h_hundred[5m]))", 1000},
    {"a_hundred + on(l) group_right a_one", 1000},
    {"count({__name__!=\"\"})", 1},
    {"timestamp(a_hundred)", 1000},
    {"changes(a_hundred[1d])", 100},
    {"rate(a_hundred[1m])", 10000},
  };

  private BlockRangeQueryAb() {}

  /** One jar: its Tsdb on its own copy of the data and its engine, called by reflection. */
  private static final class Side {
    final String name;
    final Object db;
    final Object engine;
    final Method rangeQuery;
    final Method close;

    Side(String jar, Path data) throws Exception {
      name = Paths.get(jar).getFileName().toString();
      URLClassLoader cl = new URLClassLoader(new URL[] {Paths.get(jar).toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> optsC = cl.loadClass("dev.promkit.tsdb.TsdbOptions");
      Object opts = optsC.getMethod("defaults").invoke(null);
      opts = optsC.getMethod("withDir", Path.class).invoke(opts, data);
      opts = optsC.getMethod("withRetentionMs", long.class).invoke(opts, 100L * 365 * 86_400_000L);
      Class<?> tsdbC = cl.loadClass("dev.promkit.tsdb.Tsdb");
      db = tsdbC.getMethod("open", optsC).invoke(null, opts);
      close = tsdbC.getMethod("close");
      Class<?> engC = cl.loadClass("dev.promkit.promql.engine.Engine");
      Object b = engC.getMethod("builder").invoke(null);
      b.getClass().getMethod("maxSamples", long.class).invoke(b, 50_000_000L);
      b.getClass().getMethod("timeoutMillis", long.class).invoke(b, 120_000L);
      engine = b.getClass().getMethod("build").invoke(b);
      Class<?> queryable = cl.loadClass("dev.promkit.tsdb.storage.Queryable");
      rangeQuery = engC.getMethod("rangeQuery", queryable, String.class, long.class, long.class, long.class);
    }

    Object run(String expr, int steps) throws Exception {
      long end = END_S * 1000;
      long start = end - (steps - 1) * 10_000L;
      return rangeQuery.invoke(engine, db, expr, start, end, 10_000L);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: BlockRangeQueryAb DATA_DIR a.jar [b.jar ...] [rounds=N] [only=SUBSTRING]");
      System.exit(2);
    }
    Path data = Paths.get(args[0]);
    List<String> jars = new ArrayList<>();
    int rounds = 15;
    String only = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("rounds=")) {
        rounds = Integer.parseInt(args[i].substring(7));
      } else if (args[i].startsWith("only=")) {
        only = args[i].substring(5);
      } else {
        jars.add(args[i]);
      }
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<Side> sides = new ArrayList<>();
    List<Path> copies = new ArrayList<>();
    try {
      for (String jar : jars) {
        Path copy = Files.createTempDirectory("block-rq-ab");
        copyBlocks(data, copy);
        copies.add(copy);
        sides.add(new Side(jar, copy));
      }
      int n = sides.size();
      System.out.printf("# %s, %d rounds, load %s%n", jars, rounds,
          Files.readString(Paths.get("/proc/loadavg")).trim());
      StringBuilder head = new StringBuilder("query\tsteps");
      for (Side s : sides) {
        head.append('\t').append(s.name).append(" cpu_ms");
      }
      for (int k = 1; k < n; k++) {
        head.append("\tratio ").append(k).append("/0 (quartiles)");
      }
      System.out.println(head);
      double[] sums = new double[n];
      for (Object[] q : QUERIES) {
        String expr = (String) q[0];
        int steps = (Integer) q[1];
        if (only != null && !(only.startsWith("=") ? expr.equals(only.substring(1)) : expr.contains(only))) {
          continue;
        }
        for (Side s : sides) { // warm-up: 3 runs each, interleaved
          for (int w = 0; w < 3; w++) {
            s.run(expr, steps);
          }
        }
        double[][] ms = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < n; k++) {
            int side = (k + r) % n;
            long c = mx.getCurrentThreadCpuTime();
            Object res = sides.get(side).run(expr, steps);
            ms[side][r] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
            if (res == null) {
              throw new IllegalStateException("no result");
            }
          }
        }
        StringBuilder line = new StringBuilder(expr).append('\t').append(steps);
        for (int k = 0; k < n; k++) {
          double med = median(ms[k].clone());
          sums[k] += med;
          line.append(String.format("\t%.2f", med));
        }
        for (int k = 1; k < n; k++) {
          double[] ratio = new double[rounds];
          for (int r = 0; r < rounds; r++) {
            ratio[r] = ms[k][r] / ms[0][r];
          }
          Arrays.sort(ratio);
          line.append(String.format("\t%.2f (%.2f-%.2f)", ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]));
        }
        System.out.println(line);
      }
      StringBuilder tot = new StringBuilder("sum of medians\t");
      for (double s : sums) {
        tot.append(String.format("\t%.1f", s));
      }
      System.out.println(tot);
    } finally {
      for (Side s : sides) {
        s.close.invoke(s.db);
      }
      for (Path c : copies) {
        deleteTree(c);
      }
    }
  }

  private static double median(double[] a) {
    Arrays.sort(a);
    return a[a.length / 2];
  }

  /** Copies the block directories (not the WAL, lock or head chunks). */
  private static void copyBlocks(Path from, Path to) throws IOException {
    try (var dirs = Files.list(from)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!Files.isDirectory(d) || name.equals("wal") || name.equals("chunks_head") || name.startsWith(".")) {
          continue;
        }
        Files.walkFileTree(d, new SimpleFileVisitor<Path>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          // best effort
        }
      });
    }
  }
}
