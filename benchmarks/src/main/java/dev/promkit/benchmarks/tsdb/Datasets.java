package dev.promkit.benchmarks.tsdb;

import java.util.Random;

/** Sample sequences shaped like real scrapes, shared by the TSDB benchmarks and reports. */
final class Datasets {
  private Datasets() {}

  static final class Series {
    final long[] ts;
    final double[] vs;

    Series(long[] ts, double[] vs) {
      this.ts = ts;
      this.vs = vs;
    }
  }

  /** A request counter scraped every 15 s exactly: integer increments of 0..40 per scrape. */
  static Series counter(int n, long seed) {
    Random r = new Random(seed);
    long[] ts = new long[n];
    double[] vs = new double[n];
    long t = 1_700_000_000_000L;
    double v = r.nextInt(100_000);
    for (int i = 0; i < n; i++) {
      ts[i] = t;
      vs[i] = v;
      t += 15_000;
      v += r.nextInt(41);
    }
    return new Series(ts, vs);
  }

  /** A gauge (e.g. memory bytes or a load average) scraped every 15 s ± 50 ms. */
  static Series jitteryGauge(int n, long seed) {
    Random r = new Random(seed);
    long[] ts = new long[n];
    double[] vs = new double[n];
    long base = 1_700_000_000_000L;
    double v = 0.5 + r.nextDouble();
    for (int i = 0; i < n; i++) {
      ts[i] = base + i * 15_000L + r.nextInt(101) - 50;
      v = Math.max(0, v + r.nextGaussian() * 0.05);
      vs[i] = v;
    }
    return new Series(ts, vs);
  }

  /**
   * The worst case for the decoder: irregular timestamps (0..2000 s apart, every delta-of-delta in a
   * different bucket) and random full-precision values (about 57 significant bits each).
   */
  static Series random(int n, long seed) {
    Random r = new Random(seed);
    long[] ts = new long[n];
    double[] vs = new double[n];
    long t = 1_700_000_000_000L;
    for (int i = 0; i < n; i++) {
      t += 1 + r.nextInt(2_000_000);
      ts[i] = t;
      vs[i] = r.nextDouble() * 1e6;
    }
    return new Series(ts, vs);
  }

  /**
   * Prometheus' own decode benchmark data (tsdb/chunkenc/chunk_test.go, benchmarkIterator behind
   * BenchmarkXORIterator): timestamps from 1234123324 in steps of exactly 1000 ms, values from
   * 1243535.123 in steps of exactly +100. (Prometheus puts 250 samples in one chunk; we cut at n.)
   */
  static Series prometheus(int n) {
    long[] ts = new long[n];
    double[] vs = new double[n];
    long t = 1234123324L;
    double v = 1243535.123;
    for (int i = 0; i < n; i++) {
      t += 1000;
      v += 100;
      ts[i] = t;
      vs[i] = v;
    }
    return new Series(ts, vs);
  }

  /** A constant gauge (e.g. {@code up}) scraped every 15 s exactly: Gorilla's cheapest stream. */
  static Series constant(int n) {
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L;
      vs[i] = 1;
    }
    return new Series(ts, vs);
  }

  /**
   * Data set by name: counter, prometheus (BenchmarkXORIterator's shape), constant, gauge (jittery),
   * jittercounter (counter with ±50 ms jitter) or random.
   */
  static Series named(String name, int n, long seed) {
    switch (name) {
      case "counter": return counter(n, seed);
      case "prometheus": return prometheus(n);
      case "constant": return constant(n);
      case "jittercounter": return jitteryCounter(n, seed);
      case "gauge": return jitteryGauge(n, seed);
      case "random": return random(n, seed);
      default: throw new IllegalArgumentException("unknown data set " + name);
    }
  }

  /** A counter with ±50 ms jitter. */
  static Series jitteryCounter(int n, long seed) {
    Series c = counter(n, seed);
    Random r = new Random(seed + 1);
    for (int i = 0; i < n; i++) {
      c.ts[i] += r.nextInt(101) - 50;
    }
    return c;
  }

  /** A gauge every 15 s exactly, with 3 significant decimals (e.g. memory in MiB). */
  static Series regularGauge(int n, long seed) {
    Random r = new Random(seed);
    long[] ts = new long[n];
    double[] vs = new double[n];
    long t = 1_700_000_000_000L;
    double v = 512;
    for (int i = 0; i < n; i++) {
      ts[i] = t;
      t += 15_000;
      v = Math.max(0, v + r.nextInt(201) - 100);
      vs[i] = v * 1.5;
    }
    return new Series(ts, vs);
  }
}
