package dev.promkit.tsdb.head;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.StorageException;
import java.util.Arrays;
import org.agrona.collections.Long2LongHashMap;

/**
 * Buffers a batch of samples; {@link #commit()} logs it through the {@link HeadLog} and then applies
 * it to the series. Checks follow Prometheus' head appender: out of bounds against the appendable
 * window, then out of order and duplicate against the newest sample of the series, counting this
 * batch's own pending samples too (Prometheus only notices those at commit and drops them silently;
 * here the append that causes it fails). Reusable after commit and rollback; one thread at a time.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private final boolean[] created = new boolean[1];

  // pending samples, in append order
  private MemSeries[] pSeries = new MemSeries[64];
  private long[] pRefs = new long[64];
  private long[] pTs = new long[64];
  private double[] pVs = new double[64];
  // start timestamps, valid while stUsed (set by the first sample of a batch that has one; batches
  // without any never touch the array, which is kept for reuse)
  private long[] pSts;
  private boolean stUsed;
  private int n;
  // series ref -> index of its newest pending sample (primitive map: no boxing per append). Built
  // only once a series with pending samples is appended to again: a batch with each series once
  // (a scrape) never pays for the map.
  private final Long2LongHashMap lastPending = new Long2LongHashMap(64, 0.65f, -1L);
  private boolean indexed;

  // series created by this batch, logged at commit or rollback
  private long[] cRefs = new long[8];
  private Labels[] cLabels = new Labels[8];
  private int cn;

  private MemSeries[] touched = new MemSeries[16];

  private long minValidTime;
  private boolean minValidSet;

  HeadAppender(Head head) {
    this.head = head;
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    return append(ref, labels, 0, t, v);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The start timestamp is kept with the sample in memory and returned by the head's iterators;
   * it is not written to the WAL (Prometheus 2.x's record types have no field for it), so samples
   * replayed after a restart, and blocks cut from the head, have 0 (unknown).
   */
  @Override
  public long append(long ref, Labels labels, long st, long t, double v) {
    if (!minValidSet) {
      minValidTime = head.appendableMinValidTime(t);
      minValidSet = true;
    }
    if (t < minValidTime) {
      head.metrics.outOfBounds.increment();
      throw new StorageException(StorageException.Kind.OUT_OF_BOUNDS,
          "out of bounds: sample at t=" + t + " is older than the appendable window's start "
              + minValidTime + " for series " + describe(ref, labels));
    }
    long vbits = Double.doubleToRawLongBits(v);
    MemSeries s = resolve(ref, labels);
    while (true) {
      synchronized (s) {
        if (!s.removed) {
          long lastT = s.lastT();
          long lastV = s.lastVBits();
          if (s.pending > 0) {
            // Some batch, maybe this one, holds samples of s: the newest of this batch counts too.
            if (!indexed) {
              indexPending();
            }
            int idx = (int) lastPending.get(s.ref);
            if (idx >= 0 && pTs[idx] >= lastT) {
              lastT = pTs[idx];
              lastV = Double.doubleToRawLongBits(pVs[idx]);
            }
          }
          int verdict = MemSeries.appendable(lastT, lastV, t, vbits);
          if (verdict == MemSeries.IDENTICAL) {
            return s.ref; // Prometheus accepts exact duplicates silently
          }
          if (verdict == MemSeries.OUT_OF_ORDER) {
            head.metrics.outOfOrder.increment();
            throw new StorageException(StorageException.Kind.OUT_OF_ORDER,
                "out of order sample: t=" + t + " is before the series' newest sample t=" + lastT
                    + " for series " + s.labels);
          }
          if (verdict == MemSeries.DUPLICATE) {
            head.metrics.duplicates.increment();
            throw new StorageException(StorageException.Kind.DUPLICATE_SAMPLE,
                "duplicate sample for timestamp " + t + "; overrides not allowed: existing "
                    + Double.longBitsToDouble(lastV) + ", new value " + v + " for series " + s.labels);
          }
          s.pending++;
          break;
        }
      }
      s = resolve(0, s.labels); // garbage-collected meanwhile: look it up (or create it) again
    }
    add(s, st, t, v);
    return s.ref;
  }

  private MemSeries resolve(long ref, Labels labels) {
    if (ref != 0) {
      MemSeries s = head.store.get(ref);
      if (s != null) {
        return s;
      }
    }
    if (labels == null || labels.isEmpty()) {
      throw new StorageException(StorageException.Kind.OTHER,
          "empty labelset: series ref " + ref + " is unknown and no labels were given");
    }
    MemSeries s = head.store.getOrCreate(labels, created);
    if (created[0]) {
      head.metrics.seriesCreated.increment();
      if (cn == cRefs.length) {
        cRefs = Arrays.copyOf(cRefs, cn * 2);
        cLabels = Arrays.copyOf(cLabels, cn * 2);
      }
      cRefs[cn] = s.ref;
      cLabels[cn++] = s.labels;
    }
    return s;
  }

  private static String describe(long ref, Labels labels) {
    return labels != null && !labels.isEmpty() ? labels.toString() : "ref " + ref;
  }

  private void add(MemSeries s, long st, long t, double v) {
    if (n == pTs.length) {
      int cap = n * 2;
      pSeries = Arrays.copyOf(pSeries, cap);
      pRefs = Arrays.copyOf(pRefs, cap);
      pTs = Arrays.copyOf(pTs, cap);
      pVs = Arrays.copyOf(pVs, cap);
    }
    if (st != 0 || stUsed) {
      if (!stUsed) {
        if (pSts == null || pSts.length < pTs.length) {
          pSts = new long[pTs.length];
        }
        Arrays.fill(pSts, 0, n, 0L); // earlier samples of the batch: unknown
        stUsed = true;
      } else if (pSts.length < pTs.length) {
        pSts = Arrays.copyOf(pSts, pTs.length);
      }
      pSts[n] = st;
    }
    pSeries[n] = s;
    pRefs[n] = s.ref;
    pTs[n] = t;
    pVs[n] = v;
    if (indexed) {
      lastPending.put(s.ref, n);
    }
    n++;
  }

  /** Indexes this batch's pending samples by series, on the first append that needs it. */
  private void indexPending() {
    for (int i = 0; i < n; i++) {
      lastPending.put(pRefs[i], i); // later samples overwrite earlier ones: the newest wins
    }
    indexed = true;
  }

  @Override
  public void commit() {
    try {
      HeadLog log = head.log();
      if (cn > 0) {
        log.logSeries(cRefs, cLabels, cn);
      }
      if (n > 0) {
        log.logSamples(pRefs, pTs, pVs, n);
      }
    } catch (RuntimeException e) {
      // samples dropped; created series stay listed so the next commit or rollback logs them
      releasePending();
      clearSamples();
      throw new StorageException("commit: the head log failed, the batch was dropped: " + e.getMessage(), e);
    }
    long chunkRange = head.options.chunkRange();
    int samplesPerChunk = head.options.samplesPerChunk();
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int appended = 0;
    int chunks = 0;
    int nt = 0;
    // Not indexed: no series has two samples in this batch (a second append would have indexed it),
    // so each series is published in the lock that appends to it, not in a second pass.
    boolean once = !indexed;
    for (int i = 0; i < n; i++) {
      MemSeries s = pSeries[i];
      long t = pTs[i];
      double v = pVs[i];
      long st = stUsed ? pSts[i] : 0;
      synchronized (s) {
        s.pending--;
        // another appender may have committed to this series since append(): check again
        int verdict = MemSeries.appendable(s.lastT(), s.lastVBits(), t, Double.doubleToRawLongBits(v));
        if (verdict == MemSeries.OK) {
          if (s.append(t, v, st, chunkRange, samplesPerChunk)) {
            chunks++;
          }
          // (when s is dirty, another commit in progress appended to it too and publishes it later)
          if (!s.dirty) {
            if (once) {
              s.visibleMaxT = t; // the newest sample: t passed appendable() above
            } else {
              s.dirty = true;
              if (nt == touched.length) {
                touched = Arrays.copyOf(touched, nt * 2);
              }
              touched[nt++] = s;
            }
          }
          appended++;
          mint = Math.min(mint, t);
          maxt = Math.max(maxt, t);
        } else if (verdict == MemSeries.OUT_OF_ORDER) {
          head.metrics.outOfOrder.increment();
        } else if (verdict == MemSeries.DUPLICATE) {
          head.metrics.duplicates.increment();
        }
      }
    }
    // publish per series: readers see all of this commit's samples of a series, or none
    for (int i = 0; i < nt; i++) {
      MemSeries s = touched[i];
      synchronized (s) {
        s.dirty = false;
        s.visibleMaxT = s.lastT();
      }
      touched[i] = null;
    }
    if (appended > 0) {
      head.updateMinMaxTime(mint, maxt);
      head.metrics.samplesAppended.add(appended);
    }
    if (chunks > 0) {
      head.metrics.chunksCreated.add(chunks);
    }
    reset();
  }

  @Override
  public void rollback() {
    releasePending();
    clearSamples();
    if (cn > 0) {
      // series exist in memory whatever happens to the batch: the log must know them (as Prometheus)
      head.log().logSeries(cRefs, cLabels, cn);
    }
    reset();
  }

  private void releasePending() {
    for (int i = 0; i < n; i++) {
      MemSeries s = pSeries[i];
      synchronized (s) {
        s.pending--;
      }
    }
  }

  private void clearSamples() {
    Arrays.fill(pSeries, 0, n, null);
    stUsed = false;
    n = 0;
    if (indexed) {
      lastPending.clear();
      indexed = false;
    }
    minValidSet = false;
  }

  private void reset() {
    clearSamples();
    if (cLabels.length > 1024) {
      // created series are a first scrape's burst: do not keep its arrays (~12 bytes per series)
      cRefs = new long[8];
      cLabels = new Labels[8];
    } else {
      Arrays.fill(cLabels, 0, cn, null);
    }
    cn = 0;
  }
}
