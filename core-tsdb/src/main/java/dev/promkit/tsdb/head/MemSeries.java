package dev.promkit.tsdb.head;

import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.chunkenc.XorEncoderState;
import dev.promkit.tsdb.labels.Labels;
import java.util.Arrays;

/**
 * One series in the head: labels, chunks, and the state that decides acceptance and chunk cuts.
 * Appending happens under {@code synchronized (series)}; readers take {@link #chunks} (a volatile,
 * copy-on-write array) and each chunk's published count, without locking.
 *
 * <p>The open chunk's encoder state is this object's own (inherited) fields, and its newest sample
 * ({@code lastT}, {@code lastVBits}) is both the encoder's previous sample and what acceptance
 * checks compare with: the open chunk costs only its {@link HeadChunk} and its byte array.
 */
final class MemSeries extends XorEncoderState {
  static final int OK = 0;
  static final int IDENTICAL = 1; // same timestamp and value bits as the newest sample: a no-op
  static final int DUPLICATE = 2;
  static final int OUT_OF_ORDER = 3;

  private static final HeadChunk[] NO_CHUNKS = new HeadChunk[0];

  final int ref; // refs are ints from 1 (SeriesStore)
  final Labels labels;

  // Readers' view: oldest first; replaced (never mutated) on cut and truncation.
  volatile HeadChunk[] chunks = NO_CHUNKS;

  // Newest committed timestamp, published once per series per commit: readers stop there, so a
  // commit becomes visible whole within a series. Read it before chunks (acquire, then the
  // chunk counts are at least as new).
  volatile long visibleMaxT = Long.MIN_VALUE;

  // Writer state, guarded by this.
  private long nextAt = Long.MIN_VALUE;
  int pending; // samples of uncommitted batches; garbage collection leaves such series alone
  boolean dirty; // appended to by the commit in progress, not yet published
  boolean removed; // dropped by garbage collection; appenders must look the series up again

  MemSeries(int ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** Timestamp of the newest sample. Caller holds the lock. */
  long lastT() {
    return lastT;
  }

  /** Raw value bits of the newest sample. Caller holds the lock. */
  long lastVBits() {
    return lastVBits;
  }

  /** Whether (t, v) may follow the newest sample: OK, IDENTICAL, DUPLICATE or OUT_OF_ORDER. */
  static int appendable(long lastT, long lastVBits, long t, long vbits) {
    if (t > lastT) {
      return OK;
    }
    if (t == lastT) {
      return vbits == lastVBits ? IDENTICAL : DUPLICATE;
    }
    return OUT_OF_ORDER;
  }

  /**
   * Appends an in-order sample (caller holds the lock and checked {@link #appendable}), cutting a
   * new chunk as Prometheus' appendPreprocessor does. Returns true when a chunk was created.
   */
  boolean append(long t, double v, long chunkRange, int samplesPerChunk) {
    return append(t, v, 0, chunkRange, samplesPerChunk);
  }

  /** As {@link #append(long, double, long, int)}, with the sample's start timestamp (0: unknown). */
  boolean append(long t, double v, long st, long chunkRange, int samplesPerChunk) {
    boolean created = false;
    HeadChunk c = openChunk();
    if (c == null) {
      c = cut(t, chunkRange);
      created = true;
    } else if (xorByteLength() > XorChunk.MAX_BYTES - XorChunk.MAX_SAMPLE_BYTES) {
      // hard cap: assume the next sample could be the largest possible one
      c = cut(t, chunkRange);
      created = true;
    }
    int n = c.writerCount();
    if (n == samplesPerChunk / 4) {
      // a quarter full: predict an end that spreads the rest of the range evenly over chunks
      nextAt = computeChunkEndTime(c.minTime, c.maxTime, nextAt, 4);
    }
    if (n > 0 && (t >= nextAt || n >= 2 * samplesPerChunk)) {
      c = cut(t, chunkRange);
      created = true;
      n = 0;
    }
    byte[] b = c.bytes;
    byte[] grown = xorAppend(b, n, t, v); // sets lastT and lastVBits
    if (grown != b) {
      c.bytes = grown; // volatile: published with its contents, before the count
    }
    c.appendStartTimestamp(n, st);
    c.publish(t, n + 1);
    return created;
  }

  private HeadChunk cut(long mint, long chunkRange) {
    HeadChunk prev = openChunk();
    if (prev != null) {
      prev.bytes = xorTrim(prev.bytes); // complete: exactly its bytes from now on
      if (prev.sts != null) {
        prev.sts.compact();
      }
    }
    HeadChunk c = new HeadChunk(xorStart(), mint);
    nextAt = rangeForTimestamp(mint, chunkRange);
    HeadChunk[] old = chunks;
    HeadChunk[] next = Arrays.copyOf(old, old.length + 1);
    next[old.length] = c;
    // The new chunk is published empty; its first sample becomes visible with its count.
    chunks = next;
    return c;
  }

  /** Drops whole chunks ending before mint; returns how many. Caller holds the lock. */
  int truncateChunksBefore(long mint) {
    HeadChunk[] cs = chunks;
    int drop = 0;
    while (drop < cs.length && cs[drop].maxTime < mint) {
      drop++; // chunks are in time order: stop at the first one reaching mint
    }
    if (drop == 0) {
      return 0;
    }
    chunks = Arrays.copyOfRange(cs, drop, cs.length);
    return drop;
  }

  /** A copy of a chunk's encoded bytes, the open one's as far as written. Caller holds the lock. */
  byte[] chunkBytes(HeadChunk c) {
    return c == openChunk() ? Arrays.copyOf(c.bytes, xorByteLength()) : c.completeBytes();
  }

  /** Bytes of a chunk as Prometheus counts them. Caller holds the lock. */
  int chunkByteLength(HeadChunk c) {
    return c == openChunk() ? xorByteLength() : c.bytes.length;
  }

  /** Caller holds the lock. */
  boolean isEmpty() {
    return chunks.length == 0;
  }

  // The chunk being appended to: the newest (cuts append, truncation drops from the front), or
  // null when there is none. Writer only; no field of its own, to keep the object at 80 bytes.
  private HeadChunk openChunk() {
    HeadChunk[] cs = chunks;
    return cs.length == 0 ? null : cs[cs.length - 1];
  }

  /** Prometheus' rangeForTimestamp: the first multiple of width after t's range. */
  static long rangeForTimestamp(long t, long width) {
    return (t / width) * width + width;
  }

  /** Prometheus' computeChunkEndTime (float arithmetic kept as in Go). */
  static long computeChunkEndTime(long start, long cur, long maxT, double ratioToFull) {
    double n = (double) (maxT - start) / ((double) (cur - start + 1) * ratioToFull);
    if (n <= 1) {
      return maxT;
    }
    return (long) ((double) start + (double) (maxT - start) / Math.floor(n));
  }
}
