package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.head.Head;
import dev.promkit.tsdb.head.HeadOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;

/**
 * Size figures that are not timings: XOR bytes per sample on realistic data (identical to what
 * Prometheus' XOR encoder produces, as the encoding is bit-compatible), and heap bytes per active
 * head series (used heap after GC, minus an empty baseline, divided by series).
 *
 * <p>Run: {@code java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.tsdb.TsdbFootprintReport [series] [samplesPerSeries]}
 */
public final class TsdbFootprintReport {
  private TsdbFootprintReport() {}

  public static void main(String[] args) {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    bytesPerSample("counter, 15 s regular", 0);
    bytesPerSample("gauge, 15 s regular", 1);
    bytesPerSample("counter, 15 s +-50 ms jitter", 2);
    bytesPerSample("gauge, 15 s +-50 ms jitter", 3);
    heapPerSeries(series, samples);
  }

  static void bytesPerSample(String name, int kind) {
    long bytes = 0;
    long n = 0;
    for (int s = 0; s < 1000; s++) {
      Datasets.Series d = kind == 0 ? Datasets.counter(120, s) : kind == 1 ? Datasets.regularGauge(120, s)
          : kind == 2 ? Datasets.jitteryCounter(120, s) : Datasets.jitteryGauge(120, s);
      XorChunk c = new XorChunk();
      ChunkAppender a = c.appender();
      for (int i = 0; i < d.ts.length; i++) {
        a.append(d.ts[i], d.vs[i]);
      }
      bytes += c.byteLength();
      n += d.ts.length;
    }
    System.out.printf("xor %-30s %.3f bytes/sample (120-sample chunks incl. 2-byte header)%n", name, (double) bytes / n);
  }

  static void heapPerSeries(int series, int samples) {
    long base = usedAfterGc();
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    long[] refs = new long[series];
    long t0 = 1_700_000_000_000L;
    for (int i = 0; i < samples; i++) {
      for (int s = 0; s < series; s++) {
        refs[s] = app.append(refs[s], i == 0 ? Labels.of("__name__", "node_cpu_seconds_total",
            "instance", "host-" + (s / 100) + ":9100", "job", "node", "cpu", "" + (s % 100 / 8),
            "mode", "m" + (s % 8)) : null, t0 + i * 15_000L, s * 0.5 + i);
        if (s % 10_000 == 9_999) {
          app.commit();
        }
      }
      app.commit();
    }
    refs = null;
    long used = usedAfterGc() - base;
    System.out.printf("head: %d series x %d samples: %.0f heap bytes per series (%d MiB)%n",
        head.numSeries(), samples, (double) used / head.numSeries(), used >> 20);
    if (head.numSeries() < 0) {
      System.out.println(head); // keep the head reachable until measured
    }
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
