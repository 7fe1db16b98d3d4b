package dev.promkit.tsdb.backfill;

import dev.promkit.tsdb.block.BlockMeta;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.block.BlockWriter.SeriesChunks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Writes TSDB blocks from an OpenMetrics file as {@code promtool tsdb create-blocks-from openmetrics}
 * (Prometheus 2.42) does, in one streaming pass with the parsing spread over the cores (promtool reads
 * the whole file into memory and parses it once per block range, plus once for the time range).
 *
 * <p>The rules reproduced from promtool:
 * <ul>
 *   <li>Timestamps are seconds (a float), converted to ms by truncation ({@code int64(ts*1000)}:
 *       {@code 1.003} is 1002 ms); every sample needs one; the file must end with {@code # EOF}.
 *       Labels with empty values are dropped. {@code NaN} is stored with the bits of Go's
 *       {@code math.NaN()} (0x7ff8000000000001).</li>
 *   <li>Block ranges: the maximum block duration rounded down to Prometheus' level ranges
 *       (2h·3^i: 2h, 6h, 18h, 54h, …; below 2h it is 2h, so {@code 24h} gives 18h), aligned to
 *       multiples of it from the epoch; a block's meta spans its first to its last sample + 1 ms.</li>
 *   <li>Within a range, samples are appended in file order and committed every
 *       {@value #SAMPLES_PER_COMMIT} appends: a sample older than the series' newest <em>committed</em>
 *       sample fails the range with {@code out of order sample}, one at the same timestamp with another
 *       value with {@code duplicate sample for timestamp}; a sample not newer than one of the same
 *       uncommitted batch is dropped silently (so is an identical repeat).</li>
 *   <li>Any parse error, a missing timestamp or a missing {@code # EOF} writes no block at all. An
 *       out-of-order failure writes the blocks of the ranges before the failing one, then fails.</li>
 * </ul>
 * Errors name the line. Memory: the samples are held XOR-encoded (about 2 bytes each for regular
 * data) until the blocks are written at the end.
 */
public final class Backfill {
  /** promtool's default {@code --max-block-duration}: 2h. */
  public static final long DEFAULT_MAX_BLOCK_DURATION_MS = 2 * 3600_000L;
  /** promtool's {@code maxSamplesInAppender}. */
  static final int SAMPLES_PER_COMMIT = 5000;
  private static final int READ_BUFFER = 4 << 20;

  /** Receives progress and created blocks; both methods are optional. */
  public interface Listener {
    /** Called now and then while reading, and once at the end. */
    default void progress(long bytesRead, long totalBytes) {}

    /** Called after each block is written, in time order. */
    default void blockWritten(CreatedBlock block) {}
  }

  private final long blockDuration;
  private final long chunkRange;
  private final Listener listener;
  private final Map<Long, RangeState> ranges = new HashMap<>();
  private long lastRangeKey = Long.MIN_VALUE;
  private RangeState lastRange;
  private long minT = Long.MAX_VALUE;
  private long maxT = Long.MIN_VALUE;
  private long lineNo; // lines applied so far; during ingest, the line of the sample at hand
  private boolean ended; // saw "# EOF"

  private Backfill(long blockDuration, Listener listener) {
    this.blockDuration = blockDuration;
    // promtool's block writer pretends the block is twice as long; its head cuts chunks at that range
    this.chunkRange = 2 * blockDuration;
    this.listener = listener;
  }

  /**
   * promtool's block duration for a maximum: 2h, or the largest of 2h·3^i (i &lt; 10) not above it.
   */
  public static long blockDuration(long maxBlockDurationMs) {
    long d = DEFAULT_MAX_BLOCK_DURATION_MS;
    if (maxBlockDurationMs <= d) {
      return d;
    }
    long best = d;
    for (int i = 0; i < 10; i++, d *= 3) {
      if (d > maxBlockDurationMs) {
        return best;
      }
      best = d;
    }
    return best; // something enormous: the largest range
  }

  /**
   * Reads {@code input} and writes its blocks into {@code outputDir} (created if missing).
   *
   * @param maxBlockDurationMs the {@code --max-block-duration}, see {@link #blockDuration}
   * @return the blocks written, in time order
   * @throws BackfillException on bad input (nothing written) or an out-of-order sample (the earlier
   *     ranges' blocks are written)
   * @throws IOException when reading or writing fails
   */
  public static List<CreatedBlock> run(Path input, Path outputDir, long maxBlockDurationMs, Listener listener)
      throws IOException, BackfillException {
    return run(input, outputDir, maxBlockDurationMs, listener, READ_BUFFER);
  }

  static List<CreatedBlock> run(Path input, Path outputDir, long maxBlockDurationMs, Listener listener, int readBuffer)
      throws IOException, BackfillException {
    Backfill b = new Backfill(blockDuration(maxBlockDurationMs), listener == null ? new Listener() {} : listener);
    b.read(input, readBuffer);
    return b.write(outputDir);
  }

  // ---- reading ----

  /**
   * Streams the file in chunks of whole lines; worker threads parse them (parsing, float conversion
   * above all, is most of the cost) while this thread reads ahead and applies the parsed samples in
   * file order, so the result is the one of a sequential pass.
   */
  private void read(Path input, int readBuffer) throws IOException, BackfillException {
    int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    ConcurrentHashMap<Labels, SeriesEntry> series = new ConcurrentHashMap<>();
    ThreadLocal<LineParser> parsers = ThreadLocal.withInitial(() -> new LineParser(series));
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "promkit-backfill-parse");
      t.setDaemon(true);
      return t;
    });
    ArrayDeque<Future<ParsedChunk>> inFlight = new ArrayDeque<>();
    try (FileChannel ch = FileChannel.open(input, StandardOpenOption.READ)) {
      long total = ch.size();
      long done = 0;
      long nextReport = 0;
      int size = (int) Math.min(readBuffer, Math.max(total, 64));
      byte[] buf = new byte[size];
      int len = 0;
      boolean eof = false;
      while (!eof) {
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
        }
        int r = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
        if (r < 0) {
          eof = true;
        } else {
          len += r;
          done += r;
          if (done >= nextReport) {
            listener.progress(done, total);
            nextReport = done + Math.max(total / 200, 1);
          }
          if (len < buf.length && done < total) {
            continue; // fill the buffer
          }
        }
        int cut = eof ? len : lastNewline(buf, len) + 1;
        if (cut == 0 && !eof) {
          continue; // no complete line yet: grow and read more
        }
        byte[] next = new byte[Math.max(size, len - cut + 1024)];
        System.arraycopy(buf, cut, next, 0, len - cut);
        byte[] chunk = buf;
        int chunkLen = cut;
        if (chunkLen > 0) {
          inFlight.add(pool.submit(() -> parsers.get().parse(chunk, chunkLen)));
        }
        buf = next;
        len -= cut;
        while (inFlight.size() > workers + 1) {
          ingest(await(inFlight.poll()));
        }
      }
      while (!inFlight.isEmpty()) {
        ingest(await(inFlight.poll()));
      }
      listener.progress(done, total);
      if (!ended) {
        throw new BackfillException("getting min and max timestamp: next: data does not end with # EOF", lineNo, null);
      }
    } finally {
      for (Future<ParsedChunk> f : inFlight) {
        f.cancel(true);
      }
      pool.shutdownNow();
    }
  }

  private static int lastNewline(byte[] b, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static ParsedChunk await(Future<ParsedChunk> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("backfill interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new IOException(c);
    }
  }

  /** Applies a parsed chunk's samples, in order; fails at its first error (lines made absolute). */
  private void ingest(ParsedChunk c) throws BackfillException {
    long base = lineNo;
    if (ended && c.lines > 0) {
      lineNo = base + 1;
      throw new BackfillException("getting min and max timestamp: next: line " + lineNo
          + ": unexpected data after # EOF", lineNo, null);
    }
    for (int i = 0; i < c.samples; i++) {
      lineNo = base + c.line[i];
      sample(c.series[i], c.t[i], c.v[i]);
    }
    if (c.errorLine != 0) {
      lineNo = base + c.errorLine;
      throw new BackfillException(c.errorMessage.replace("%LINE%", Long.toString(lineNo)), lineNo, null);
    }
    lineNo = base + c.lines;
    if (c.eofLine != 0) {
      ended = true;
    }
  }

  /** promtool's per-range appender rules; see the class comment. */
  private void sample(SeriesEntry s, long t, double v) {
    if (t < minT) {
      minT = t;
    }
    if (t > maxT) {
      maxT = t;
    }
    long key = Math.floorDiv(t, blockDuration);
    RangeState r;
    if (key == lastRangeKey) {
      r = lastRange;
    } else {
      r = ranges.computeIfAbsent(key, RangeState::new);
      lastRangeKey = key;
      lastRange = r;
    }
    if (r.failure != null) {
      return;
    }
    RangeSeries rs = s.range(key, r);
    long bits = Double.doubleToRawLongBits(v);
    if (rs.pendingEpoch != r.epoch) { // a commit happened since this series' last append
      rs.committedMaxT = rs.maxT;
      rs.committedBits = rs.lastBits;
      rs.hasCommitted = rs.samples > 0;
      rs.pendingEpoch = r.epoch;
    }
    if (rs.hasCommitted) {
      if (t < rs.committedMaxT) {
        r.failure = new BackfillException("block creation: process blocks: add sample: out of order sample (line "
            + lineNo + ": " + s.labels + " at " + t + " ms, after " + rs.committedMaxT + " ms)", lineNo, null);
        return;
      }
      if (t == rs.committedMaxT && bits != rs.committedBits) {
        r.failure = new BackfillException("block creation: process blocks: add sample: duplicate sample for timestamp"
            + " (line " + lineNo + ": " + s.labels + " at " + t + " ms)", lineNo, null);
        return;
      }
    }
    if (rs.samples == 0 || t > rs.maxT) {
      rs.append(t, v, chunkRange);
      r.samples++;
      if (t < r.minT) {
        r.minT = t;
      }
      if (t > r.maxT) {
        r.maxT = t;
      }
    } // else: dropped by the commit, as promtool's head drops it
    if (++r.appends >= SAMPLES_PER_COMMIT) {
      r.epoch++;
      r.appends = 0;
    }
  }

  // ---- writing ----

  private List<CreatedBlock> write(Path outputDir) throws IOException, BackfillException {
    List<CreatedBlock> out = new ArrayList<>();
    if (ranges.isEmpty()) {
      return out;
    }
    // promtool starts at mint rounded toward zero to a multiple of the duration (Go's division), so
    // samples before that (negative timestamps only) are never written
    long start = blockDuration * (minT / blockDuration);
    List<RangeState> sorted = new ArrayList<>(ranges.values());
    sorted.sort((a, b) -> Long.compare(a.key, b.key));
    Files.createDirectories(outputDir);
    for (RangeState r : sorted) {
      if (r.key * blockDuration < start) {
        continue;
      }
      if (r.failure != null) {
        throw r.failure;
      }
      if (r.samples == 0) {
        continue;
      }
      List<SeriesChunks> series = new ArrayList<>(r.series.size());
      for (RangeSeries rs : r.series) {
        if (rs.samples > 0) {
          series.add(new SeriesChunks(rs.series.labels, rs.chunks()));
        }
      }
      r.series.clear(); // let the chunks go once written
      Path dir = BlockWriter.write(outputDir, r.minT, r.maxT + 1, series);
      BlockMeta m = BlockMeta.read(dir);
      CreatedBlock b = new CreatedBlock(dir, m.ulid(), m.minTime(), m.maxTime(), m.numSamples(), m.numChunks(),
          m.numSeries(), size(dir));
      out.add(b);
      listener.blockWritten(b);
    }
    return out;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long sum = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          sum += Files.size(p);
        }
      }
      return sum;
    }
  }
}
