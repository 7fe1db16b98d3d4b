package dev.promkit.tsdb.block;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

final class BlockTestSupport {
  static final long T0 = 1_700_006_400_000L;

  private BlockTestSupport() {}

  /** labels -> list of {t, rawbits(v)}, random but deterministic. */
  static TreeMap<Labels, List<long[]>> randomSeries(int nSeries, int nSamples, long seed) {
    Random r = new Random(seed);
    TreeMap<Labels, List<long[]>> m = new TreeMap<>();
    for (int s = 0; s < nSeries; s++) {
      Labels l = Labels.of("__name__", s % 3 == 0 ? "up" : "http_requests_total", "job", "job" + (s % 4),
          "instance", "host-" + s);
      List<long[]> samples = new ArrayList<>();
      long t = T0 + r.nextInt(1000);
      double v = r.nextInt(100);
      for (int i = 0; i < nSamples; i++) {
        samples.add(new long[] {t, Double.doubleToRawLongBits(v)});
        t += 15_000 + r.nextInt(20) - 10;
        v = r.nextBoolean() ? v + r.nextInt(10) : r.nextGaussian() * 1e3;
      }
      m.put(l, samples);
    }
    return m;
  }

  static Queryable memory(Map<Labels, List<long[]>> series) {
    MemoryStorage st = new MemoryStorage();
    var app = st.appender();
    for (var e : series.entrySet()) {
      for (long[] s : e.getValue()) {
        app.append(0, e.getKey(), s[0], Double.longBitsToDouble(s[1]));
      }
    }
    app.commit();
    return st;
  }

  /** Everything a queryable returns for [mint, maxt], as labels -> samples. */
  static TreeMap<Labels, List<long[]>> readAll(Queryable q, long mint, long maxt, LabelMatcher... ms) {
    TreeMap<Labels, List<long[]>> out = new TreeMap<>();
    try (Querier qr = q.querier(mint, maxt)) {
      SeriesSet set = qr.select(true, null, ms.length == 0 ? new LabelMatcher[] {LabelMatcher.re("__name__", ".*")} : ms);
      ChunkIterator it = null;
      Labels prev = null;
      while (set.next()) {
        Labels l = set.at().labels();
        if (prev != null && prev.compareTo(l) >= 0) {
          throw new AssertionError("not sorted: " + prev + " then " + l);
        }
        prev = l;
        it = set.at().iterator(it);
        List<long[]> s = new ArrayList<>();
        while (it.next() != ValueType.NONE) {
          s.add(new long[] {it.atT(), Double.doubleToRawLongBits(it.atV())});
        }
        if (it.err() != null) {
          throw new AssertionError(it.err());
        }
        out.put(l, s);
      }
      if (set.err() != null) {
        throw new AssertionError(set.err());
      }
    }
    return out;
  }

  static String render(Map<Labels, List<long[]>> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((l, s) -> {
      for (long[] x : s) {
        sb.append(l).append(' ').append(x[0]).append(' ').append(Double.longBitsToDouble(x[1])).append('\n');
      }
    });
    return sb.toString();
  }
}
