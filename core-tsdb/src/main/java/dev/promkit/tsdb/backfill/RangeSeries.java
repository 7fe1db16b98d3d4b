package dev.promkit.tsdb.backfill;

import dev.promkit.tsdb.block.BlockWriter.TimedChunk;
import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.XorChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * One series' samples within one block range: the XOR chunks, cut where Prometheus 2.42's head cuts them
 * (a quarter full: predict the end; at twice the target; never across the chunk range; unlike the
 * head of core-tsdb and of later Prometheus versions, no cut before 1 KiB, so that chunks equal promtool's),
 * and the state that reproduces promtool's acceptance rules (see {@link Backfill}).
 */
final class RangeSeries {
  static final int SAMPLES_PER_CHUNK = 120;

  final SeriesEntry series;
  private final List<TimedChunk> done = new ArrayList<>(4);
  private XorChunk chunk;
  private ChunkAppender app;
  private long chunkMin;
  private int chunkCount;
  private long nextAt;
  long samples;

  // newest accepted sample (committed or pending) and the newest committed one
  long maxT = Long.MIN_VALUE;
  long lastBits;
  long committedMaxT = Long.MIN_VALUE;
  long committedBits;
  boolean hasCommitted;
  long pendingEpoch = -1; // the range's commit epoch of this series' last append

  RangeSeries(SeriesEntry series) {
    this.series = series;
  }

  /** Appends an in-order sample (t greater than every accepted one). */
  void append(long t, double v, long chunkRange) {
    if (chunk == null) {
      cut(t, chunkRange);
    }
    if (chunkCount == SAMPLES_PER_CHUNK / 4) {
      nextAt = computeChunkEndTime(chunkMin, maxT, nextAt);
    }
    if (chunkCount > 0 && (t >= nextAt || chunkCount >= 2 * SAMPLES_PER_CHUNK)) {
      finishChunk();
      cut(t, chunkRange);
    }
    app.append(t, v);
    chunkCount++;
    samples++;
    maxT = t;
    lastBits = Double.doubleToRawLongBits(v);
  }

  private void cut(long t, long chunkRange) {
    chunk = new XorChunk(SAMPLES_PER_CHUNK * 2);
    app = chunk.appender();
    chunkMin = t;
    chunkCount = 0;
    nextAt = (t / chunkRange) * chunkRange + chunkRange; // Prometheus' rangeForTimestamp
  }

  private void finishChunk() {
    chunk.compact();
    done.add(new TimedChunk(chunk, chunkMin, maxT));
    chunk = null;
    app = null;
  }

  /** The chunks, oldest first (closes the open one). */
  List<TimedChunk> chunks() {
    if (chunk != null) {
      finishChunk();
    }
    return done;
  }

  /** Prometheus' computeChunkEndTime with a ratio of 4 (float arithmetic as in Go). */
  static long computeChunkEndTime(long start, long cur, long maxT) {
    double n = (double) (maxT - start) / ((double) (cur - start + 1) * 4);
    if (n <= 1) {
      return maxT;
    }
    return (long) ((double) start + (double) (maxT - start) / Math.floor(n));
  }
}
