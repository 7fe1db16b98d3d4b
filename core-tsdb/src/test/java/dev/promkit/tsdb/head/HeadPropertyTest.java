package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.SeriesSet;
import dev.promkit.tsdb.storage.StorageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random appends (in order, out of order, duplicates, out of bounds, rollbacks, truncations) against a simple
 * model that applies Prometheus' acceptance rules; every query must agree with the model exactly.
 */
class HeadPropertyTest {
  private static final long RANGE = 60_000; // small block range: boundaries and bounds get exercised

  /** The reference: committed samples per series, plus the acceptance rules. */
  static final class Model {
    final Map<Labels, TreeMap<Long, Long>> committed = new HashMap<>();
    final TreeSet<Labels> existing = new TreeSet<>();
    final Map<Labels, long[]> pendingLast = new HashMap<>(); // {t, bits}
    final List<Object[]> pending = new ArrayList<>();
    long headMax = Long.MIN_VALUE;
    long truncatedBefore = Long.MIN_VALUE;
    Long batchMinValid;

    StorageException.Kind append(Labels l, long t, double v) {
      if (batchMinValid == null) {
        long base = headMax == Long.MIN_VALUE ? t : headMax;
        batchMinValid = Math.max(base - RANGE / 2, truncatedBefore);
      }
      if (t < batchMinValid) {
        return StorageException.Kind.OUT_OF_BOUNDS;
      }
      existing.add(l);
      long bits = Double.doubleToRawLongBits(v);
      long lastT = Long.MIN_VALUE;
      long lastBits = 0;
      TreeMap<Long, Long> c = committed.get(l);
      if (c != null && !c.isEmpty()) {
        lastT = c.lastKey();
        lastBits = c.lastEntry().getValue();
      }
      long[] p = pendingLast.get(l);
      if (p != null && p[0] >= lastT) {
        lastT = p[0];
        lastBits = p[1];
      }
      if (t < lastT) {
        return StorageException.Kind.OUT_OF_ORDER;
      }
      if (t == lastT) {
        return bits == lastBits ? null : StorageException.Kind.DUPLICATE_SAMPLE;
      }
      pendingLast.put(l, new long[] {t, bits});
      pending.add(new Object[] {l, t, bits});
      return null;
    }

    void commit() {
      for (Object[] p : pending) {
        committed.computeIfAbsent((Labels) p[0], k -> new TreeMap<>()).put((Long) p[1], (Long) p[2]);
        headMax = Math.max(headMax, (Long) p[1]);
      }
      clear();
    }

    /** Series survive iff they have a sample at or after mint, or one pending in the open batch. */
    void truncate(long mint) {
      truncatedBefore = Math.max(truncatedBefore, mint);
      existing.removeIf(l -> {
        TreeMap<Long, Long> c = committed.get(l);
        boolean keep = (c != null && !c.isEmpty() && c.lastKey() >= mint) || pendingLast.containsKey(l);
        if (!keep) {
          committed.remove(l);
        }
        return !keep;
      });
    }

    void clear() {
      pending.clear();
      pendingLast.clear();
      batchMinValid = null;
    }

    Map<Labels, List<String>> query(long mint, long maxt, LabelMatcher... ms) {
      Map<Labels, List<String>> out = new LinkedHashMap<>();
      for (Labels l : existing) {
        boolean ok = true;
        for (LabelMatcher m : ms) {
          ok &= m.matches(l);
        }
        TreeMap<Long, Long> c = committed.get(l);
        if (!ok || c == null) {
          continue;
        }
        List<String> samples = new ArrayList<>();
        for (Map.Entry<Long, Long> e : c.subMap(mint, true, maxt, true).entrySet()) {
          samples.add(HeadTestSupport.sample(e.getKey(), Double.longBitsToDouble(e.getValue())));
        }
        if (!samples.isEmpty()) {
          out.put(l, samples);
        }
      }
      return out;
    }
  }

  private static final String[] JOBS = {"api", "db", "web"};
  private static final double[] SPECIAL = {Double.NaN, Double.longBitsToDouble(0x7ff0000000000002L),
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-310, 1.7e308};

  private static Labels randomLabels(Random r) {
    Labels.Builder b = new Labels.Builder().set("__name__", r.nextBoolean() ? "up" : "http_requests_total")
        .set("job", JOBS[r.nextInt(JOBS.length)]).set("instance", "i" + r.nextInt(4));
    if (r.nextInt(3) == 0) {
      b.set("env", r.nextBoolean() ? "prod" : "dev");
    }
    return b.build();
  }

  private static LabelMatcher randomMatcher(Random r) {
    switch (r.nextInt(9)) {
      case 0: return LabelMatcher.eq("job", JOBS[r.nextInt(3)]);
      case 1: return LabelMatcher.neq("job", JOBS[r.nextInt(3)]);
      case 2: return LabelMatcher.re("job", "api|db");
      case 3: return LabelMatcher.nre("instance", "i[01]");
      case 4: return LabelMatcher.eq("env", "");
      case 5: return LabelMatcher.neq("env", "");
      case 6: return LabelMatcher.re("__name__", "http.*");
      case 7: return LabelMatcher.re("env", "prod|");
      default: return LabelMatcher.nre("env", "d.*");
    }
  }

  @Test
  void everyQueryAgreesWithPrometheusRulesModel() {
    long removed = 0;
    for (int seed = 1; seed <= 8; seed++) {
      Random r = new Random(seed);
      Head head = new Head(HeadOptions.defaults().withChunkRange(RANGE).withSamplesPerChunk(8));
      Model model = new Model();
      Appender app = head.appender();
      long clock = 1_000_000 + r.nextInt(1000);
      for (int op = 0; op < 3000; op++) {
        int what = r.nextInt(100);
        if (what < 1) {
          long mint = clock - r.nextInt((int) RANGE);
          head.truncate(mint);
          model.truncate(mint);
        } else if (what < 8) {
          app.commit();
          model.commit();
        } else if (what < 10) {
          app.rollback();
          model.clear();
        } else {
          Labels l = randomLabels(r);
          long t;
          int tk = r.nextInt(10);
          if (tk < 6) {
            clock += 1 + r.nextInt(2000);
            t = clock;
          } else if (tk < 8) {
            t = clock - r.nextInt(3000); // maybe out of order or duplicate
          } else if (tk < 9) {
            t = clock - RANGE + r.nextInt((int) (RANGE / 4)); // probably out of bounds
          } else {
            t = clock;
          }
          double v = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextInt(5) == 0 ? 42 : r.nextGaussian();
          StorageException.Kind want = model.append(l, t, v);
          StorageException.Kind got = null;
          try {
            app.append(r.nextBoolean() ? 0 : 987654321L, l, t, v);
          } catch (StorageException e) {
            got = e.kind();
          }
          assertEquals(want, got, "seed " + seed + " op " + op + " " + l + " t=" + t);
        }
        if (op % 250 == 0) {
          checkQueries(r, head, model, clock, "seed " + seed + " op " + op);
        }
      }
      app.commit();
      model.commit();
      checkQueries(r, head, model, clock, "seed " + seed + " end");
      removed += head.metrics.seriesRemoved.sum();
    }
    assertTrue(removed > 0, "truncation removed series in some run");
  }

  private static void checkQueries(Random r, Head head, Model model, long clock, String where) {
    for (int q = 0; q < 10; q++) {
      long mint = Math.max(clock - r.nextInt(200_000), model.truncatedBefore); // truncation is per chunk
      long maxt = r.nextInt(4) == 0 ? Long.MAX_VALUE : mint + r.nextInt(200_000);
      if (r.nextInt(8) == 0 && model.truncatedBefore == Long.MIN_VALUE) {
        mint = Long.MIN_VALUE;
      }
      int nm = 1 + r.nextInt(3);
      LabelMatcher[] ms = new LabelMatcher[nm];
      for (int i = 0; i < nm; i++) {
        ms[i] = randomMatcher(r);
      }
      assertEquals(model.query(mint, maxt, ms), HeadTestSupport.dump(head, mint, maxt, ms),
          where + " query " + java.util.Arrays.toString(ms) + " [" + mint + "," + maxt + "]");
      checkSeek(r, head, model, mint, maxt, ms, where);
      checkReadFloats(r, head, model, mint, maxt, ms, where);
    }
    try (Querier qr = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      TreeSet<String> jobs = new TreeSet<>();
      for (Labels l : model.existing) {
        jobs.add(l.get("job"));
      }
      assertEquals(new ArrayList<>(jobs), qr.labelValues("job"), where);
    }
  }

  // The bulk read (readFloats, chunks decoded straight into the buffer) gives the model's samples in
  // a range inside the querier's, appended after what the buffer already holds.
  private static void checkReadFloats(Random r, Head head, Model model, long mint, long maxt, LabelMatcher[] ms, String where) {
    long from = r.nextBoolean() || mint == Long.MIN_VALUE ? mint : mint + r.nextInt(30_000);
    long to = r.nextBoolean() || maxt == Long.MAX_VALUE ? maxt : maxt - r.nextInt(30_000);
    Map<Labels, List<String>> want = model.query(mint, maxt, ms);
    try (Querier q = head.querier(mint, maxt)) {
      SeriesSet set = q.select(false, null, ms);
      SampleBuffer buf = new SampleBuffer(1);
      while (set.next()) {
        buf.clear();
        buf.add(-1, 0, 0); // a sample already in the buffer stays first
        assertTrue(set.at().readFloats(from, to, buf), where + " readFloats");
        List<String> expected = new ArrayList<>();
        expected.add(HeadTestSupport.sample(-1, 0));
        for (String s : want.get(set.at().labels())) {
          long t = parseT(s);
          if (t >= from && t <= to) {
            expected.add(s);
          }
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < buf.size(); i++) {
          got.add(HeadTestSupport.sample(buf.times()[i], buf.values()[i]));
        }
        assertEquals(expected, got, where + " readFloats [" + from + "," + to + "] of " + set.at().labels());
      }
    }
  }

  // Seeking to random targets gives the model's first sample at or after the target.
  private static void checkSeek(Random r, Head head, Model model, long mint, long maxt, LabelMatcher[] ms, String where) {
    Map<Labels, List<String>> want = model.query(mint, maxt, ms);
    try (Querier q = head.querier(mint, maxt)) {
      SeriesSet set = q.select(false, null, ms);
      while (set.next()) {
        List<String> samples = want.get(set.at().labels());
        ChunkIterator it = set.at().iterator(null);
        long last = Long.MIN_VALUE;
        int idx = 0;
        for (int k = 0; k < 5; k++) {
          long target = Math.max(last, samples.isEmpty() ? 0 : parseT(samples.get(r.nextInt(samples.size()))) + r.nextInt(3) - 1);
          while (idx < samples.size() && parseT(samples.get(idx)) < target) {
            idx++;
          }
          ValueType vt = it.seek(target);
          if (idx >= samples.size()) {
            assertEquals(ValueType.NONE, vt, where + " seek " + target);
            break;
          }
          assertEquals(ValueType.FLOAT, vt, where + " seek " + target);
          assertEquals(samples.get(idx), HeadTestSupport.sample(it.atT(), it.atV()), where + " seek " + target);
          last = target;
        }
        assertNull(it.err());
      }
    }
  }

  private static long parseT(String s) {
    return Long.parseLong(s.substring(0, s.indexOf('=')));
  }
}
