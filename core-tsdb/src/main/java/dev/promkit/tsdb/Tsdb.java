package dev.promkit.tsdb;

import dev.promkit.client.registry.Collector;
import dev.promkit.tsdb.head.Head;
import dev.promkit.tsdb.head.HeadOptions;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
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
 * <p>Today the data lives in the in-memory head only ({@link Head}); the directory in
 * {@link TsdbOptions} is reserved for the write-ahead log and blocks. Thread-safe; appenders are one
 * per thread.
 */
public final class Tsdb implements Queryable, Appendable, AutoCloseable {
  private final TsdbOptions options;
  private final Head head;

  private Tsdb(TsdbOptions options) {
    this.options = options;
    this.head = new Head(new HeadOptions(options.blockRange(), options.samplesPerChunk()));
    if (options.registry() != null) {
      options.registry().register(head.metrics());
    }
  }

  /** An in-memory database with Prometheus' defaults (2 h block range, 120 samples per chunk). */
  public static Tsdb inMemory() {
    return open(TsdbOptions.defaults());
  }

  /** A database with these options. */
  public static Tsdb open(TsdbOptions options) {
    return new Tsdb(Objects.requireNonNull(options, "options"));
  }

  @Override
  public Appender appender() {
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return head.querier(mint, maxt);
  }

  /** Drops data older than {@code mint} (whole chunks) and series left empty; rejects older appends. */
  public void truncate(long mint) {
    head.truncate(mint);
  }

  /** The in-memory head, for components that extend the database (write-ahead log, compaction). */
  public Head head() {
    return head;
  }

  /** The database's metrics, when no registry was given in the options. */
  public Collector metrics() {
    return head.metrics();
  }

  /** Unregisters the metrics and closes the head. Idempotent. */
  @Override
  public void close() {
    if (options.registry() != null) {
      options.registry().unregister(head.metrics());
    }
    head.close();
  }
}
