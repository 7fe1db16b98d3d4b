package dev.promkit.server.scrape;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionParseException;
import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.server.config.ScrapeConfig;
import dev.promkit.server.config.ScrapeLimits;
import dev.promkit.server.relabel.Relabeler;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.StorageException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * Scrapes one target: fetch, parse with the client's streaming parser, label, relabel, append
 * (one commit per scrape), mark vanished series stale, append the synthetic report series.
 */
final class ScrapeLoop {
  private static final System.Logger LOG = System.getLogger(ScrapeLoop.class.getName());
  /** Prometheus' staleness marker: a NaN with this exact bit pattern. */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final String[] REPORT = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
      "scrape_samples_post_metric_relabeling", "scrape_series_added"};

  /** A scrape that fails as a whole (limits); the message is Prometheus' wording. */
  static final class ScrapeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    ScrapeFailure(String message) {
      super(message);
    }
  }

  private final Target target;
  private final Appendable storage;
  private final Clock clock;
  private volatile HttpFetcher fetcher;
  private volatile ScrapeConfig config;
  private volatile Relabeler metricRelabeler;
  private final SeriesCache cache = new SeriesCache();
  private final Labels[] reportLabels = new Labels[REPORT.length];
  private volatile boolean cacheInvalid;
  private int scrapeNo;
  /** Number of the last successful scrape whose series are staleness candidates, or -1. */
  private int prevScrape = -1;
  /** After a reconfiguration: label sets of the previous scrape, checked for staleness once. */
  private Set<Labels> carried;
  private ExpositionParser parser;
  /**
   * Arrays up to this size (small bodies, the streaming window) are kept for the next scrape; a
   * bigger one (a body read whole: the first scrape, OpenMetrics, HTTP/2) is let go when its scrape
   * ends instead of holding ~one body of resident heap between scrapes (7.7 MB, ~80 B per series,
   * for the 100k-series benchmark target).
   */
  static final int RETAINED_BUFFER_BYTES = 1 << 18;
  private static final byte[] NO_BUFFER = new byte[0];
  private byte[] buffer = new byte[16384];
  /** The last body's length: the size to read the next one into when it does not declare one. */
  private int lastBodyLength;
  private Appender appender;
  private ExpositionFormat parserFormat;
  private long lastTimestamp = Long.MIN_VALUE;
  /** Prometheus' {@code --scrape.timestamp-tolerance} in ms; 0 when timestamps are not adjusted. */
  private final long toleranceMillis;
  /** The slot on this loop's interval grid that the last scrape belonged to (the first scrape's time on). */
  private long alignedTimestamp = Long.MIN_VALUE;
  private boolean stopped;
  ScheduledFuture<?> future;

  ScrapeLoop(Target target, ScrapeConfig config, Appendable storage, Clock clock, HttpFetcher fetcher,
      long toleranceMillis) {
    this.target = target;
    this.storage = storage;
    this.clock = clock;
    this.toleranceMillis = Math.max(0, toleranceMillis);
    reconfigure(config, fetcher);
    cacheInvalid = false; // nothing cached yet
    for (int i = 0; i < REPORT.length; i++) {
      reportLabels[i] = target.labels().toBuilder().set(Labels.METRIC_NAME, REPORT[i]).build();
    }
  }

  /** Takes a new job configuration; the next scrape uses it. */
  void reconfigure(ScrapeConfig c, HttpFetcher f) {
    this.config = c;
    this.fetcher = f;
    this.metricRelabeler = Relabeler.of(c.metricRelabelConfigs());
    this.cacheInvalid = true; // cached label sets depend on honor_labels, relabelling and limits
  }

  Target target() {
    return target;
  }

  /** Bytes of body buffer this loop keeps between scrapes (for tests). */
  synchronized int retainedBufferBytes() {
    return buffer.length;
  }

  /** Scheduled entry point: never throws, so the schedule keeps running. */
  void run() {
    try {
      scrapeOnce();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "scrape of " + target + " failed unexpectedly", e);
    }
  }

  /**
   * One scrape, now. As Prometheus: {@code scrape_duration_seconds} covers the fetch, the parse and
   * the appends, and is taken before the one commit that stores the body's samples and the report
   * series together (Prometheus reports from a deferred function that runs before the deferred
   * commit), so the figure means the same thing on both servers.
   */
  synchronized void scrapeOnce() throws InterruptedException {
    if (stopped) {
      return;
    }
    long startNanos = System.nanoTime();
    long ts = Math.max(scrapeTimestamp(clock.millis()), lastTimestamp + 1);
    lastTimestamp = ts;
    ScrapeConfig c = config;
    String error = null;
    int[] counts = new int[3]; // scraped, post-relabel, series added
    Appender app = null;
    BodyAppender ba = new BodyAppender(ts, c, counts);
    try {
      // A known target (cache filled) streams a text body through a small window: nothing
      // body-sized is allocated. The first scrape reads the body whole and sizes the cache from it.
      HttpFetcher.Body body = fetcher.fetch(target.scrapeUrl(), target.timeoutMillis(), c.limits().bodySizeLimit(),
          buffer, lastBodyLength, cache.size() > 0 ? ba : null);
      if (ba.streamed) {
        ba.rethrow(); // a parse error or failed limit of the streamed body, now that the fetch went well
      } else {
        lastBodyLength = body.length();
        ba.whole(body);
      }
      app = ba.app;
      // Reused by the next scrape (the parser is done with it by then) when small; see RETAINED_BUFFER_BYTES.
      buffer = body.bytes().length <= RETAINED_BUFFER_BYTES ? body.bytes() : NO_BUFFER;
    } catch (HttpFetcher.FetchException | ScrapeFailure e) {
      error = e.getMessage();
    } catch (ExpositionParseException e) {
      error = e.getMessage();
    } finally {
      ba.rollbackIfOpen(); // a failed fetch or parse: nothing of the body is stored
      if (parser != null) {
        parser.reset(NO_BUFFER, 0, 0); // the parser must not keep the body reachable
      }
    }
    if (error != null) {
      // As Prometheus: a failed scrape appends nothing but staleness for everything seen last time.
      app = appender();
      appendStale(app, previousSeries(scrapeNo), ts);
      prevScrape = -1;
      carried = null;
      counts[0] = 0;
      counts[1] = 0;
      counts[2] = 0;
    }
    double duration = (System.nanoTime() - startNanos) / 1e9;
    appendReport(app, ts, error == null ? 1 : 0, duration, counts);
    try {
      app.commit();
    } catch (RuntimeException e) {
      appender = null; // a fresh one next time, whatever state this one was left in
      throw e;
    }
    target.report(Instant.ofEpochMilli(ts), duration, error);
  }

  /**
   * Appends one scrape's body, whole or in runs of lines as it arrives: its samples, then (at the
   * end) staleness markers; the appender is left uncommitted in {@link #app}. A streamed body's
   * parse error or failed limit is kept until the fetch has read the whole body, so that, as for a
   * body read whole, a fetch error (size limit, deadline) wins over it.
   */
  private final class BodyAppender implements HttpFetcher.BodySink {
    private final long ts;
    private final ScrapeConfig c;
    private final int[] counts;
    private final ScrapeLimits lim;
    private final Labels targetLabels = target.labels();
    private final Relabeler mr = metricRelabeler;
    Appender app;
    private boolean open; // app holds this body's samples, neither committed nor rolled back
    boolean streamed;
    private Exception failure; // of a streamed body
    private int linesBefore; // lines of the streamed body before the current run
    private int cur;
    private Labels.Builder b;
    private int used; // distinct entries looked up in this scrape
    private int droppedUsed; // of which dropped by metric relabelling
    private int fresh; // entries whose lastSeen became this scrape

    BodyAppender(long ts, ScrapeConfig c, int[] counts) {
      this.ts = ts;
      this.c = c;
      this.counts = counts;
      this.lim = c.limits();
    }

    @Override
    public boolean stream(String contentType) {
      // OpenMetrics needs its '# EOF' at the end of what the parser sees: read whole.
      streamed = ExpositionFormat.fromContentType(contentType) == ExpositionFormat.PROMETHEUS_TEXT;
      if (streamed) {
        begin(ExpositionFormat.PROMETHEUS_TEXT, NO_BUFFER, 0);
      }
      return streamed;
    }

    @Override
    public boolean lines(byte[] bytes, int off, int len, boolean last) {
      try {
        parser.reset(bytes, off, len);
        run();
        if (last) {
          end();
        } else {
          linesBefore += newlines(bytes, off, len);
        }
        return true;
      } catch (ExpositionParseException e) {
        // the parser counted lines from this run's start
        String m = e.getMessage();
        String prefix = "line " + e.line() + ", column " + e.column() + ": ";
        failure = new ExpositionParseException(e.line() + linesBefore, e.column(),
            m.startsWith(prefix) ? m.substring(prefix.length()) : m);
      } catch (ScrapeFailure e) {
        failure = e;
      }
      return false; // the fetch reads the rest and drops it
    }

    void rethrow() throws ExpositionParseException, ScrapeFailure {
      if (failure instanceof ExpositionParseException) {
        throw (ExpositionParseException) failure;
      }
      if (failure instanceof ScrapeFailure) {
        throw (ScrapeFailure) failure;
      }
    }

    /** The body read whole. */
    void whole(HttpFetcher.Body body) throws ExpositionParseException, ScrapeFailure {
      begin(ExpositionFormat.fromContentType(body.contentType()), body.bytes(), body.length());
      if (cache.size() == 0) {
        // Creating every series (first scrape): size the cache once, at most one entry per line and
        // one key byte per body byte (a key is the text of a sample's series).
        cache.reserve(newlines(body.bytes(), 0, body.length()) + 1, body.length());
      }
      run();
      end();
    }

    void rollbackIfOpen() {
      if (open) {
        open = false;
        app.rollback();
      }
    }

    private void begin(ExpositionFormat format, byte[] bytes, int length) {
      if (parser == null || parserFormat != format) {
        parser = ExpositionParser.create(format, bytes, 0, length);
        parserFormat = format;
      } else {
        parser.reset(bytes, 0, length); // keeps the parser's string cache warm across scrapes
      }
      cur = ++scrapeNo;
      if (cacheInvalid) {
        cacheInvalid = false;
        Set<Labels> prev = new HashSet<>();
        for (Labels l : previousSeries(cur)) {
          prev.add(l);
        }
        if (carried != null) {
          prev.addAll(carried);
        }
        carried = prev;
        cache.clear();
      }
      cache.beginScrape();
      app = appender();
      open = true;
    }

    /** Appends the samples of what the parser was reset to. */
    private void run() throws ExpositionParseException, ScrapeFailure {
      ExpositionParser p = parser;
      Appender a = app;
      int now = cur;
      for (ExpositionParser.Entry e = p.next(); e != ExpositionParser.Entry.END; e = p.next()) {
        switch (e) {
          case TYPE:
            setMeta(p.familyName(), typeName(p.type()), null, null);
            continue;
          case HELP:
            setMeta(p.familyName(), null, p.help(), null);
            continue;
          case UNIT:
            setMeta(p.familyName(), null, null, p.unit());
            continue;
          case SAMPLE:
            break;
          default:
            continue;
        }
        counts[0]++;
        byte[] kb = p.seriesBytes();
        int ko = p.seriesOffset();
        int kl = p.seriesLength();
        int ce = cache.get(kb, ko, kl); // a known series: no label decoded
        if (ce == SeriesCache.NONE) {
          if (b == null) {
            b = Labels.empty().toBuilder();
          }
          b.reset();
          b.set(Labels.METRIC_NAME, p.name());
          for (int i = 0; i < p.labelCount(); i++) {
            b.set(p.labelName(i), p.labelValue(i));
          }
          mergeTargetLabels(b, targetLabels, c.honorLabels());
          Labels lset = mr.isEmpty() || mr.process(b) ? b.build() : null;
          if (lset != null) {
            checkLabelLimits(lset, lim);
          }
          ce = cache.put(kb, ko, kl, lset);
          if (lset != null && (carried == null || !carried.contains(lset))) {
            counts[2]++; // a series the cache did not know: Prometheus' scrape_series_added
          }
        }
        Labels lset = cache.lset(ce);
        if (cache.lastUsed(ce) != now) {
          cache.used(ce, now);
          used++;
          if (lset == null) {
            droppedUsed++;
          }
        }
        cache.seen(ce);
        if (lset == null) {
          continue; // dropped by metric_relabel_configs
        }
        counts[1]++;
        if (lim.sampleLimit() > 0 && counts[1] > lim.sampleLimit()) {
          throw new ScrapeFailure("sample limit exceeded");
        }
        boolean explicit = c.honorTimestamps() && p.hasTimestamp();
        long t = explicit ? p.timestampMillis() : ts;
        try {
          long cref = cache.ref(ce);
          long ref = a.append(cref, lset, t, p.value());
          if (ref != cref) {
            cache.ref(ce, ref);
            cache.lset(ce, storedLabels(ref, lset)); // one copy of the labels per series, not two
          }
        } catch (StorageException se) {
          // Out-of-order or duplicate samples are skipped, as Prometheus counts and skips them.
          LOG.log(System.Logger.Level.DEBUG, "sample rejected for " + lset + ": " + se.getMessage());
        }
        if (!explicit && cache.lastSeen(ce) != now) {
          cache.seenIn(ce, now);
          fresh++;
        }
      }
    }

    /** After the last sample: staleness markers, then the cache's bookkeeping. */
    private void end() {
      int prev = prevScrape;
      int now = cur;
      Appender a = app;
      // When every kept entry was appended now, none can be stale: skip the walk over the cache.
      if (prev >= 0 && fresh + droppedUsed != cache.size()) {
        cache.forEach(ce -> {
          if (cache.lset(ce) != null && cache.lastSeen(ce) == prev) {
            appendStale(a, cache.lset(ce), cache.ref(ce), ts);
          }
        });
      }
      if (carried != null) {
        Set<Labels> seenNow = new HashSet<>();
        cache.forEach(ce -> {
          if (cache.lastSeen(ce) == now && cache.lset(ce) != null) {
            seenNow.add(cache.lset(ce));
          }
        });
        for (Labels l : carried) {
          if (!seenNow.contains(l)) {
            appendStale(a, l, 0, ts);
          }
        }
      }
      open = false; // complete: the caller commits it
      carried = null;
      prevScrape = now;
      cache.endScrape();
      // Series unseen for two scrapes leave the cache, as in Prometheus; they come back as "added".
      if (used != cache.size()) { // else every entry was used now: nothing to evict
        cache.removeIf(ce -> now - cache.lastUsed(ce) > 2);
      }
    }
  }

  /** Number of '\n' bytes in {@code b[off, off+len)}, eight bytes per step. */
  static int newlines(byte[] b, int off, int len) {
    int n = 0;
    int i = off;
    int stop = off + len - 7;
    for (; i < stop; i += 8) {
      long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL; // a newline byte becomes 0
      // high bit of each byte set exactly where x has a zero byte (no carries between bytes)
      long z = ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x | 0x7F7F7F7F7F7F7F7FL);
      n += Long.bitCount(z);
    }
    for (; i < off + len; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  /** The head's own instance of these labels when the storage is a promkit TSDB, else {@code lset}. */
  private Labels storedLabels(long ref, Labels lset) {
    if (storage instanceof Tsdb) {
      Labels stored = ((Tsdb) storage).head().seriesLabels(ref);
      if (stored != null && stored.equals(lset)) {
        return stored;
      }
    }
    return lset;
  }

  /**
   * This loop's appender, reused scrape after scrape (appenders are reusable after commit and
   * rollback): its batch arrays keep their size, so a steady-state scrape allocates none.
   */
  private Appender appender() {
    if (appender == null) {
      appender = storage.appender();
    }
    return appender;
  }

  /** Label sets appended (without explicit timestamp) in the last successful scrape, as of scrape {@code cur}. */
  private java.util.List<Labels> previousSeries(int cur) {
    java.util.List<Labels> out = new java.util.ArrayList<>();
    if (carried != null) {
      out.addAll(carried);
    }
    int prev = prevScrape;
    if (prev < 0) {
      return out;
    }
    cache.forEach(ce -> {
      int seen = cache.lastSeen(ce);
      boolean inPrev = seen == prev || (seen == cur && cache.prevSeen(ce) == prev);
      if (cache.lset(ce) != null && inPrev) {
        out.add(cache.lset(ce));
        cache.unsee(ce); // marked once
      }
    });
    return out;
  }

  /** Records a family's metadata for the metadata API; null fields keep what was seen before. */
  private void setMeta(String family, String type, String help, String unit) {
    target.metadata().merge(family,
        new Target.Metadata(type == null ? "unknown" : type, help == null ? "" : help, unit == null ? "" : unit),
        (old, n) -> new Target.Metadata(type != null ? type : old.type(), help != null ? help : old.help(),
            unit != null ? unit : old.unit()));
  }

  private static String typeName(dev.promkit.client.exposition.MetricType t) {
    return t == dev.promkit.client.exposition.MetricType.GAUGE_HISTOGRAM ? "gaugehistogram"
        : t.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Target labels win; a clashing exposed label is kept as {@code exported_<name>} unless honor_labels. */
  static void mergeTargetLabels(Labels.Builder b, Labels target, boolean honor) {
    if (honor) {
      for (int i = 0; i < target.size(); i++) {
        if (b.get(target.name(i)).isEmpty()) {
          b.set(target.name(i), target.value(i));
        }
      }
      return;
    }
    List<String[]> conflicts = null;
    for (int i = 0; i < target.size(); i++) {
      String existing = b.get(target.name(i));
      if (!existing.isEmpty()) {
        if (conflicts == null) {
          conflicts = new java.util.ArrayList<>();
        }
        conflicts.add(new String[] {target.name(i), existing});
      }
      b.set(target.name(i), target.value(i));
    }
    if (conflicts != null) {
      conflicts.sort((x, y) -> Integer.compare(x[0].length(), y[0].length()));
      for (String[] cf : conflicts) {
        String name = cf[0];
        while (true) {
          name = "exported_" + name;
          if (b.get(name).isEmpty()) {
            b.set(name, cf[1]);
            break;
          }
        }
      }
    }
  }

  private static void checkLabelLimits(Labels l, ScrapeLimits lim) throws ScrapeFailure {
    if (lim.labelLimit() > 0 && l.size() > lim.labelLimit()) {
      throw new ScrapeFailure("label_limit exceeded (metric: " + trunc(l.toString()) + ", number of labels: "
          + l.size() + ", limit: " + lim.labelLimit() + ")");
    }
    if (lim.labelNameLengthLimit() == 0 && lim.labelValueLengthLimit() == 0) {
      return;
    }
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      String v = l.value(i);
      if (lim.labelNameLengthLimit() > 0 && n.length() > lim.labelNameLengthLimit()) {
        throw new ScrapeFailure("label_name_length_limit exceeded (metric: " + trunc(l.toString()) + ", label name: "
            + trunc(n) + ", length: " + n.length() + ", limit: " + lim.labelNameLengthLimit() + ")");
      }
      if (lim.labelValueLengthLimit() > 0 && v.length() > lim.labelValueLengthLimit()) {
        throw new ScrapeFailure("label_value_length_limit exceeded (metric: " + trunc(l.toString()) + ", label name: "
            + trunc(n) + ", value: \"" + trunc(v) + "\", length: " + v.length() + ", limit: "
            + lim.labelValueLengthLimit() + ")");
      }
    }
  }

  private static String trunc(String s) {
    return s.length() <= 50 ? s : s.substring(0, 50);
  }

  private static void appendStale(Appender app, Labels l, long ref, long ts) {
    try {
      app.append(ref, l, ts, STALE_NAN);
    } catch (StorageException e) {
      LOG.log(System.Logger.Level.DEBUG, "stale marker rejected for " + l + ": " + e.getMessage());
    }
  }

  private static void appendStale(Appender app, java.util.Collection<Labels> series, long ts) {
    for (Labels l : series) {
      appendStale(app, l, 0, ts);
    }
  }

  private void appendReport(Appender app, long ts, double up, double duration, int[] counts) {
    double[] values = {up, duration, counts[0], counts[1], counts[2]};
    for (int i = 0; i < REPORT.length; i++) {
      Labels l = reportLabels[i];
      try {
        app.append(0, l, ts, values[i]);
      } catch (StorageException e) {
        LOG.log(System.Logger.Level.DEBUG, "report sample rejected for " + l + ": " + e.getMessage());
      }
    }
  }

  /**
   * The timestamp of a scrape that starts at {@code now}, adjusted as Prometheus does by default
   * ({@code --scrape.adjust-timestamps}): a scrape up to the tolerance (at most 1 % of the interval)
   * after its slot on the loop's interval grid is stored at the slot. Regular scrapes then get a
   * delta-of-delta of zero: one bit per timestamp in the XOR chunks instead of 16 for a few ms of
   * scheduling jitter, and the decoder's fastest path.
   */
  long scrapeTimestamp(long now) {
    long interval = target.intervalMillis();
    if (toleranceMillis == 0 || interval <= 0) {
      return now;
    }
    if (alignedTimestamp == Long.MIN_VALUE || now < alignedTimestamp) {
      alignedTimestamp = now; // the first scrape, or the wall clock went back: a new grid from here
      return now;
    }
    long behind = now - alignedTimestamp;
    if (behind >= interval) { // the next slot, or a later one after skipped scrapes
      alignedTimestamp += behind / interval * interval;
      behind = now - alignedTimestamp;
    }
    return behind <= Math.min(interval / 100, toleranceMillis) ? alignedTimestamp : now;
  }

  /** Stops scraping; with {@code stale}, marks every series of the last scrape and the report series stale. */
  synchronized void stop(boolean stale) {
    if (future != null) {
      future.cancel(false);
    }
    if (stopped) {
      return;
    }
    stopped = true;
    if (stale && lastTimestamp != Long.MIN_VALUE) {
      long ts = Math.max(clock.millis(), lastTimestamp + 1);
      java.util.List<Labels> all = previousSeries(scrapeNo);
      all.addAll(java.util.List.of(reportLabels));
      Appender app = appender();
      appendStale(app, all, ts);
      app.commit();
    }
  }
}
