package dev.promkit.tsdb.head;

import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.StartTimestamps;
import dev.promkit.tsdb.chunkenc.ValueType;

/**
 * Iterates a series' samples in [mint, maxt] across its chunks, each chunk up to the count that
 * was published when the iterator entered it. Reusable across series through {@link #reset}.
 */
final class HeadSeriesIterator implements ChunkIterator {
  private HeadChunk[] chunks;
  private int ci;
  private long mint;
  private long maxt;
  private ChunkIterator cur; // iterator of chunks[ci], or null before the first chunk
  private ChunkIterator spare; // a chunk iterator kept for reuse
  private boolean done;
  private boolean positioned; // cur holds a sample within [mint, maxt]
  private Throwable err;
  // Start timestamps of the current chunk when it has any (else null), decoded into sts on the
  // first atST() (a reader that never asks pays nothing), and the index in that chunk of cur's
  // sample: chunks without start timestamps cost one counter increment per sample.
  private StartTimestamps stChunk;
  private int stCount;
  private long[] sts;
  private long[] stScratch;
  private int idx;

  HeadSeriesIterator reset(HeadChunk[] chunks, long mint, long maxt) {
    this.chunks = chunks;
    this.ci = -1;
    this.mint = mint;
    this.maxt = maxt;
    if (cur != null) {
      spare = cur;
    }
    this.cur = null;
    this.done = false;
    this.positioned = false;
    this.err = null;
    this.stChunk = null;
    this.sts = null;
    return this;
  }

  @Override
  public ValueType next() {
    if (done) {
      return ValueType.NONE;
    }
    if (cur != null && cur.next() == ValueType.FLOAT) {
      idx++;
      return checkUpper();
    }
    return nextChunk(mint);
  }

  @Override
  public ValueType seek(long t) {
    if (done) {
      return ValueType.NONE;
    }
    long target = Math.max(t, mint);
    if (cur != null) {
      if (positioned && cur.atT() >= target) {
        return ValueType.FLOAT; // already there
      }
      if (chunks[ci].maxTime >= target && seekInChunk(target) == ValueType.FLOAT) {
        return checkUpper();
      }
    }
    return nextChunk(target);
  }

  // Moves to the next chunk that may hold a sample >= from, and to that sample.
  private ValueType nextChunk(long from) {
    if (cur != null && cur.err() != null) {
      return fail(cur.err());
    }
    while (++ci < chunks.length) {
      HeadChunk c = chunks[ci];
      int n = c.visibleCount();
      if (n == 0 || c.maxTime < from) {
        continue;
      }
      if (c.minTime > maxt) {
        break;
      }
      ChunkIterator it = c.iterator(n, cur != null ? cur : spare);
      cur = it;
      idx = -1;
      stChunk = c.sts; // read after the count's acquire: covers samples [0, n) if not null
      stCount = n;
      sts = null;
      if (seekInChunk(from) == ValueType.FLOAT) {
        return checkUpper();
      }
      if (it.err() != null) {
        return fail(it.err());
      }
    }
    done = true;
    positioned = false;
    return ValueType.NONE;
  }

  // The chunk iterator's seek (stay on a sample at or after t, else advance), counting samples.
  private ValueType seekInChunk(long t) {
    if (idx >= 0 && cur.atT() >= t) {
      return ValueType.FLOAT;
    }
    do {
      if (cur.next() != ValueType.FLOAT) {
        return ValueType.NONE;
      }
      idx++;
    } while (cur.atT() < t);
    return ValueType.FLOAT;
  }

  private ValueType checkUpper() {
    if (cur.atT() > maxt) {
      done = true;
      positioned = false;
      return ValueType.NONE;
    }
    positioned = true;
    return ValueType.FLOAT;
  }

  private ValueType fail(Throwable e) {
    err = e;
    done = true;
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    return cur.atT();
  }

  @Override
  public double atV() {
    return cur.atV();
  }

  @Override
  public long atST() {
    if (stChunk == null) {
      return 0;
    }
    if (sts == null) {
      if (stScratch == null || stScratch.length < stCount) {
        stScratch = new long[Math.max(stCount, 128)];
      }
      stChunk.decode(stCount, stScratch);
      sts = stScratch;
    }
    return sts[idx];
  }

  @Override
  public Throwable err() {
    return err;
  }
}
