package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Writers append value == timestamp while readers query: a torn sample would show a value that
 * differs from its timestamp, a lost one a gap; counts seen by a reader never go backwards. Two
 * readers iterate, one reads in bulk ({@code readFloats}).
 */
class HeadConcurrencyTest {
  @Test
  void readersNeverSeeTornLostOrUncommittedSamples() throws Exception {
    Head head = new Head(HeadOptions.defaults().withSamplesPerChunk(16));
    int writers = 2;
    int seriesPerWriter = 20;
    int samples = 3000;
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Thread[] ws = new Thread[writers];
    for (int w = 0; w < writers; w++) {
      int id = w;
      ws[w] = new Thread(() -> {
        try {
          Appender app = head.appender();
          long[] refs = new long[seriesPerWriter];
          for (int i = 1; i <= samples; i++) {
            for (int s = 0; s < seriesPerWriter; s++) {
              long t = i * 1000L;
              // values with changing bit patterns, still recoverable from t
              refs[s] = app.append(refs[s], Labels.of("__name__", "m", "w", "" + id, "s", "" + s), t, t * 1.000001);
            }
            if (i % 7 == 0) {
              app.commit();
            }
          }
          app.commit();
        } catch (Throwable e) {
          errors.add(e);
        }
      });
    }
    Thread[] rs = new Thread[3];
    for (int r = 0; r < rs.length; r++) {
      boolean bulk = r == 2; // the third reader reads through readFloats (chunks decoded in bulk)
      rs[r] = new Thread(() -> {
        Map<Labels, Integer> lastCount = new HashMap<>();
        ChunkIterator reuse = null;
        SampleBuffer buf = new SampleBuffer(16);
        try {
          while (!stop.get()) {
            try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
              SeriesSet set = q.select(false, null, LabelMatcher.eq("__name__", "m"));
              while (set.next()) {
                int n = 0;
                if (bulk) {
                  buf.clear();
                  if (!set.at().readFloats(Long.MIN_VALUE, Long.MAX_VALUE, buf)) {
                    throw new AssertionError("readFloats stopped early: " + buf.error());
                  }
                  for (int i = 0; i < buf.size(); i++) {
                    long expect = 1000L * (i + 1);
                    if (buf.times()[i] != expect || buf.values()[i] != expect * 1.000001) {
                      throw new AssertionError(set.at().labels() + " torn or lost in bulk: t=" + buf.times()[i]
                          + " v=" + buf.values()[i] + " expected t=" + expect);
                    }
                  }
                  n = buf.size();
                } else {
                  reuse = set.at().iterator(reuse);
                  long expect = 1000;
                  while (reuse.next() == ValueType.FLOAT) {
                    if (reuse.atT() != expect || reuse.atV() != expect * 1.000001) {
                      throw new AssertionError(set.at().labels() + " torn or lost: t=" + reuse.atT()
                          + " v=" + reuse.atV() + " expected t=" + expect);
                    }
                    expect += 1000;
                    n++;
                  }
                  if (reuse.err() != null) {
                    throw new AssertionError(reuse.err());
                  }
                }
                Integer prev = lastCount.put(set.at().labels(), n);
                if (prev != null && prev > n) {
                  throw new AssertionError("count went back from " + prev + " to " + n);
                }
                if (n % 7 != 0 && n != samples) {
                  throw new AssertionError("saw a partial commit within one series: " + n);
                }
              }
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
    }
    for (Thread t : rs) {
      t.start();
    }
    for (Thread t : ws) {
      t.start();
    }
    for (Thread t : ws) {
      t.join(60_000);
    }
    stop.set(true);
    for (Thread t : rs) {
      t.join(60_000);
    }
    assertTrue(errors.isEmpty(), () -> errors.peek().toString());
    Map<Labels, java.util.List<String>> all = HeadTestSupport.dump(head, Long.MIN_VALUE, Long.MAX_VALUE,
        LabelMatcher.eq("__name__", "m"));
    assertEquals(writers * seriesPerWriter, all.size());
    for (java.util.List<String> s : all.values()) {
      assertEquals(samples, s.size());
    }
  }
}
