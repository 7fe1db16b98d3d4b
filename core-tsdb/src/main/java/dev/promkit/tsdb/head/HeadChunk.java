package dev.promkit.tsdb.head;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.StartTimestamps;
import dev.promkit.tsdb.chunkenc.XorChunk;
import java.util.Arrays;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One XOR chunk of a series in memory: its bytes, time range and the sample count readers may see.
 * Written by the series' appending thread under the series lock (the encoder state of the open
 * chunk lives in its {@link MemSeries}); read lock-free by queries. A complete chunk's array holds
 * exactly its bytes; the open chunk's array may have spare room at the end.
 */
final class HeadChunk {
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(HeadChunk.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The chunk's array: replaced (never shrunk in place) when the open chunk grows and when it is
  // trimmed at completion. Volatile so that a reader never sees a new array without its contents.
  volatile byte[] bytes;
  final long minTime;
  long maxTime = Long.MIN_VALUE; // written before each count release, so never behind count
  // Start timestamps of the samples, created by the first sample that has one (null: all 0).
  // Set before the count release that publishes that sample, so a reader that acquired a count
  // and then sees null knows that none of those samples has one.
  StartTimestamps sts;
  @SuppressWarnings("unused") // accessed through COUNT
  private int count;

  HeadChunk(byte[] bytes, long minTime) {
    this.bytes = bytes;
    this.minTime = minTime;
  }

  /** Writer: records the start timestamp of sample {@code index} (0-based), before its publish. */
  void appendStartTimestamp(int index, long st) {
    StartTimestamps s = sts;
    if (s == null) {
      if (st == 0) {
        return; // no side stream until some sample has a start timestamp
      }
      s = new StartTimestamps(index);
      sts = s;
    }
    s.append(st);
  }

  /** Writer: makes the sample just encoded visible (release: its bytes before the count). */
  void publish(long t, int n) {
    maxTime = t;
    COUNT.setRelease(this, n);
  }

  /** Readers: samples visible now (acquire: their bytes are visible too). */
  int visibleCount() {
    return (int) COUNT.getAcquire(this);
  }

  /** Writer thread: samples appended so far. */
  int writerCount() {
    return (int) COUNT.get(this);
  }

  ChunkIterator iterator(int n, ChunkIterator reuse) {
    return XorChunk.iterator(bytes, n, reuse);
  }

  /** Decodes the first {@code n} samples (a count from {@link #visibleCount}) into ts/vs from off. */
  int decodeAll(int n, long[] ts, double[] vs, int off) {
    return XorChunk.decodeAll(bytes, n, ts, vs, off);
  }

  /** A copy of the encoded bytes of a complete chunk (the open one: see MemSeries#chunkBytes). */
  byte[] completeBytes() {
    byte[] b = bytes;
    return Arrays.copyOf(b, b.length);
  }
}
