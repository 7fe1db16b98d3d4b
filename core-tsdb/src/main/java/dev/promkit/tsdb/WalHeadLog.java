package dev.promkit.tsdb;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.head.HeadLog;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.record.RecordEncoder;
import dev.promkit.tsdb.record.RefSeries;
import dev.promkit.tsdb.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The head's log backed by the WAL: a commit's new series become a Series record, its samples a
 * Samples record, and the commit returns only after {@link Wal#commit()} (fsync when configured).
 * Synchronised: concurrent appenders' commits are serialised here, one record at a time.
 */
final class WalHeadLog implements HeadLog {
  private final Wal wal;
  private final EncBuf buf = new EncBuf(16 * 1024); // reused for every record: no allocation per commit
  private final List<RefSeries> series = new ArrayList<>();

  WalHeadLog(Wal wal) {
    this.wal = wal;
  }

  @Override
  public synchronized void logSeries(long[] refs, Labels[] labels, int count) {
    series.clear();
    for (int i = 0; i < count; i++) {
      series.add(new RefSeries(refs[i], labels[i]));
    }
    try {
      wal.log(RecordEncoder.series(series, buf));
      wal.flush(); // durable with the samples' commit that follows; written now in case none follows
    } catch (IOException e) {
      throw new UncheckedIOException("WAL " + wal.dir() + ": writing series failed", e);
    } finally {
      series.clear();
    }
  }

  @Override
  public synchronized void logSamples(long[] refs, long[] ts, double[] vs, int count) {
    try {
      wal.log(RecordEncoder.samples(refs, ts, vs, count, buf));
      wal.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("WAL " + wal.dir() + ": writing samples failed", e);
    }
  }
}
