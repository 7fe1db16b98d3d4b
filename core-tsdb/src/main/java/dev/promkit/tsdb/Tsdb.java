package dev.promkit.tsdb;

import dev.promkit.client.registry.Collector;
import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.block.BlockMeta;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.compact.CompactionMetrics;
import dev.promkit.tsdb.compact.Compactor;
import dev.promkit.tsdb.compact.Planner;
import dev.promkit.tsdb.record.Tombstone;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.block.Ulid;
import dev.promkit.tsdb.db.DirLock;
import dev.promkit.tsdb.db.MergeQuerier;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.SelectHints;
import dev.promkit.tsdb.storage.SeriesSet;
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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

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
 *
 * <p>With a directory, the database also keeps <em>blocks</em> there (Prometheus' on-disk format, one
 * {@code <ULID>} directory each): {@code open} opens them (a damaged block is logged and skipped),
 * queries merge head and blocks, and when the head spans more than 1.5 block ranges its oldest
 * aligned range is cut into a block ({@link #compactHead}), after which the head is truncated and the
 * WAL checkpointed. This runs by itself after commits and every minute on a daemon thread. Retention
 * ({@link TsdbOptions#retentionMs()}, {@link TsdbOptions#retentionBytes()}) deletes whole blocks.
 * The directory is locked ({@code <dir>/lock}) while open.
 *
 * <p>Blocks are compacted as Prometheus does ({@link #compact}): adjacent blocks into 6 h, 18 h, …
 * blocks, overlapping blocks into one (vertical compaction). {@link #delete} marks samples as deleted
 * (tombstones, in Prometheus' format) in blocks and head; queries honour them at once, compaction
 * drops them, {@link #cleanTombstones} rewrites blocks without them. {@link #snapshot} hard-links the
 * blocks elsewhere.
 *
 * <p>Crash safety: a block is written to {@code <ULID>.tmp-for-creation} and renamed, and {@code open}
 * deletes such leftovers, and blocks that meta.json of another block lists as its compaction parents.
 * A crash after a block is in place but before the head is truncated leaves its samples in the WAL as
 * well; {@code open} truncates the replayed head to the newest block's end
 * (as Prometheus does), and in any case queries drop samples present in several sources with the same
 * timestamp, so no sample is returned twice.
 */
public final class Tsdb implements Queryable, Appendable, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());

  private final TsdbOptions options;
  private final Head head;
  private final Wal wal; // null when memory-only
  private final WalHeadLog walLog;
  private final Object checkpointLock = new Object();
  private final Collector metrics;
  private final DirLock lock; // null when memory-only
  private final CorruptedBlocks corrupted = new CorruptedBlocks();
  private final Object compactLock = new Object();
  private volatile List<Block> blocks = List.of(); // ascending minTime; replaced whole under compactLock
  private final ScheduledExecutorService compactor; // null when memory-only
  private final Planner planner;
  private final CompactionMetrics compactionMetrics;
  private final HeadTombstones headStones = new HeadTombstones();
  private final java.util.Set<String> failedBlocks = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicBoolean compactionQueued = new AtomicBoolean();
  private volatile boolean closed;
  // Open queriers -> the blocks version they may have seen; the head is truncated only when none predates the new block.
  private final java.util.concurrent.atomic.AtomicLong blocksVersion = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.ConcurrentHashMap<Object, Long> readers = new java.util.concurrent.ConcurrentHashMap<>();

  private Tsdb(TsdbOptions options, WalOptions walOptions) {
    this.options = options;
    this.head = new Head(new HeadOptions(options.blockRange(), options.samplesPerChunk()));
    this.planner = new Planner(Planner.defaultRanges(options.blockRange(), options.retentionMs(), options.maxBlockDurationMs()));
    this.compactionMetrics = new CompactionMetrics(() -> blocks.size(), this::lowestTimestamp);
    if (options.dir() == null) {
      wal = null;
      walLog = null;
      lock = null;
      compactor = null;
      metrics = head.metrics();
    } else {
      WalMetrics walMetrics = new WalMetrics();
      Path walDir = options.dir().resolve("wal");
      DirLock l = null;
      try {
        l = DirLock.acquire(options.dir());
        blocks = deleteCompactedParents(openBlocks(options.dir(), corrupted));
        // Replay before the writer opens: a torn tail is cut first, and the writer then starts a fresh segment.
        WalReplay.Result replayed = WalReplay.replay(walDir, head, walMetrics);
        for (Tombstone t : replayed.tombstones()) {
          Labels sl = head.seriesLabels(t.ref());
          if (sl != null) {
            headStones.add(sl, t.mint(), t.maxt());
          }
        }
        wal = Wal.open(walDir, walOptions, walMetrics);
        walLog = new WalHeadLog(wal, head::seriesLabels, replayed.refs());
      } catch (IOException | RuntimeException e) {
        head.close();
        closeBlocks(blocks);
        if (l != null) {
          try {
            l.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        if (e instanceof IOException) {
          throw new UncheckedIOException("opening the TSDB in " + options.dir() + ": " + e.getMessage(), (IOException) e);
        }
        throw (RuntimeException) e;
      }
      lock = l;
      head.setLog(walLog);
      metrics = both(both(both(head.metrics(), walMetrics), compactionMetrics), corrupted);
      long blocksEnd = maxBlockTime();
      if (blocksEnd != Long.MIN_VALUE && head.minTime() < blocksEnd) {
        // WAL samples a block already holds (crash between block write and head truncation): drop them.
        truncate(blocksEnd);
      }
      applyRetention();
      compactor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "promkit-tsdb-compactor " + options.dir());
        t.setDaemon(true);
        return t;
      });
      compactor.scheduleWithFixedDelay(this::backgroundCompaction, 1, 1, TimeUnit.MINUTES);
      compactor.execute(this::backgroundCompaction);
    }
    if (options.registry() != null) {
      options.registry().register(metrics);
    }
  }

  /**
   * Opens the ULID-named block directories after removing unfinished ones. A block whose files fail
   * {@link Block#open}'s checks (or that lacks meta.json) is logged at WARNING naming directory, file
   * and problem, recorded in {@code corrupted} and skipped; it stays on disk for an operator.
   */
  private static List<Block> openBlocks(Path dir, CorruptedBlocks corrupted) throws IOException {
    removeStrayTmpDirs(dir);
    List<Block> out = new ArrayList<>();
    java.util.Map<Path, String> damaged = new java.util.HashMap<>();
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(entries::add);
    }
    entries.sort(Comparator.naturalOrder());
    for (Path p : entries) {
      if (!Files.isDirectory(p) || !isUlid(p.getFileName().toString())) {
        continue; // wal/, lock, chunks_head/ and anything else that is not a block
      }
      try {
        out.add(Block.open(p));
      } catch (IOException | RuntimeException e) {
        String problem = describeDamage(p, e);
        damaged.put(p, problem);
        LOG.log(System.Logger.Level.WARNING, "block {0} is damaged and skipped (left on disk for inspection): {1}", p,
            problem);
      }
    }
    corrupted.set(damaged);
    out.sort(Comparator.comparingLong((Block b) -> b.meta().minTime()).thenComparing(b -> b.meta().ulid()));
    return List.copyOf(out);
  }

  /**
   * Deletes the blocks listed as parents of another loaded block: a crash after a compaction's new
   * block was renamed into place but before its sources were deleted. Their data is in the child.
   */
  private static List<Block> deleteCompactedParents(List<Block> bs) {
    java.util.Set<String> parents = new java.util.HashSet<>();
    for (Block b : bs) {
      for (BlockMeta.Parent p : b.meta().parents()) {
        parents.add(p.ulid());
      }
    }
    if (parents.isEmpty()) {
      return bs;
    }
    List<Block> kept = new ArrayList<>();
    for (Block b : bs) {
      if (parents.contains(b.meta().ulid())) {
        LOG.log(System.Logger.Level.INFO, "deleting block {0}: already compacted into another block", b.dir());
        b.close();
        deleteBlock(b, "compacted");
      } else {
        kept.add(b);
      }
    }
    return List.copyOf(kept);
  }

  /** As Prometheus: the first block's minimum time, else the head's (Long.MAX_VALUE when empty). */
  private long lowestTimestamp() {
    List<Block> bs = blocks;
    return bs.isEmpty() ? head.minTime() : bs.get(0).meta().minTime();
  }

  /** "file: problem (at offset n)" with the file relative to the block directory. */
  private static String describeDamage(Path blockDir, Exception e) {
    if (e instanceof dev.promkit.tsdb.chunks.CorruptionException) {
      dev.promkit.tsdb.chunks.CorruptionException c = (dev.promkit.tsdb.chunks.CorruptionException) e;
      Path f = c.file();
      String file = f != null && f.startsWith(blockDir) ? blockDir.relativize(f).toString() : String.valueOf(f);
      return file + ": " + c.reason() + (c.offset() > 0 ? " (at offset " + c.offset() + ")" : "");
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * Deletes what a crash can leave half done: {@code <ULID>.tmp-for-creation} (a block being
   * written; the WAL still holds its samples), {@code <ULID>.tmp-for-deletion} (a block being deleted
   * by retention or compaction), {@code <ULID>.tmp} (older Prometheus versions' name for both) and
   * {@code wal/checkpoint.N.tmp} (a checkpoint being written; the segments it would cover are still
   * there). None of them is ever read. Best effort, as Prometheus: a failure is logged, not fatal.
   */
  private static void removeStrayTmpDirs(Path dir) {
    List<Path> stray = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{tmp-for-creation,tmp-for-deletion,tmp}")) {
      ds.forEach(p -> {
        if (Files.isDirectory(p)) {
          stray.add(p);
        }
      });
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "listing " + dir + " for temporary block directories failed: " + e.getMessage());
    }
    Path walDir = dir.resolve("wal");
    if (Files.isDirectory(walDir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, "checkpoint.*.tmp")) {
        ds.forEach(stray::add);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "listing " + walDir + " for temporary checkpoints failed: " + e.getMessage());
      }
    }
    for (Path p : stray) {
      try {
        LOG.log(System.Logger.Level.INFO, "deleting {0}, left unfinished by a crash", p);
        FileUtil.deleteRecursively(p);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "deleting " + p + " failed: " + e.getMessage());
      }
    }
  }

  private static boolean isUlid(String name) {
    if (name.length() != 26) {
      return false;
    }
    try {
      Ulid.parse(name);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void closeBlocks(List<Block> bs) {
    for (Block b : bs) {
      b.close();
    }
  }

  private long maxBlockTime() {
    long max = Long.MIN_VALUE;
    for (Block b : blocks) {
      max = Math.max(max, b.meta().maxTime());
    }
    return max;
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
    Appender app = head.appender();
    if (compactor == null) {
      return app;
    }
    return new Appender() { // commit also checks whether the head has grown enough for a block
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        return app.append(ref, labels, t, v);
      }

      @Override
      public long append(long ref, Labels labels, long st, long t, double v) {
        return app.append(ref, labels, st, t, v);
      }

      @Override
      public void commit() {
        app.commit();
        if (headCompactable() && compactionQueued.compareAndSet(false, true)) {
          try {
            compactor.execute(Tsdb.this::backgroundCompaction);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            compactionQueued.set(false); // closing
          }
        }
      }

      @Override
      public void rollback() {
        app.rollback();
      }
    };
  }

  /**
   * A querier over the head and every block overlapping [mint, maxt]; series found in several of them
   * are merged, equal timestamps returned once.
   */
  @Override
  public Querier querier(long mint, long maxt) {
    if (compactor == null) {
      return headQuerier(mint, maxt);
    }
    Object token = new Object();
    readers.put(token, blocksVersion.get()); // registered before reading the blocks list
    Querier q;
    try {
      q = sources(mint, maxt);
    } catch (RuntimeException e) {
      readers.remove(token);
      throw e;
    }
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, LabelMatcher... matchers) {
        return q.select(sorted, hints, matchers);
      }

      @Override
      public List<String> labelNames(LabelMatcher... matchers) {
        return q.labelNames(matchers);
      }

      @Override
      public List<String> labelValues(String name, LabelMatcher... matchers) {
        return q.labelValues(name, matchers);
      }

      @Override
      public void close() {
        readers.remove(token);
        q.close();
      }
    };
  }

  /**
   * Waits until every querier opened before blocks version {@code v} is closed: such a querier may
   * lack the new block, so truncating the head under it would hide the block's samples from it.
   */
  private void awaitReadersBefore(long v) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (readers.values().stream().anyMatch(x -> x < v)) {
      if (System.nanoTime() > deadline) {
        LOG.log(System.Logger.Level.WARNING, "truncating the head of {0} although queriers opened 2 min ago are still open",
            options.dir());
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Querier sources(long mint, long maxt) {
    List<Block> bs = blocks;
    List<Querier> qs = null;
    for (Block b : bs) {
      if (b.meta().minTime() <= maxt && b.meta().maxTime() > mint) {
        if (qs == null) {
          qs = new ArrayList<>();
          qs.add(headQuerier(mint, maxt));
        }
        qs.add(b.querier(mint, maxt));
      }
    }
    return qs == null ? headQuerier(mint, maxt) : new MergeQuerier(qs);
  }

  /** The head's querier with its deletions applied. */
  private Querier headQuerier(long mint, long maxt) {
    return headStones.filter(head.querier(mint, maxt));
  }

  /** The blocks currently open, by ascending minimum time. */
  public List<Block> blocks() {
    return blocks;
  }

  /**
   * The block directories skipped when the database was opened because a file in them is damaged,
   * each with its problem ("index: bad magic ..."), sorted by directory. They stay on disk for an
   * operator to inspect or delete; their number is the gauge {@code promkit_tsdb_blocks_corrupted}.
   */
  public java.util.Map<Path, String> corruptedBlocks() {
    return corrupted.get();
  }

  private boolean headCompactable() {
    long min = head.minTime();
    long max = head.maxTime();
    // as Prometheus: more than 1.5 block ranges in the head (overflow-safe for an empty head)
    return min != Long.MAX_VALUE && max != Long.MIN_VALUE && max - min > options.blockRange() / 2 * 3;
  }

  private void backgroundCompaction() {
    compactionQueued.set(false);
    if (closed) {
      return;
    }
    compactionMetrics.triggered(); // as Prometheus: each wake-up of the compaction loop
    try {
      compact();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.log(System.Logger.Level.ERROR, "compaction in " + options.dir() + " failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * While the head spans more than 1.5 block ranges, writes its oldest aligned range
   * [k·range, (k+1)·range) as a block, opens it, truncates the head to the block's end (checkpointing
   * the WAL), then applies retention. Called by itself after commits and every minute; tests may call it.
   *
   * @return the number of blocks written
   * @throws IllegalStateException for a database without directory
   * @throws UncheckedIOException if writing a block fails (the head keeps the data)
   */
  public int compactHead() {
    if (options.dir() == null) {
      throw new IllegalStateException("compactHead needs a data directory; this Tsdb is memory-only");
    }
    int written = 0;
    synchronized (compactLock) {
      while (!closed && headCompactable()) {
        long range = options.blockRange();
        long mint = Math.floorDiv(head.minTime(), range) * range;
        long maxt = mint + range;
        long t0 = System.nanoTime();
        try {
          Path p = BlockWriter.write(options.dir(), mint, maxt, this::headQuerier); // deleted samples left out
          compactionMetrics.ran(System.nanoTime() - t0, false);
          if (p != null) {
            Block b = Block.open(p);
            List<Block> next = new ArrayList<>(blocks);
            next.add(b);
            next.sort(Comparator.comparingLong((Block x) -> x.meta().minTime()).thenComparing(x -> x.meta().ulid()));
            blocks = List.copyOf(next);
            awaitReadersBefore(blocksVersion.incrementAndGet());
            written++;
            LOG.log(System.Logger.Level.DEBUG, "head compacted into block {0} [{1}, {2})", p, mint, maxt);
          }
        } catch (IOException e) {
          compactionMetrics.failed();
          throw new UncheckedIOException("writing block [" + mint + ", " + maxt + ") in " + options.dir() + ": "
              + e.getMessage(), e);
        } catch (RuntimeException e) {
          compactionMetrics.failed();
          throw e;
        }
        // The block is in place: only now may the head (and WAL) forget these samples.
        truncate(maxt);
        // After each block, as Prometheus' reload does: appends outrunning compaction must not starve retention.
        applyRetention();
      }
      applyRetention(); // also when no block was cut (retention options may have changed on reopen)
    }
    return written;
  }

  /**
   * Compacts as Prometheus does: first the head ({@link #compactHead}), then blocks, one compaction
   * at a time until there is nothing left to do. The {@link Planner} picks overlapping blocks first
   * (a vertical compaction, merging their samples with a timestamp present in several kept once),
   * then adjacent blocks that fill an aligned range of the next level (6 h, 18 h, … 2 h·3<sup>i</sup>
   * up to a tenth of the time retention, at most 31 d), never touching the newest block. The new block
   * (level max(parents) + 1, meta.json listing sources and parents) is written to a tmp directory,
   * fsynced and renamed; only then are its sources deleted, and {@code open} deletes sources a crash
   * left behind. Deleted samples (tombstones) are not copied. Runs by itself in the background.
   *
   * @return the number of compactions run (head blocks written and block compactions)
   * @throws IllegalStateException for a database without directory
   * @throws UncheckedIOException if a compaction fails (its sources stay; they are not planned again
   *     until reopen)
   */
  public int compact() {
    requireDir("compact");
    int n = 0;
    synchronized (compactLock) {
      n += compactHead();
      while (!closed) {
        if (headCompactable()) { // the head goes first, as in Prometheus
          n += compactHead();
          continue;
        }
        List<Block> bs = blocks;
        List<BlockMeta> metas = new ArrayList<>(bs.size());
        java.util.Map<String, Block> byUlid = new java.util.HashMap<>();
        for (Block b : bs) {
          metas.add(b.meta());
          byUlid.put(b.meta().ulid(), b);
        }
        Planner.Plan plan = planner.plan(metas, m -> byUlid.get(m.ulid()).tombstones().numIntervals());
        if (plan == null || plan.blocks().stream().anyMatch(m -> failedBlocks.contains(m.ulid()))) {
          break;
        }
        List<Block> parents = new ArrayList<>();
        for (BlockMeta m : plan.blocks()) {
          parents.add(byUlid.get(m.ulid()));
        }
        compactBlocks(parents, plan.vertical());
        n++;
      }
    }
    return n;
  }

  /** Merges {@code parents} into one new block, puts it in their place, then deletes them. Under compactLock. */
  private void compactBlocks(List<Block> parents, boolean vertical) {
    long t0 = System.nanoTime();
    Block child = null;
    try {
      Path p = Compactor.compact(options.dir(), parents);
      child = p == null ? null : Block.open(p);
    } catch (IOException | RuntimeException e) {
      compactionMetrics.failed();
      for (Block b : parents) {
        failedBlocks.add(b.meta().ulid());
      }
      IOException io = e instanceof IOException ? (IOException) e : new IOException(e);
      throw new UncheckedIOException("compacting " + parents + ": " + e.getMessage(), io);
    }
    replaceBlocks(parents, child);
    compactionMetrics.ran(System.nanoTime() - t0, vertical);
    LOG.log(System.Logger.Level.INFO, "compacted {0} blocks{1} into {2}", parents.size(), vertical ? " (vertical)" : "",
        child == null ? "nothing (all samples deleted)" : child.dir());
    for (Block b : parents) {
      deleteBlock(b, child == null ? "all its samples deleted" : "compacted into " + child.meta().ulid());
    }
  }

  /** Swaps {@code old} for {@code replacement} (may be null) in the blocks list. Under compactLock. */
  private void replaceBlocks(List<Block> old, Block replacement) {
    List<Block> next = new ArrayList<>(blocks);
    next.removeAll(old);
    if (replacement != null) {
      next.add(replacement);
    }
    next.sort(Comparator.comparingLong((Block x) -> x.meta().minTime()).thenComparing(x -> x.meta().ulid()));
    blocks = List.copyOf(next);
    blocksVersion.incrementAndGet();
  }

  /**
   * Deletes the samples in [mint, maxt] (ms, inclusive) of every series matching all matchers, as
   * Prometheus' {@code DB.Delete}: each block overlapping the range records tombstones (its
   * {@code tombstones} file replaced atomically), the head records them in memory and in the WAL (a
   * Tombstones record, replayed on open). Queries stop returning the samples at once; samples
   * appended to the head later are not affected. Head compaction and block compaction leave deleted
   * samples out; {@link #cleanTombstones} rewrites blocks without them.
   *
   * @throws IllegalArgumentException if no matcher is given
   * @throws UncheckedIOException if a tombstones file or the WAL cannot be written
   */
  public void delete(long mint, long maxt, LabelMatcher... matchers) {
    if (matchers == null || matchers.length == 0) {
      throw new IllegalArgumentException("delete needs at least one label matcher");
    }
    if (mint > maxt) {
      return;
    }
    synchronized (compactLock) {
      for (Block b : blocks) {
        if (b.meta().minTime() <= maxt && b.meta().maxTime() > mint) {
          try {
            b.delete(mint, maxt, matchers);
          } catch (IOException e) {
            throw new UncheckedIOException("deleting series in block " + b.dir() + ": " + e.getMessage(), e);
          }
        }
      }
      deleteInHead(mint, maxt, matchers);
    }
  }

  private void deleteInHead(long mint, long maxt, LabelMatcher... matchers) {
    java.util.Map<Labels, long[]> hit = new java.util.HashMap<>();
    try (Querier q = headQuerier(mint, maxt)) {
      SeriesSet set = q.select(false, null, matchers);
      while (set.next()) {
        // clipped to the series' samples in range, as Prometheus: later appends stay visible
        ChunkIterator it = set.at().iterator(null);
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        while (it.next() != ValueType.NONE) {
          long t = it.atT();
          if (t >= mint && t <= maxt) {
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
          }
        }
        if (lo <= hi) {
          hit.put(set.at().labels(), new long[] {lo, hi});
        }
      }
      if (set.err() != null) {
        throw new IllegalStateException("selecting series to delete in the head: " + set.err().getMessage(), set.err());
      }
    }
    if (hit.isEmpty()) {
      return;
    }
    if (walLog != null) {
      List<Tombstone> stones = new ArrayList<>();
      head.forEachSeries((ref, labels) -> {
        long[] iv = hit.get(labels);
        if (iv != null) {
          stones.add(new Tombstone(ref, iv[0], iv[1]));
        }
      });
      walLog.logTombstones(stones); // in the WAL before queries see it, as a commit
    }
    hit.forEach((l, iv) -> headStones.add(l, iv[0], iv[1]));
  }

  /**
   * Rewrites every block with tombstones without the deleted samples (same range, level and sources;
   * meta.json lists the old block as parent), then deletes the old block, as Prometheus'
   * {@code CleanTombstones}. A block left without samples is just deleted. Head deletions are applied
   * when the head is compacted.
   *
   * @return the number of blocks rewritten or deleted
   * @throws UncheckedIOException if a rewrite fails (the old block stays)
   */
  public int cleanTombstones() {
    requireDir("cleanTombstones");
    synchronized (compactLock) {
      long t0 = System.nanoTime();
      int n = 0;
      for (Block b : blocks) {
        if (b.tombstones().isEmpty()) {
          continue;
        }
        Block nb;
        try {
          Path p = BlockWriter.rewrite(options.dir(), b, b.meta());
          nb = p == null ? null : Block.open(p);
        } catch (IOException e) {
          throw new UncheckedIOException("cleaning tombstones of block " + b.dir() + ": " + e.getMessage(), e);
        }
        replaceBlocks(List.of(b), nb);
        deleteBlock(b, nb == null ? "all its samples deleted" : "tombstones cleaned into " + nb.meta().ulid());
        n++;
      }
      compactionMetrics.cleanup(System.nanoTime() - t0);
      return n;
    }
  }

  /**
   * Writes a snapshot into {@code target} (created if missing), as Prometheus' {@code DB.Snapshot}:
   * every block hard-linked into {@code target/<ULID>}, and with {@code withHead} the head's samples
   * written as one more block. Deletions are kept (tombstones files, deleted head samples left out).
   *
   * @throws UncheckedIOException if linking or writing fails
   */
  public void snapshot(Path target, boolean withHead) {
    requireDir("snapshot");
    synchronized (compactLock) {
      try {
        Files.createDirectories(target);
        for (Block b : blocks) {
          Path dst = target.resolve(b.dir().getFileName().toString());
          try (Stream<Path> files = Files.walk(b.dir())) {
            for (Path f : (Iterable<Path>) files::iterator) {
              Path to = dst.resolve(b.dir().relativize(f).toString());
              if (Files.isDirectory(f)) {
                Files.createDirectories(to);
              } else {
                Files.createLink(to, f);
              }
            }
          }
        }
        long min = head.minTime();
        long max = head.maxTime();
        if (withHead && min != Long.MAX_VALUE && max != Long.MIN_VALUE) {
          BlockWriter.write(target, min, max + 1, this::headQuerier);
        }
        FileUtil.fsyncDir(target);
      } catch (IOException e) {
        throw new UncheckedIOException("snapshot into " + target + ": " + e.getMessage(), e);
      }
    }
  }

  /** The data directory, or null for a memory-only database. */
  public Path dir() {
    return options.dir();
  }

  /** The compaction metrics (also part of {@link #metrics()}). */
  public CompactionMetrics compactionMetrics() {
    return compactionMetrics;
  }

  private void requireDir(String what) {
    if (options.dir() == null) {
      throw new IllegalStateException(what + " needs a data directory; this Tsdb is memory-only");
    }
  }

  /**
   * Deletes whole blocks beyond retention: by time, every block whose end is more than
   * {@code retentionMs} behind the newest block's end; by size, the oldest blocks while blocks and WAL
   * exceed {@code retentionBytes}. Called after each head compaction and on open.
   *
   * @return the number of blocks deleted
   */
  public int applyRetention() {
    if (options.dir() == null) {
      return 0;
    }
    synchronized (compactLock) {
      List<Block> bs = new ArrayList<>(blocks);
      bs.sort(Comparator.comparingLong((Block b) -> b.meta().maxTime()).reversed()); // newest first
      List<Block> doomed = new ArrayList<>();
      List<Block> kept = new ArrayList<>();
      long sizeSum = options.retentionBytes() > 0 ? dirSize(options.dir().resolve("wal")) : 0;
      long newest = bs.isEmpty() ? 0 : bs.get(0).meta().maxTime();
      for (Block b : bs) {
        boolean tooOld = options.retentionMs() > 0 && newest - b.meta().maxTime() > options.retentionMs();
        boolean tooBig = false;
        if (options.retentionBytes() > 0) {
          sizeSum += dirSize(b.dir());
          tooBig = sizeSum > options.retentionBytes();
        }
        (tooOld || tooBig || !doomed.isEmpty() ? doomed : kept).add(b);
      }
      if (doomed.isEmpty()) {
        return 0;
      }
      kept.sort(Comparator.comparingLong((Block x) -> x.meta().minTime()).thenComparing(x -> x.meta().ulid()));
      blocks = List.copyOf(kept);
      for (Block b : doomed) {
        deleteBlock(b, "beyond retention");
      }
      return doomed.size();
    }
  }

  private static void deleteBlock(Block b, String why) {
    // Renamed first, so a crash mid-delete leaves a *.tmp-for-deletion directory that open removes.
    // Not closed: running queries may still read its mappings, which the GC releases.
    Path tmp = b.dir().resolveSibling(b.dir().getFileName() + ".tmp-for-deletion");
    try {
      FileUtil.rename(b.dir(), tmp);
      dev.promkit.tsdb.fileutil.StepHook.reached("retention.before-delete");
      FileUtil.deleteRecursively(tmp);
      LOG.log(System.Logger.Level.INFO, "deleted block {0} ({1})", b.dir(), why);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "deleting block " + b.dir() + " failed: " + e.getMessage(), e);
    }
  }

  private static long dirSize(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // deleted meanwhile
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
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
    // Whole chunks are dropped, so deleted samples up to a block range before mint may remain; chunks
    // never cross a multiple of the range, so none older than that does.
    long r = options.blockRange();
    headStones.truncate(mint < Long.MIN_VALUE + r ? Long.MIN_VALUE : mint - r);
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

  /**
   * Stops background compaction, unregisters the metrics, closes the head, the WAL (flushing and
   * fsyncing it) and the blocks, and releases the directory lock. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (compactor != null) {
      // No interrupt: it would close the FileChannels of a block or checkpoint being written.
      compactor.shutdown();
      try {
        compactor.awaitTermination(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (compactLock) { // a direct compactHead() call finishes first
        closeBlocks(blocks);
        blocks = List.of();
      }
    }
    try {
      closeHeadAndWal();
    } finally {
      if (lock != null) {
        try {
          lock.close();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "releasing " + options.dir() + "/lock: " + e.getMessage(), e);
        }
      }
    }
  }

  private void closeHeadAndWal() {
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
