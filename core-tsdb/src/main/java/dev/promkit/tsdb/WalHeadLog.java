package dev.promkit.tsdb;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.head.HeadLog;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.record.RecordEncoder;
import dev.promkit.tsdb.record.RefSeries;
import dev.promkit.tsdb.record.Tombstone;
import dev.promkit.tsdb.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.agrona.collections.LongHashSet;

/**
 * The head's log backed by the WAL: a commit's new series become a Series record, its samples a
 * Samples record, and the commit returns only after {@link Wal#commit()} (fsync when configured).
 *
 * <p>Every Samples record is preceded in the WAL by the Series records of all its refs, even when
 * another appender created the series and has not committed yet (it would otherwise be logged after
 * samples that replay could then not place). A bit per logged ref makes that check one bit test
 * per sample. Synchronised: concurrent commits are serialised here, one record at a time.
 */
final class WalHeadLog implements HeadLog {
  private final Wal wal;
  private final LongFunction<Labels> labelsOf;
  // Refs whose Series record is in the WAL or its checkpoint: one bit per ref (head refs are dense
  // ints from 1), instead of ~20 bytes per series in a hash set; refs outside that range, which
  // only a foreign WAL could hold, go to the set.
  private long[] loggedBits = new long[64];
  private final LongHashSet loggedOther = new LongHashSet();
  // Most series and samples in one record: a scrape that creates 100k series would otherwise build
  // (and keep, for reuse) a ~10 MB buffer, grown by doubling through the old generation. Replay
  // takes any number of records; a commit is still made durable as a whole by one Wal.commit().
  static final int MAX_SERIES_PER_RECORD = 4096;
  static final int MAX_SAMPLES_PER_RECORD = 16384;
  private final EncBuf buf = new EncBuf(16 * 1024); // reused for every record: no allocation per commit
  private final List<RefSeries> series = new ArrayList<>();

  /**
   * @param labelsOf the head's labels for a ref (null when unknown)
   * @param replayed refs replayed from the WAL: their Series records are already there
   */
  WalHeadLog(Wal wal, LongFunction<Labels> labelsOf, LongHashSet replayed) {
    this.wal = wal;
    this.labelsOf = labelsOf;
    replayed.forEach(this::markLogged);
  }

  private boolean isLogged(long ref) {
    if (ref >= 0 && ref <= Integer.MAX_VALUE) {
      int w = (int) (ref >>> 6);
      return w < loggedBits.length && (loggedBits[w] & (1L << ref)) != 0; // shift uses ref's low 6 bits
    }
    return loggedOther.contains(ref);
  }

  private void markLogged(long ref) {
    if (ref >= 0 && ref <= Integer.MAX_VALUE) {
      int w = (int) (ref >>> 6);
      if (w >= loggedBits.length) {
        loggedBits = java.util.Arrays.copyOf(loggedBits, Math.max(w + 1, loggedBits.length + (loggedBits.length >> 1)));
      }
      loggedBits[w] |= 1L << ref;
    } else {
      loggedOther.add(ref);
    }
  }

  @Override
  public synchronized void logSeries(long[] refs, Labels[] labels, int count) {
    series.clear();
    try {
      boolean any = false;
      for (int i = 0; i < count; i++) {
        if (!isLogged(refs[i])) {
          series.add(new RefSeries(refs[i], labels[i]));
          if (series.size() == MAX_SERIES_PER_RECORD) {
            logSeriesRecord();
            any = true;
          }
        }
      }
      if (!series.isEmpty()) {
        logSeriesRecord();
        any = true;
      }
      if (any) {
        wal.flush(); // made durable by the samples' commit that follows; written now in case none follows
      }
    } catch (IOException e) {
      throw new UncheckedIOException("WAL " + wal.dir() + ": writing series failed", e);
    } finally {
      series.clear();
    }
  }

  @Override
  public synchronized void logSamples(long[] refs, long[] ts, double[] vs, int count) {
    series.clear();
    for (int i = 0; i < count; i++) {
      long ref = refs[i];
      if (!isLogged(ref) && !pendingContains(ref)) {
        Labels l = labelsOf.apply(ref);
        if (l != null) {
          series.add(new RefSeries(ref, l));
        }
      }
    }
    try {
      if (!series.isEmpty()) {
        for (int from = 0; from < series.size(); from += MAX_SERIES_PER_RECORD) {
          wal.log(RecordEncoder.series(series.subList(from, Math.min(series.size(), from + MAX_SERIES_PER_RECORD)), buf));
        }
      }
      int from = 0;
      do {
        int to = Math.min(count, from + MAX_SAMPLES_PER_RECORD);
        wal.log(RecordEncoder.samples(refs, ts, vs, from, to, buf));
        from = to;
      } while (from < count);
      wal.commit();
      markLogged();
    } catch (IOException e) {
      throw new UncheckedIOException("WAL " + wal.dir() + ": writing samples failed", e);
    } finally {
      series.clear();
    }
  }

  // Logs the collected series as one record and marks them logged.
  private void logSeriesRecord() throws IOException {
    wal.log(RecordEncoder.series(series, buf));
    markLogged();
    series.clear();
  }

  private boolean pendingContains(long ref) {
    for (int i = 0; i < series.size(); i++) {
      if (series.get(i).ref() == ref) {
        return true;
      }
    }
    return false;
  }

  private void markLogged() {
    for (int i = 0; i < series.size(); i++) {
      markLogged(series.get(i).ref());
    }
  }

  /** Logs head deletions as a Tombstones record and commits it (fsynced when configured). */
  synchronized void logTombstones(List<Tombstone> stones) {
    try {
      wal.log(RecordEncoder.tombstones(stones, buf));
      wal.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("WAL " + wal.dir() + ": writing tombstones failed", e);
    }
  }

  /** Forgets refs of series the head dropped (after a truncation), so the set does not grow forever. */
  synchronized void retain(LongPredicate live) {
    for (int w = 0; w < loggedBits.length; w++) {
      long bits = loggedBits[w];
      while (bits != 0) {
        int b = Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        if (!live.test(((long) w << 6) | b)) {
          loggedBits[w] &= ~(1L << b);
        }
      }
    }
    loggedOther.removeIfLong(ref -> !live.test(ref));
  }
}
