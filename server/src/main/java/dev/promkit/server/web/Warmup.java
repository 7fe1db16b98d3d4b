package dev.promkit.server.web;

import dev.promkit.client.registry.Registry;
import dev.promkit.promql.engine.Engine;
import dev.promkit.server.config.Config;
import dev.promkit.server.scrape.Target;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Warms the JIT for the query path before the server reports ready: a JVM runs its first requests
 * interpreted, several times slower than later ones. For a fixed time budget it sends PromQL
 * queries over loopback HTTP (a new connection each, as most clients do) to web servers of its own
 * whose API reads a small synthetic database in a temporary directory (two blocks on disk and a
 * head), so the HTTP exchange, parser, engine, querier assembly over blocks and head, chunk
 * decoding and JSON writing are compiled when the first real query arrives. The user's data is
 * never read. Everything it creates is removed before it returns.
 *
 * <p>Two things decide whether the first real queries still pay for the JIT. First, while the
 * warm-up's many query shapes keep the optimizing compiler (one thread on a small machine) behind,
 * the JIT raises its thresholds, and code that became hot meanwhile is reconsidered only at its
 * next check (every 1024 calls): the first real requests would start several dozen compilations
 * that compete with them for the CPU. So, once the compiler's backlog drained, the warm-up sends
 * {@linkplain #settle rounds} of one-series queries until a round makes the JIT compile nearly
 * nothing. (Code that runs once per request stays in the first compiler's code; bringing it to
 * the optimizing compiler takes some 5,000 calls and seconds of compiling on two cores.) Second,
 * optimized code assumes the types and branches it has seen: a real request that takes a path the
 * warm-up never took throws that code away (a deoptimization) and has it compiled again while the
 * user waits. So the warm-up sends what real clients send (curl's, Python's and Go's request
 * headers), through API backends of three classes (the server's own is a fourth: calls to the
 * backend are compiled for any class), over series that are in blocks and the head, only in blocks
 * (also with an empty head, as on a server started on backfilled data) and only in the head.
 */
public final class Warmup {
  private static final System.Logger LOG = System.getLogger(Warmup.class.getName());
  private static final boolean TRACE = Boolean.getBoolean("promkit.warmup.trace");
  private static final int MIN_REQUESTS = 200;
  private static final long STEP_MS = 10_000;
  private static final long INTERVAL_MS = 10_000; // as a usual scrape: chunks fill up as in real blocks
  // Three block ranges of 2h: the head is compacted while it spans more than 1.5 ranges, so the first
  // two become blocks and the last stays in the head; the queries' window (1000 steps) reaches back
  // into the second block. (With 5h only one block was cut and the window never reached it, so the
  // block read path, BlockQuerier and MergeQuerier, first ran on the user's queries, interpreted.)
  private static final long SPAN_MS = 6 * 3600_000L;
  private static final long START_MS = 1_600_000_000_000L - 1_600_000_000_000L % (2 * 3600_000L);
  static final long END_MS = START_MS + SPAN_MS - STEP_MS; // the range queries' last step
  static final long FIRST_STEP_MS = END_MS - 999 * STEP_MS; // 1000 steps
  private static final long HEAD_FROM_MS = START_MS + 2 * 2 * 3600_000L; // the last block range stays in the head
  /**
   * Settle rounds send this many one-series requests: code that runs a few times per request or
   * more (per series, chunk, header byte) passes a point where the JIT reconsiders it (every 1024
   * calls in profiled code), code that runs once per request mostly does not.
   */
  private static final int ROUND = 256;
  /** A round that made the JIT compile for at most this long (summed over its threads) ends the warm-up. */
  private static final long SETTLED_MS = 5;
  /**
   * Request headers of common clients (curl, Python's urllib, Go's net/http as in Grafana and
   * promtool): header parsing and the gzip decision get compiled for each.
   */
  private static final List<String> HEADERS = List.of(
      "Host: localhost\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n",
      "Accept-Encoding: identity\r\nHost: localhost\r\nUser-Agent: Python-urllib/3.11\r\nConnection: close\r\n",
      "Host: localhost\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n");

  /**
   * The one-series range queries of the settle rounds, each with the database it reads: w_one is in
   * blocks and the head (a merged series), in blocks only when read from the copy without a head,
   * w_old is in blocks only, w_new in the head only. Two hours back, the copy's w_one is in two
   * blocks at once beside its empty head: the merge of a server started on backfilled blocks, which
   * the first real query over more than one block otherwise met first (and deoptimized).
   */
  static final String[] CHEAP = {"w_one", "w_one", "w_old", "w_new", "w_one offset 2h"};
  /** Which server each of {@link #CHEAP} goes to: 0 and 2 read the database with a head, 1 its blocks-only copy. */
  static final int[] CHEAP_SERVER = {0, 1, 2, 2, 1};

  /** Range queries over the synthetic series: selectors, functions, aggregations, binary operators. */
  private static final List<String> RANGE = List.of("w_one", "w_hundred", "rate(w_hundred[1m])",
      "sum(w_hundred)", "-w_hundred", "w_hundred - v_ten", "abs(v_ten)", "sum by (l)(rate(v_ten[5m]))",
      "w_hundred and v_ten{l=~'.*[0-4]$'}", "count({__name__!=\"\"})", "topk(3, v_ten)",
      "v_ten + on(l) group_right w_one", "timestamp(v_ten)",
      "histogram_quantile(0.9, rate(h_ten[5m]))", "label_replace(w_one, 'l2', '$1', 'l', '(.*)')");

  private Warmup() {}

  /**
   * Runs the warm-up: builds the synthetic database (about a second), sends mixed queries for half
   * of {@code budgetMillis} (longer, up to four times the budget, on a machine too loaded to send
   * {@value #MIN_REQUESTS} in that time), lets the compiler catch up (at most half the budget),
   * sends settle rounds (at most half the budget) and waits for the compiler again (at most half
   * the budget); nothing when 0 or less.
   *
   * @param engine the engine the real API uses (its code, not its state, gets compiled)
   * @return the number of requests sent
   */
  public static int run(Engine engine, long budgetMillis) {
    return run(engine, budgetMillis, null);
  }

  /** As {@link #run(Engine, long)}, with the temporary database under parent (null: the system's temp dir). */
  static int run(Engine engine, long budgetMillis, Path parent) {
    if (budgetMillis <= 0) {
      return 0;
    }
    long t0 = System.nanoTime();
    Path dir = null;
    int requests = 0;
    try {
      dir = parent == null ? Files.createTempDirectory("promkit-warmup")
          : Files.createTempDirectory(parent, "promkit-warmup");
      Path copy = dir.resolve("blocks-only");
      warmDecoder();
      try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir.resolve("db")))) {
        prepare(db);
        copyBlocks(db, copy);
        LOG.log(System.Logger.Level.DEBUG, "warm-up database: filled and compacted in "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
        try (Tsdb blocksOnly = Tsdb.open(TsdbOptions.defaults().withDir(copy));
            WebServer web = serve(new Backend(db, engine));
            WebServer bare = serve(new BlocksOnlyBackend(blocksOnly, engine));
            WebServer other = serve(new OtherBackend(db, engine))) {
          int[] ports = {web.port(), bare.port(), other.port()};
          long budget = budgetMillis * 1_000_000L;
          requests = drive(ports, budget);
          awaitCompilations(budgetMillis / 2); // the backlog drains: the JIT's thresholds drop again
          requests += settle(ports, budget / 2);
        }
        awaitCompilations(budgetMillis / 2);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "query warm-up stopped early: " + e);
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
    LOG.log(System.Logger.Level.INFO, "query warm-up: " + requests + " requests in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    return requests;
  }

  /**
   * Decodes XOR chunks of every shape the decoder has a path for (regular and jittery scrapes, gaps of
   * every delta-of-delta bucket, integer counters, fractional gauges, full-precision values, constant
   * runs, stale markers) before anything else decodes: the JIT compiles the decoder with a profile in
   * which every branch was taken. From the warm-up's own tidy series alone, the first real query
   * met a branch never seen and threw the compiled decoder away (a deoptimization) while the user
   * waited.
   */
  static long warmDecoder() {
    java.util.Random r = new java.util.Random(20261128);
    long[] ts = new long[128];
    double[] vs = new double[128];
    long sink = 0;
    for (int round = 0; round < 400; round++) {
      XorChunk c = new XorChunk();
      ChunkAppender app = c.appender();
      int shape = round % 8;
      long t = START_MS + r.nextInt(1000);
      double v = shape == 4 ? 1 : r.nextInt(100_000);
      for (int i = 0; i < 120; i++) {
        app.append(t, v);
        long step = INTERVAL_MS;
        if ((shape & 1) == 1) {
          step += r.nextInt(101) - 50; // scrape jitter
        }
        if (shape == 7 && r.nextInt(10) == 0) {
          step += r.nextInt(4) == 0 ? 1L << (20 + r.nextInt(20)) : r.nextInt(600_000); // gaps: every bucket
        }
        t += step;
        switch (shape) {
          case 0: case 1: v += r.nextInt(41); break; // counters
          case 2: case 3: v = Math.max(0, v + r.nextGaussian() * 0.05); break; // gauges
          case 4: break; // constant
          case 5: v = r.nextDouble() * 1e6; break; // full precision
          default: v = r.nextInt(20) == 0 ? Double.longBitsToDouble(0x7ff0000000000002L) : v + r.nextInt(3) * 0.5;
        }
      }
      int n = c.decodeAll(ts, vs);
      ChunkIterator it = c.iterator(null);
      while (it.next() == ValueType.FLOAT) {
        sink += it.atT();
      }
      sink += n + ts[n - 1];
    }
    return sink;
  }

  private static WebServer serve(Backend backend) throws IOException {
    return WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new Api(backend), new Registry());
  }

  /** Copies the database's blocks into an empty directory: opened there, they come with an empty head. */
  static void copyBlocks(Tsdb db, Path to) throws IOException {
    Files.createDirectories(to);
    for (dev.promkit.tsdb.block.Block b : db.blocks()) {
      Path into = to.resolve(b.dir().getFileName());
      try (java.util.stream.Stream<Path> files = Files.walk(b.dir())) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, into.resolve(b.dir().relativize(f).toString()));
        }
      }
    }
  }

  /**
   * Waits (at most maxMillis) until the JIT has compiled nothing for 100 ms: on a busy machine its
   * threads lag behind, and the first real queries would otherwise run the slower profiling code.
   */
  private static void awaitCompilations(long maxMillis) {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long until = System.nanoTime() + maxMillis * 1_000_000L;
    long last = jit.getTotalCompilationTime();
    try {
      while (System.nanoTime() - until < 0) {
        Thread.sleep(100);
        long now = jit.getTotalCompilationTime();
        if (now == last) {
          return;
        }
        last = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The synthetic data, appended and compacted as {@link #run} does (for tests). */
  static void prepare(Tsdb db) {
    fill(db);
    db.compactHead();
  }

  /**
   * Whether the range queries' window, lookback included, overlaps a block and the head's samples
   * (for tests: a changed constant must not silently leave the block read path cold).
   */
  static boolean windowReachesABlockAndTheHead(Tsdb db) {
    long from = FIRST_STEP_MS - 5 * 60_000L; // the lookback before the first step
    boolean block = db.blocks().stream().anyMatch(b -> b.meta().minTime() <= END_MS && b.meta().maxTime() > from);
    long lastBlockEnd = db.blocks().stream().mapToLong(b -> b.meta().maxTime()).max().orElse(Long.MIN_VALUE);
    return block && lastBlockEnd <= END_MS; // samples after the last block are in the head
  }

  private static void fill(Tsdb db) {
    Appender app = db.appender();
    Labels one = Labels.of("__name__", "w_one");
    Labels old = Labels.of("__name__", "w_old");
    Labels fresh = Labels.of("__name__", "w_new");
    Labels[] w = new Labels[100];
    Labels[] v = new Labels[10];
    Labels[] h = new Labels[5];
    for (int i = 0; i < w.length; i++) {
      w[i] = Labels.of("__name__", "w_hundred", "l", Integer.toString(i));
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = Labels.of("__name__", "v_ten", "l", Integer.toString(i));
    }
    String[] le = {"1", "2", "5", "10", "+Inf"};
    for (int i = 0; i < le.length; i++) {
      h[i] = Labels.of("__name__", "h_ten", "le", le[i]);
    }
    for (long t = START_MS, k = 0; t < START_MS + SPAN_MS; t += INTERVAL_MS, k++) {
      app.append(0, one, t, k);
      // fractional values, as most real series have: XOR deltas with wide windows (over 43
      // significant bits), a branch of the decoder that integer-valued series never take
      app.append(0, t < HEAD_FROM_MS ? old : fresh, t, k + k / 1443.0);
      for (int i = 0; i < w.length; i++) {
        app.append(0, w[i], t, k * (i + 1));
      }
      for (int i = 0; i < v.length; i++) {
        app.append(0, v[i], t, k * 0.5 + i);
      }
      for (int i = 0; i < h.length; i++) {
        app.append(0, h[i], t, k * (i + 1));
      }
      if (k % 100 == 99) {
        app.commit();
        app = db.appender();
      }
    }
    app.commit();
  }

  /** A range query over the queries' window (the last step over the head, the first over a block). */
  private static String range(String expr) {
    return "/api/v1/query_range?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
        + "&start=" + FIRST_STEP_MS / 1000 + "&end=" + END_MS / 1000 + "&step=" + STEP_MS / 1000;
  }

  private static int drive(int[] ports, long budgetNanos) throws IOException {
    String[] requests = new String[RANGE.size() + 1];
    for (int i = 0; i < RANGE.size(); i++) {
      requests[i] = range(RANGE.get(i));
    }
    requests[RANGE.size()] = "/api/v1/query?query=" + URLEncoder.encode("sum by (l)(v_ten)", StandardCharsets.UTF_8)
        + "&time=" + END_MS / 1000;
    byte[] buf = new byte[1 << 16];
    int n = 0;
    // Half the requests are the cheapest ones (one series), a quarter the plain selector over a
    // hundred series (the shape of most dashboard queries), the rest cycles through the list, until
    // half the budget is gone and MIN_REQUESTS were sent (at most four budgets on a loaded machine).
    long t0 = System.nanoTime();
    while (true) {
      long elapsed = System.nanoTime() - t0;
      if ((elapsed >= budgetNanos / 2 && n >= MIN_REQUESTS) || elapsed >= 4 * budgetNanos) {
        return n;
      }
      if ((n & 1) == 0) {
        cheap(ports, n >> 1, buf);
      } else {
        String target = (n & 3) == 1 ? requests[1] : requests[2 + (n >> 2) % (requests.length - 2)];
        // both backends over the database with a head: neither class alone shapes the compiled calls
        get(ports[(n & 2) == 0 ? 0 : 2], target, HEADERS.get(n % HEADERS.size()), buf);
      }
      n++;
    }
  }

  /** The i-th one-series request of the rotation over the three servers and the clients' headers. */
  private static void cheap(int[] ports, int i, byte[] buf) throws IOException {
    int k = i % CHEAP.length;
    get(ports[CHEAP_SERVER[k]], range(CHEAP[k]), HEADERS.get(i % HEADERS.size()), buf);
  }

  /**
   * Rounds of {@value #ROUND} one-series requests, each followed by a wait for the compiler, until
   * a round made the JIT compile for at most {@value #SETTLED_MS} ms (usually the second or third),
   * or for at most maxNanos. Called once the backlog of the mixed queries drained, when the JIT's
   * thresholds are back at their lowest.
   *
   * @return the requests sent
   */
  private static int settle(int[] ports, long maxNanos) throws IOException {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return 0;
    }
    byte[] buf = new byte[1 << 16];
    long t0 = System.nanoTime();
    int n = 0;
    for (int round = 0; ; round++) {
      long c0 = jit.getTotalCompilationTime();
      for (int i = 0; i < ROUND; i++) {
        cheap(ports, n++, buf);
      }
      awaitCompilations(Math.max(0, maxNanos - (System.nanoTime() - t0)) / 1_000_000);
      long compiling = jit.getTotalCompilationTime() - c0;
      if (TRACE) {
        System.err.println("warm-up settle round " + round + ": JIT busy " + compiling + " ms, at "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
      if (compiling <= SETTLED_MS || System.nanoTime() - t0 >= maxNanos) {
        return n;
      }
    }
  }

  /**
   * One GET on a new connection; reads the response to its end (as a client that keeps connections
   * alive does: by its length or its chunks) and closes the connection.
   */
  private static void get(int port, String target, String headers, byte[] buf) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      new Response(s.getInputStream(), buf).read(target);
    }
  }

  /** Reads one HTTP/1.1 response from a buffer refilled from the stream. */
  private static final class Response {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int len;

    Response(InputStream in, byte[] buf) {
      this.in = in;
      this.buf = buf;
    }

    void read(String target) throws IOException {
      String status = line();
      if (!status.startsWith("HTTP/1.1 2")) {
        throw new IOException("warm-up query " + target + " failed: " + status);
      }
      long length = -1;
      boolean chunked = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        String lower = h.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring("content-length:".length()).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
          skip(size);
          line(); // the CRLF after the chunk's data
        }
        while (!line().isEmpty()) {
          // trailer fields
        }
      } else if (length >= 0) {
        skip(length);
      } else {
        while (fill()) {
          pos = len; // to the end of the stream
        }
      }
    }

    private long chunkSize() throws IOException {
      String l = line();
      int semi = l.indexOf(';');
      return Long.parseLong((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
    }

    /** The next line without its CRLF. */
    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos == len && !fill()) {
          throw new IOException("warm-up: response ended early");
        }
        byte b = buf[pos++];
        if (b == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        sb.append((char) (b & 0xff));
      }
    }

    private void skip(long n) throws IOException {
      while (n > 0) {
        if (pos == len && !fill()) {
          throw new IOException("warm-up: response ended early");
        }
        int k = (int) Math.min(n, len - pos);
        pos += k;
        n -= k;
      }
    }

    private boolean fill() throws IOException {
      int r = in.read(buf);
      if (r < 0) {
        return false;
      }
      pos = 0;
      len = r;
      return true;
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileUtil.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remove the warm-up directory " + dir + ": " + e);
    }
  }


  /** A backend of another class over the database without a head. */
  private static final class BlocksOnlyBackend extends Backend {
    BlocksOnlyBackend(Tsdb db, Engine engine) {
      super(db, engine);
    }
  }

  /** A third backend class, so that no call to the backend is compiled for two classes only. */
  private static final class OtherBackend extends Backend {
    OtherBackend(Tsdb db, Engine engine) {
      super(db, engine);
    }
  }

  /** The synthetic database behind the real engine; nothing else is served. */
  private static class Backend implements ApiBackend {
    private final Tsdb db;
    private final Engine engine;

    Backend(Tsdb db, Engine engine) {
      this.db = db;
      this.engine = engine;
    }

    @Override
    public Tsdb tsdb() {
      return db;
    }

    @Override
    public Engine engine() {
      return engine;
    }

    @Override
    public Config config() {
      throw new UnsupportedOperationException("warm-up");
    }

    @Override
    public List<Target> activeTargets() {
      return List.of();
    }

    @Override
    public List<Labels> droppedTargets() {
      return List.of();
    }

    @Override
    public Map<String, String> flags() {
      return Map.of();
    }

    @Override
    public Registry registry() {
      return new Registry();
    }

    @Override
    public Instant startTime() {
      return Instant.EPOCH;
    }

    @Override
    public boolean lastReloadSucceeded() {
      return true;
    }

    @Override
    public Instant lastConfigTime() {
      return Instant.EPOCH;
    }

    @Override
    public boolean lifecycleEnabled() {
      return false;
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public void reload() {
      throw new UnsupportedOperationException("warm-up");
    }
  }
}
