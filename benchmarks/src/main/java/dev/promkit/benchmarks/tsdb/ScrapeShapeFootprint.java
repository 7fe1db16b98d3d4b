package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Heap bytes per head series in the shape of {@code benchmarks/scrape100k}: 100 counter families x
 * 1000 label sets (six labels with job and instance), one commit per scrape every 5 s with a few ms
 * of jitter, counters growing by 0..4 per second, written through a {@link Tsdb} with its WAL as the
 * server does. Prints used heap after full GC, minus an empty baseline, per series, after the
 * first scrape and after the last.
 *
 * <p>Run: {@code java -Xmx1g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar
 * dev.promkit.benchmarks.tsdb.ScrapeShapeFootprint [scrapes=60] [metrics=100] [perMetric=1000]}
 */
public final class ScrapeShapeFootprint {
  private ScrapeShapeFootprint() {}

  public static void main(String[] args) throws IOException {
    int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int metrics = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int perMetric = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int n = metrics * perMetric;
    Labels[] labels = new Labels[n];
    long[] counters = new long[n];
    for (int m = 0; m < metrics; m++) {
      String name = String.format("bench_requests_%03d_total", m);
      for (int s = 0; s < perMetric; s++) {
        int i = m * perMetric + s;
        labels[i] = Labels.of("__name__", name, "handler", "/api/v1/h" + (s % 50), "pod", "pod-" + (s / 50),
            "code", "" + (200 + (s % 3) * 100), "job", "bench", "instance", "127.0.0.1:9999");
        counters[i] = (i * 7919L) % 100_000;
      }
    }
    long base = usedAfterGc();
    Path dir = Files.createTempDirectory("scrapeshape");
    long[] refs = new long[n];
    java.util.Random rnd = new java.util.Random(42);
    try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir))) {
      long t0 = 1_700_000_000_000L;
      Appender app = db.appender();
      for (int k = 0; k < scrapes; k++) {
        long t = t0 + k * 5_000L + rnd.nextInt(7);
        for (int i = 0; i < n; i++) {
          counters[i] += 8 + rnd.nextInt(5); // ~10 per 5 s, as the target (0..4 per second)
          refs[i] = app.append(refs[i], labels[i], t, counters[i]);
        }
        app.commit();
        if (k == 0 || k == scrapes - 1) {
          long used = usedAfterGc() - base;
          System.out.printf("after scrape %d: %d series, %.0f heap bytes per series (%d MiB)%n",
              k + 1, n, (double) used / n, used >> 20);
        }
      }
      String hold = System.getenv("HOLD_SECONDS"); // time to run jcmd GC.class_histogram on the process
      if (hold != null) {
        try {
          Thread.sleep(Long.parseLong(hold) * 1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (refs.length < 0) {
        System.out.println(db);
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
