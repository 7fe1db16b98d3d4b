package dev.promkit.server.web;

import dev.promkit.client.registry.Registry;
import dev.promkit.promql.engine.Engine;
import dev.promkit.server.config.Config;
import dev.promkit.server.scrape.Target;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.TsdbOptions;
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
 * queries over loopback HTTP (a new connection each, as most clients do) to a second web server
 * whose API reads a small synthetic database in a temporary directory (two blocks on disk and a
 * head), so the HTTP exchange, parser, engine, querier assembly over blocks and head, chunk
 * decoding and JSON writing are compiled when the first real query arrives. The user's data is
 * never read. Everything it creates is removed before it returns.
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
  private static final long END_MS = START_MS + SPAN_MS - STEP_MS; // the range queries' last step
  private static final long FIRST_STEP_MS = END_MS - 999 * STEP_MS; // 1000 steps

  /** Range queries over the synthetic series: selectors, functions, aggregations, binary operators. */
  private static final List<String> RANGE = List.of("w_one", "w_hundred", "rate(w_hundred[1m])",
      "sum(w_hundred)", "-w_hundred", "w_hundred - v_ten", "abs(v_ten)", "sum by (l)(rate(v_ten[5m]))",
      "w_hundred and v_ten{l=~'.*[0-4]$'}", "count({__name__!=\"\"})", "topk(3, v_ten)",
      "v_ten + on(l) group_right w_one", "timestamp(v_ten)",
      "histogram_quantile(0.9, rate(h_ten[5m]))", "label_replace(w_one, 'l2', '$1', 'l', '(.*)')");

  private Warmup() {}

  /**
   * Runs the warm-up: builds the synthetic database (about a second), then sends queries for
   * {@code budgetMillis}, longer (up to four and a half times) on a machine too loaded to send
   * {@value #MIN_REQUESTS} in half that time; nothing when 0 or less.
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
      try (Tsdb db = Tsdb.open(TsdbOptions.defaults().withDir(dir))) {
        prepare(db);
        LOG.log(System.Logger.Level.DEBUG, "warm-up database: filled and compacted in "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
        try (WebServer web = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new Api(new Backend(db, engine)), new Registry())) {
          requests = drive(web.port(), budgetMillis * 1_000_000L);
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

  private static int drive(int port, long budgetNanos) throws IOException {
    String[] requests = new String[RANGE.size() + 1];
    long end = END_MS;
    long start = FIRST_STEP_MS; // the last step over the head, the first over a block
    for (int i = 0; i < RANGE.size(); i++) {
      requests[i] = "/api/v1/query_range?query=" + URLEncoder.encode(RANGE.get(i), StandardCharsets.UTF_8)
          + "&start=" + start / 1000 + "&end=" + end / 1000 + "&step=" + STEP_MS / 1000;
    }
    requests[RANGE.size()] = "/api/v1/query?query=" + URLEncoder.encode("sum by (l)(v_ten)", StandardCharsets.UTF_8)
        + "&time=" + end / 1000;
    byte[] buf = new byte[1 << 16];
    int n = 0;
    // Per-request code needs thousands of calls to be compiled, per-series and per-point code far
    // fewer. Phase 1: half the requests are the cheapest one (one series), a quarter the plain
    // selector over a hundred series (the shape of most dashboard queries), the rest cycles through
    // the list, until half the budget is gone and MIN_REQUESTS were sent (at most four budgets on
    // a loaded machine). Phase 2, the rest of the budget but at least half a budget: the expensive
    // queries of phase 1 leave per-request code (accept, HTTP parsing, parameters, PromQL parsing,
    // engine set-up, JSON) at a few hundred calls, short of the optimizing compiler's threshold, so
    // now nearly only the one-series query, a thousand or more of them.
    long t0 = System.nanoTime();
    long cheapUntil = -1; // phase 2's end, once it started
    while (true) {
      long elapsed = System.nanoTime() - t0;
      if (cheapUntil < 0 && ((elapsed >= budgetNanos / 2 && n >= MIN_REQUESTS) || elapsed >= 4 * budgetNanos)) {
        cheapUntil = Math.max(budgetNanos, elapsed + budgetNanos / 2);
      }
      if (cheapUntil >= 0 && elapsed >= cheapUntil) {
        break;
      }
      String target;
      if (cheapUntil < 0) {
        target = (n & 1) == 0 ? requests[0]
            : (n & 3) == 1 ? requests[1] : requests[2 + (n >> 2) % (requests.length - 2)];
      } else {
        target = n % 32 == 31 ? requests[1 + (n >> 5) % (requests.length - 1)] : requests[0];
      }
      long q0 = System.nanoTime();
      get(port, target, buf);
      if (TRACE) {
        System.err.println("warm-up " + target + ": " + (System.nanoTime() - q0) / 1000 + " us");
      }
      n++;
    }
    return n;
  }

  /** One GET on a new connection; reads the response to its end. */
  private static void get(int port, String target, byte[] buf) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      int first = in.read(buf);
      if (first < 12 || buf[9] != '2') { // "HTTP/1.1 200"
        throw new IOException("warm-up query " + target + " failed: "
            + new String(buf, 0, Math.max(first, 0), StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
      }
      while (in.read(buf) >= 0) {
        // drain
      }
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileUtil.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remove the warm-up directory " + dir + ": " + e);
    }
  }


  /** The synthetic database behind the real engine; nothing else is served. */
  private static final class Backend implements ApiBackend {
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
