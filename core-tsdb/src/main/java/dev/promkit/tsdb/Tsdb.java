package dev.promkit.tsdb;

import dev.promkit.client.registry.Collector;
import dev.promkit.tsdb.head.Head;
import dev.promkit.tsdb.head.HeadOptions;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.tsdb.record.CheckpointFilter;
import dev.promkit.tsdb.wal.Checkpoint;
import dev.promkit.tsdb.wal.Wal;
import dev.promkit.tsdb.wal.WalMetrics;
import dev.promkit.tsdb.wal.WalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A time-series database: append samples, query them by label matchers and time range.
 *
 * <pre>{@code
 * try (Tsdb db = Tsdb.inMemory()) {
 *   Appender app = db.appender();
 *   app.append(0, Labels.of("__name__", "up", "job", "api"), 1_000, 1);
 *   app.commit();
 *   try (Querier q = db.querier(0, 2_000)) {
 *     SeriesSet set = q.select(true, null, LabelMatcher.eq("job", "api"));
 *   }
 * }
 * }</pre>
 *
 * <p>The data lives in the in-memory head ({@link Head}). With a directory in {@link TsdbOptions},
 * every commit is first written to a write-ahead log in {@code <dir>/wal} (Prometheus' format), which
 * {@code open} replays, repairing a torn tail; {@link #truncate} then folds old segments into a
 * checkpoint. Thread-safe; appenders are one per thread.
 */
public final class Tsdb implements Queryable, Appendable, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());

  private final TsdbOptions options;
  private final Head head;
  private final Wal wal; // null when memory-only
  private final WalHeadLog walLog;
  private final Object checkpointLock = new Object();
  private final Collector metrics;

  private Tsdb(TsdbOptions options, WalOptions walOptions) {
    this.options = options;
    this.head = new Head(new HeadOptions(options.blockRange(), options.samplesPerChunk()));
    if (options.dir() == null) {
      wal = null;
      walLog = null;
      metrics = head.metrics();
    } else {
      WalMetrics walMetrics = new WalMetrics();
      Path walDir = options.dir().resolve("wal");
      try {
        // Replay before the writer opens: a torn tail is cut first, and the writer then starts a fresh segment.
        WalReplay.Result replayed = WalReplay.replay(walDir, head, walMetrics);
        wal = Wal.open(walDir, walOptions, walMetrics);
        walLog = new WalHeadLog(wal, head::seriesLabels, replayed.refs());
      } catch (IOException e) {
        head.close();
        throw new UncheckedIOException("opening the TSDB in " + options.dir() + ": " + e.getMessage(), e);
      }
      head.setLog(walLog);
      metrics = both(head.metrics(), walMetrics);
    }
    if (options.registry() != null) {
      options.registry().register(metrics);
    }
  }

  private static Collector both(Collector a, Collector b) {
    List<String> names = new ArrayList<>(a.metricNames());
    names.addAll(b.metricNames());
    List<String> all = List.copyOf(names);
    return new Collector() {
      @Override
      public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>(a.collect().list());
        out.addAll(b.collect().list());
        return MetricSnapshots.of(out);
      }

      @Override
      public List<String> metricNames() {
        return all;
      }
    };
  }

  /** An in-memory database with Prometheus' defaults (2 h block range, 120 samples per chunk). */
  public static Tsdb inMemory() {
    return open(TsdbOptions.defaults());
  }

  /**
   * A database with these options; with a directory, the WAL uses {@link WalOptions#defaults()}
   * (128 MiB segments, fsync on every commit).
   *
   * @throws UncheckedIOException if the directory cannot be read or written, or a WAL checkpoint is damaged
   */
  public static Tsdb open(TsdbOptions options) {
    return open(options, WalOptions.defaults());
  }

  /**
   * A database with these options and these WAL settings (ignored without a directory). Replays
   * {@code <dir>/wal}; a torn or corrupt tail is cut at its last good record, logged and counted
   * in {@code prometheus_tsdb_wal_corruptions_total}.
   *
   * @throws UncheckedIOException if the directory cannot be read or written, or a WAL checkpoint is damaged
   */
  public static Tsdb open(TsdbOptions options, WalOptions walOptions) {
    return new Tsdb(Objects.requireNonNull(options, "options"), Objects.requireNonNull(walOptions, "walOptions"));
  }

  @Override
  public Appender appender() {
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return head.querier(mint, maxt);
  }

  /**
   * Drops data older than {@code mint} (whole chunks) and series left empty; rejects older appends.
   * With a WAL, the lower two thirds of its closed segments are then folded into a checkpoint
   * (series still in the head, samples at or after {@code mint}) and deleted, as Prometheus does.
   *
   * @throws UncheckedIOException if writing the checkpoint fails (the head is truncated regardless)
   */
  public void truncate(long mint) {
    head.truncate(mint);
    if (wal != null) {
      walLog.retain(head::containsSeries);
      try {
        truncateWal(mint);
      } catch (IOException e) {
        throw new UncheckedIOException("WAL checkpoint in " + wal.dir() + " failed: " + e.getMessage(), e);
      }
    }
  }

  private void truncateWal(long mint) throws IOException {
    synchronized (checkpointLock) { // one checkpoint at a time: they share the .tmp directory name
      checkpoint(mint);
    }
  }

  private void checkpoint(long mint) throws IOException {
    List<Integer> segs = wal.segments();
    if (segs.isEmpty()) {
      return;
    }
    int first = segs.get(0);
    int prev = Checkpoint.last(wal.dir()).map(Checkpoint.Ref::index).orElse(-1);
    if (first <= prev) { // leftovers of a truncation interrupted by a crash: already in the checkpoint
      wal.truncate(prev + 1);
      first = prev + 1;
    }
    int last = wal.currentSegment() - 1; // never the segment being written
    // The lower two thirds hold mostly samples older than mint; the newest third would be copied whole.
    last = first + (last - first) * 2 / 3;
    if (last <= first) {
      return;
    }
    Checkpoint.Stats st = Checkpoint.create(wal, first, last,
        new CheckpointFilter(head::containsSeries, mint)::filter);
    LOG.log(System.Logger.Level.DEBUG, "WAL truncated up to segment {0}: {1} of {2} records kept", st.index(),
        st.recordsWritten(), st.recordsRead());
  }

  /** The in-memory head, for components that extend the database (write-ahead log, compaction). */
  public Head head() {
    return head;
  }

  /** The database's metrics (head, and WAL when there is one), when no registry was given in the options. */
  public Collector metrics() {
    return metrics;
  }

  /** Unregisters the metrics, closes the head and the WAL (flushing and fsyncing it). Idempotent. */
  @Override
  public void close() {
    if (options.registry() != null) {
      options.registry().unregister(metrics);
    }
    head.close();
    if (wal != null) {
      try {
        wal.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the WAL in " + wal.dir() + ": " + e.getMessage(), e);
      }
    }
  }
}
