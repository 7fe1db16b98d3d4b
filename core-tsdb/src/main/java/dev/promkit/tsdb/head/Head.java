package dev.promkit.tsdb.head;

import dev.promkit.client.registry.Collector;
import dev.promkit.tsdb.index.MemPostings;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory head block: series with XOR chunks cut at Prometheus' boundaries (about 120 samples,
 * at most 1 KiB, never across a multiple of the chunk range), a postings index, appenders with
 * commit/rollback and Prometheus' rejections, and queriers that see committed samples only.
 *
 * <p>Thread-safe. Appenders are one per thread; queriers may run concurrently with appends and
 * never see a partly written sample (each series publishes a sample count after its bytes). A
 * commit becomes visible series by series, not atomically across series.
 *
 * <p>A write-ahead log plugs in as a {@link HeadLog}, which every commit calls before applying its
 * samples; {@link #replaySeries} and {@link #replaySample} rebuild the head from such a log.
 */
public final class Head implements Appendable, Queryable, AutoCloseable {
  final HeadOptions options;
  final MemPostings postings = new MemPostings();
  final SeriesStore store = new SeriesStore(postings);
  final HeadMetrics metrics = new HeadMetrics(this);
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  private volatile long minValidTime = Long.MIN_VALUE;
  private volatile HeadLog log;
  private volatile boolean closed;

  /** A head with these options and no log. */
  public Head(HeadOptions options) {
    this(options, HeadLog.NONE);
  }

  /** A head with these options, logging each commit to {@code log} first. */
  public Head(HeadOptions options, HeadLog log) {
    this.options = Objects.requireNonNull(options, "options");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Replaces the log (e.g. once a write-ahead log has been replayed and opened). */
  public void setLog(HeadLog log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  HeadLog log() {
    return log;
  }

  /** The options the head was built with. */
  public HeadOptions options() {
    return options;
  }

  @Override
  public Appender appender() {
    checkOpen();
    return new HeadAppender(this);
  }

  @Override
  public Querier querier(long mint, long maxt) {
    checkOpen();
    return new HeadQuerier(this, mint, maxt);
  }

  /** Timestamp of the oldest sample, {@link Long#MAX_VALUE} while the head is empty. */
  public long minTime() {
    return minTime.get();
  }

  /** Timestamp of the newest sample, {@link Long#MIN_VALUE} while the head is empty. */
  public long maxTime() {
    return maxTime.get();
  }

  /** Number of series in memory. */
  public long numSeries() {
    return store.size();
  }

  /** The labels of series {@code ref}, or null when the head does not hold it (for the WAL's series records). */
  public Labels seriesLabels(long ref) {
    var s = store.get(ref);
    return s == null ? null : s.labels;
  }

  /** True while the head holds series {@code ref} (a WAL checkpoint keeps exactly these series). */
  public boolean containsSeries(long ref) {
    return store.get(ref) != null;
  }

  /** The head's metrics (Prometheus' {@code prometheus_tsdb_head_*} names), to register in a registry. */
  public Collector metrics() {
    return metrics;
  }

  /**
   * The oldest timestamp an appender accepts now: half a chunk range behind the newest sample and
   * not before the last truncation (Prometheus' appendableMinValidTime). For an empty head, the
   * window is placed by the batch's first sample {@code firstT}, as Prometheus' init appender does.
   */
  long appendableMinValidTime(long firstT) {
    long max = maxTime.get();
    long base = max == Long.MIN_VALUE ? firstT : max;
    long half = options.chunkRange() / 2;
    long start = base < Long.MIN_VALUE + half ? Long.MIN_VALUE : base - half; // saturating
    return Math.max(start, minValidTime);
  }

  void updateMinMaxTime(long mint, long maxt) {
    minTime.accumulateAndGet(mint, Math::min);
    maxTime.accumulateAndGet(maxt, Math::max);
  }

  /**
   * Drops every chunk that ends before {@code mint}, then every series left without samples (and
   * its postings), and refuses appends older than {@code mint} from now on. Series with samples in
   * an uncommitted batch are kept.
   */
  public void truncate(long mint) {
    checkOpen();
    metrics.truncations.increment();
    minValidTime = Math.max(minValidTime, mint);
    long[] newMin = {Long.MAX_VALUE};
    store.forEach(s -> {
      synchronized (s) {
        int dropped = s.truncateChunksBefore(mint);
        if (dropped > 0) {
          metrics.chunksRemoved.add(dropped);
        }
        if (s.isEmpty()) {
          if (s.pending == 0) {
            s.removed = true;
            store.remove(s);
            metrics.seriesRemoved.increment();
          }
          return;
        }
        HeadChunk[] cs = s.chunks;
        newMin[0] = Math.min(newMin[0], cs[0].minTime);
      }
    });
    // samples committed meanwhile can only be newer than mint, so this min stays a lower bound
    minTime.set(newMin[0] == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(newMin[0], mint));
  }

  /** Receives one series in {@link #forEachSeries}. */
  @FunctionalInterface
  public interface SeriesVisitor {
    /** Called with the series' ref and labels. */
    void visit(long ref, Labels labels);
  }

  /**
   * Calls the visitor for every series in memory, in ref order (e.g. to write a log checkpoint);
   * series created meanwhile may be missed.
   */
  public void forEachSeries(SeriesVisitor visitor) {
    store.forEach(s -> visitor.visit(s.ref, s.labels));
  }

  /** Whether a series with this ref is in memory (e.g. to drop log records of removed series). */
  public boolean hasSeries(long ref) {
    return store.get(ref) != null;
  }

  /**
   * For log replay: makes sure a series with these labels exists under {@code ref}. Returns the ref
   * the head uses for these labels, which differs from {@code ref} when the labels were already
   * known under another ref (replay must then map {@code ref}'s samples to it).
   *
   * @throws IllegalArgumentException if {@code ref} is out of range or taken by other labels
   */
  public long replaySeries(long ref, Labels labels) {
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException("replay: series " + ref + " has an empty label set");
    }
    boolean[] created = new boolean[1];
    MemSeries s = store.getOrCreateWithRef(ref, labels, created);
    if (created[0]) {
      metrics.seriesCreated.increment();
    }
    return s.ref;
  }

  /**
   * For log replay: appends a sample to series {@code ref} without logging it. Returns false (and
   * counts it as Prometheus' replay does) when the ref is unknown or the sample is not newer than
   * the series' newest one; an identical duplicate returns true.
   */
  public boolean replaySample(long ref, long t, double v) {
    MemSeries s = store.get(ref);
    if (s == null) {
      return false;
    }
    boolean ok;
    synchronized (s) {
      int verdict = MemSeries.appendable(s.lastT(), s.lastVBits(), t, Double.doubleToRawLongBits(v));
      ok = verdict == MemSeries.OK || verdict == MemSeries.IDENTICAL;
      if (verdict == MemSeries.OK) {
        if (s.append(t, v, options.chunkRange(), options.samplesPerChunk())) {
          metrics.chunksCreated.increment();
        }
        metrics.samplesAppended.increment();
        s.visibleMaxT = t;
      } else if (verdict == MemSeries.OUT_OF_ORDER) {
        metrics.outOfOrder.increment();
      } else if (verdict == MemSeries.DUPLICATE) {
        metrics.duplicates.increment();
      }
    }
    if (ok) {
      updateMinMaxTime(t, t);
    }
    return ok;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("head is closed");
    }
  }

  /** Releases the head; later appends and queries fail. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }
}
