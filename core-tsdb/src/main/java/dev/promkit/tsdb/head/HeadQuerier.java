package dev.promkit.tsdb.head;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SampleBuffer;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.Series;
import dev.promkit.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/** Reads the head in [mint, maxt]: postings select the series, chunks give the samples. */
final class HeadQuerier implements Querier {
  private final Head head;
  private final long mint;
  private final long maxt;
  private volatile boolean closed;

  HeadQuerier(Head head, long mint, long maxt) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, LabelMatcher... matchers) {
    checkOpen();
    if (mint > maxt) {
      return SeriesSet.empty();
    }
    RoaringBitmap ids = head.postings.select(matchers);
    HeadSeriesIterator probe = new HeadSeriesIterator();
    IntIterator it = ids.getIntIterator();
    if (!sorted) {
      // lazy: series are looked up and checked one at a time, in ref order
      return new SeriesSet() {
        private HeadSeries cur;

        @Override
        public boolean next() {
          while (it.hasNext()) {
            cur = inRange(head.store.get(it.next()), probe);
            if (cur != null) {
              return true;
            }
          }
          cur = null;
          return false;
        }

        @Override
        public Series at() {
          return cur;
        }
      };
    }
    List<HeadSeries> out = new ArrayList<>();
    while (it.hasNext()) {
      HeadSeries hs = inRange(head.store.get(it.next()), probe);
      if (hs != null) {
        out.add(hs);
      }
    }
    out.sort(Comparator.comparing(HeadSeries::labels));
    return SeriesSet.of(out);
  }

  // The series as a query result when it has a visible sample in range, else null.
  private HeadSeries inRange(MemSeries s, HeadSeriesIterator probe) {
    if (s == null) {
      return null; // removed after the postings were read
    }
    long upTo = Math.min(maxt, s.visibleMaxT); // before chunks: see MemSeries.visibleMaxT
    HeadChunk[] chunks = s.chunks;
    if (upTo >= mint && hasSamples(chunks, upTo, probe)) {
      return new HeadSeries(s.labels, s, mint, maxt);
    }
    return null;
  }

  // Whether the series has a visible sample in range; decodes only when chunk bounds cannot tell.
  private boolean hasSamples(HeadChunk[] chunks, long upTo, HeadSeriesIterator probe) {
    for (HeadChunk c : chunks) {
      if (c.visibleCount() > 0 && c.minTime >= mint && c.maxTime <= upTo) {
        return true; // a visible chunk entirely inside the range
      }
    }
    return probe.reset(chunks, mint, upTo).next() == ValueType.FLOAT;
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    checkOpen();
    return head.postings.labelNames(matchers.length == 0 ? null : head.postings.select(matchers));
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    checkOpen();
    return head.postings.labelValues(name, matchers.length == 0 ? null : head.postings.select(matchers));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("querier is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  /** A selected series; its iterator snapshots the chunks when created. */
  static final class HeadSeries implements Series {
    private final Labels labels;
    private final MemSeries series;
    private final long mint;
    private final long maxt;

    HeadSeries(Labels labels, MemSeries series, long mint, long maxt) {
      this.labels = labels;
      this.series = series;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public ChunkIterator iterator(ChunkIterator reuse) {
      HeadSeriesIterator it = reuse instanceof HeadSeriesIterator ? (HeadSeriesIterator) reuse : new HeadSeriesIterator();
      long upTo = Math.min(maxt, series.visibleMaxT); // before chunks: see MemSeries.visibleMaxT
      return it.reset(series.chunks, mint, upTo);
    }

    /**
     * Bulk path: each chunk overlapping the range is decoded whole, up to the count published when
     * it is reached (the iterator's snapshot rules), straight into {@code out}'s arrays, and clipped
     * there only when it reaches outside the range. Chunks with start timestamps and unreadable
     * chunks take the iterator path (which carries the former and reports the latter).
     */
    @Override
    public boolean readFloats(long from, long to, SampleBuffer out) {
      long upTo = Math.min(maxt, series.visibleMaxT); // before chunks: see MemSeries.visibleMaxT
      HeadChunk[] chunks = series.chunks;
      long lo = Math.max(from, mint);
      long hi = Math.min(to, upTo);
      int start = out.size();
      for (HeadChunk c : chunks) {
        int n = c.visibleCount();
        if (n == 0 || c.maxTime < lo) {
          continue;
        }
        if (c.minTime > hi) {
          break;
        }
        int at;
        int k;
        try {
          if (c.sts != null) { // read after the count's acquire, as the iterator does
            out.setSize(start);
            return Series.super.readFloats(from, to, out);
          }
          at = out.reserve(n);
          k = c.decodeAll(n, out.times(), out.values(), at);
        } catch (RuntimeException e) {
          out.setSize(start);
          return Series.super.readFloats(from, to, out);
        }
        out.setSizeWithin(at, k, lo, hi);
      }
      return true;
    }
  }
}
