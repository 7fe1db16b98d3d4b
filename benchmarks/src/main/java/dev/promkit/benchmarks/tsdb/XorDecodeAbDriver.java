package dev.promkit.benchmarks.tsdb;

import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.XorChunk;
import java.util.Random;
import java.util.function.LongUnaryOperator;

/**
 * One side of {@link XorDecodeAb}: defined once per class loader, it uses only the chunkenc API
 * that every version has and builds its data itself (the same series as {@link Datasets}), so it
 * runs against an older jar too. Kinds: counter, prometheus, constant, gauge, random; {@code counter:SEED}
 * for a counter drawn with another seed. {@code applyAsLong(reps << 1 | mode)}: mode 0 iterates, 1 calls
 * {@code decodeAll}; returns a sink.
 */
public final class XorDecodeAbDriver implements LongUnaryOperator {
  static final int N = 120;

  private final XorChunk c;
  private ChunkIterator reuse;
  private final long[] outT = new long[N];
  private final double[] outV = new double[N];

  public XorDecodeAbDriver(String kind) {
    // "counter:7": the counter with another seed (realistic counters differ in how often their
    // increments open a new XOR window; seed 1 opens few)
    int colon = kind.indexOf(':');
    Random r = new Random(colon < 0 ? 1 : Long.parseLong(kind.substring(colon + 1)));
    kind = colon < 0 ? kind : kind.substring(0, colon);
    long[] ts = new long[N];
    double[] vs = new double[N];
    if (kind.equals("counter")) {
      long t = 1_700_000_000_000L;
      double v = r.nextInt(100_000);
      for (int i = 0; i < N; i++) {
        ts[i] = t;
        vs[i] = v;
        t += 15_000;
        v += r.nextInt(41);
      }
    } else if (kind.equals("prometheus")) { // BenchmarkXORIterator's data, as Datasets.prometheus
      long t = 1234123324L;
      double v = 1243535.123;
      for (int i = 0; i < N; i++) {
        t += 1000;
        v += 100;
        ts[i] = t;
        vs[i] = v;
      }
    } else if (kind.equals("constant")) {
      for (int i = 0; i < N; i++) {
        ts[i] = 1_700_000_000_000L + i * 15_000L;
        vs[i] = 1;
      }
    } else if (kind.equals("gauge")) {
      double v = 0.5 + r.nextDouble();
      for (int i = 0; i < N; i++) {
        ts[i] = 1_700_000_000_000L + i * 15_000L + r.nextInt(101) - 50;
        v = Math.max(0, v + r.nextGaussian() * 0.05);
        vs[i] = v;
      }
    } else {
      long t = 1_700_000_000_000L;
      for (int i = 0; i < N; i++) {
        t += 1 + r.nextInt(2_000_000);
        ts[i] = t;
        vs[i] = r.nextDouble() * 1e6;
      }
    }
    c = new XorChunk(256);
    ChunkAppender a = c.appender();
    for (int i = 0; i < N; i++) {
      a.append(ts[i], vs[i]);
    }
    c.compact();
    reuse = c.iterator(null);
  }

  @Override
  public long applyAsLong(long arg) {
    int reps = (int) (arg >>> 1);
    long sink = 0;
    if ((arg & 1) == 0) {
      for (int k = 0; k < reps; k++) {
        ChunkIterator it = c.iterator(reuse);
        reuse = it;
        long acc = 0; // integer chain, as XorChunkBenchmark.decode
        while (it.next() == ValueType.FLOAT) {
          acc ^= Double.doubleToRawLongBits(it.atV()) ^ it.atT();
        }
        sink += acc;
      }
    } else {
      for (int k = 0; k < reps; k++) {
        int n = c.decodeAll(outT, outV);
        sink += outT[n - 1] ^ Double.doubleToRawLongBits(outV[n - 1]);
      }
    }
    return sink;
  }
}
