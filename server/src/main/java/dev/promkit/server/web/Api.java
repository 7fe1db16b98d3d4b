package dev.promkit.server.web;

import com.google.gson.stream.JsonWriter;
import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.engine.QueryResult;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.parser.ParseException;
import dev.promkit.promql.parser.ValueType;
import dev.promkit.promql.parser.VectorSelector;
import dev.promkit.server.config.PromDuration;
import dev.promkit.server.scrape.Target;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The Prometheus HTTP API v1 and the lifecycle endpoints, over {@link ApiRequest}/{@link ApiResponse}
 * so that it is tested without sockets; {@link WebServer} adapts it to promkit's own HTTP server.
 */
public final class Api {
  /** Prometheus' limit on points per series in a range query. */
  static final long MAX_POINTS = 11_000;
  private static final long MIN_TIME = -9223309901257974L; // Prometheus' minTime in ms (year -292273086 clamp)
  private static final long MAX_TIME = 9223309901257974L;

  private final ApiBackend backend;
  private final Supplier<Long> now;

  /** An API over a backend, with the system clock. */
  public Api(ApiBackend backend) {
    this(backend, System::currentTimeMillis);
  }

  Api(ApiBackend backend, Supplier<Long> now) {
    this.backend = backend;
    this.now = now;
  }

  /** Serves one request. */
  public ApiResponse handle(ApiRequest r) {
    String p = r.path();
    try {
      switch (p) {
        case "/-/healthy":
          return ApiResponse.text(200, "Prometheus Server is Healthy.\n");
        case "/-/ready":
          return backend.ready() ? ApiResponse.text(200, "Prometheus Server is Ready.\n")
              : ApiResponse.text(503, "Service Unavailable");
        case "/-/reload":
          return reload(r);
        case "/metrics":
          return metrics();
        default:
          break;
      }
      if (!p.startsWith("/api/v1/")) {
        return ApiResponse.text(404, "404 page not found\n");
      }
      String ep = p.substring("/api/v1".length());
      boolean getOrPost = r.method().equals("GET") || r.method().equals("POST");
      if (ep.startsWith("/label/") && ep.endsWith("/values") && r.method().equals("GET")) {
        return success(labelValues(r, ep.substring("/label/".length(), ep.length() - "/values".length())));
      }
      if (ep.startsWith("/admin/tsdb/")) {
        return admin(r, ep.substring("/admin/tsdb/".length()));
      }
      switch (ep) {
        case "/query":
          if (getOrPost) {
            return new ApiResponse(200, "application/json", QueryJson.render(query(r)));
          }
          break;
        case "/query_range":
          if (getOrPost) {
            return new ApiResponse(200, "application/json", QueryJson.render(queryRange(r)));
          }
          break;
        case "/series":
          if (getOrPost) {
            return success(series(r));
          }
          break;
        case "/labels":
          if (getOrPost) {
            return success(labelNames(r));
          }
          break;
        case "/targets":
          if (r.method().equals("GET")) {
            return success(targets(r));
          }
          break;
        case "/targets/metadata":
          if (r.method().equals("GET")) {
            return success(targetMetadata(r));
          }
          break;
        case "/metadata":
          if (r.method().equals("GET")) {
            return success(metadata(r));
          }
          break;
        case "/rules":
          if (r.method().equals("GET")) {
            return success(RulesJson.rules(backend.ruleGroups(), r.param("type"), Set.copyOf(r.params("rule_name[]")),
                Set.copyOf(r.params("rule_group[]")), Set.copyOf(r.params("file[]"))));
          }
          break;
        case "/alerts":
          if (r.method().equals("GET")) {
            return success(RulesJson.alerts(backend.ruleGroups()));
          }
          break;
        case "/alertmanagers":
          if (r.method().equals("GET")) {
            return success(RulesJson.alertmanagers(backend.alertmanagers()));
          }
          break;
        case "/status/config":
          return success(w -> {
            w.beginObject().name("yaml").value(backend.config().source()).endObject();
          });
        case "/status/flags":
          return success(w -> {
            w.beginObject();
            for (Map.Entry<String, String> e : new TreeMap<>(backend.flags()).entrySet()) {
              w.name(e.getKey()).value(e.getValue());
            }
            w.endObject();
          });
        case "/status/buildinfo":
          return success(w -> w.beginObject().name("version").value(BuildInfo.VERSION).name("revision")
              .value(BuildInfo.REVISION).name("branch").value("main").name("buildUser").value("promkit")
              .name("buildDate").value(BuildInfo.DATE).name("goVersion").value("java" + Runtime.version().feature())
              .endObject());
        case "/status/runtimeinfo":
          return success(this::runtimeInfo);
        case "/status/tsdb":
          return success(this::tsdbStatus);
        default:
          return ApiResponse.text(404, "404 page not found\n");
      }
      return ApiResponse.text(405, "Method Not Allowed\n");
    } catch (ApiException e) {
      return error(e, e.type.status);
    } catch (RuntimeException e) {
      return error(new ApiException(ApiException.Type.INTERNAL, String.valueOf(e.getMessage())), 500);
    }
  }

  /**
   * Prometheus' TSDB admin API ({@code --web.enable-admin-api}), POST or PUT: {@code delete_series}
   * and {@code clean_tombstones} answer 204 No Content, {@code snapshot} the new directory's name.
   */
  private ApiResponse admin(ApiRequest r, String op) {
    if (!op.equals("delete_series") && !op.equals("clean_tombstones") && !op.equals("snapshot")) {
      return ApiResponse.text(404, "404 page not found\n");
    }
    if (!r.method().equals("POST") && !r.method().equals("PUT")) {
      return ApiResponse.text(405, "Method Not Allowed\n");
    }
    if (!backend.adminApiEnabled()) {
      throw new ApiException(ApiException.Type.UNAVAILABLE, "admin APIs disabled");
    }
    switch (op) {
      case "delete_series": {
        List<LabelMatcher[]> sets = matchers(r, true);
        long start = r.param("start").isEmpty() ? MIN_TIME : parseTime("start", r.param("start"));
        long end = r.param("end").isEmpty() ? MAX_TIME : parseTime("end", r.param("end"));
        for (LabelMatcher[] ms : sets) {
          backend.tsdb().delete(start, end, ms);
        }
        return new ApiResponse(204, null, new byte[0]); // no Content-Type, as Prometheus
      }
      case "clean_tombstones":
        backend.tsdb().cleanTombstones();
        return new ApiResponse(204, null, new byte[0]); // no Content-Type, as Prometheus
      default: {
        boolean skipHead = false;
        String s = r.param("skip_head");
        if (!s.isEmpty()) {
          skipHead = parseGoBool(s);
        }
        Path data = backend.tsdb().dir();
        if (data == null) {
          throw new ApiException(ApiException.Type.INTERNAL, "create snapshot: the database has no data directory");
        }
        String name = SNAPSHOT_TIME.format(Instant.ofEpochMilli(now.get())) + "-"
            + String.format("%016x", SNAPSHOT_RANDOM.nextLong() & Long.MAX_VALUE);
        Path dir = data.resolve("snapshots").resolve(name);
        try {
          Files.createDirectories(dir);
        } catch (IOException e) {
          throw new ApiException(ApiException.Type.INTERNAL, "create snapshot directory: " + e.getMessage());
        }
        try {
          backend.tsdb().snapshot(dir, !skipHead);
        } catch (RuntimeException e) {
          throw new ApiException(ApiException.Type.INTERNAL, "create snapshot: " + e.getMessage());
        }
        return success(w -> w.beginObject().name("name").value(name).endObject());
      }
    }
  }

  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC); // Go's 20060102T150405Z0700 in UTC
  private static final java.security.SecureRandom SNAPSHOT_RANDOM = new java.security.SecureRandom();

  /** Go's {@code strconv.ParseBool}. */
  private static boolean parseGoBool(String s) {
    switch (s) {
      case "1": case "t": case "T": case "true": case "TRUE": case "True":
        return true;
      case "0": case "f": case "F": case "false": case "FALSE": case "False":
        return false;
      default:
        throw ApiException.badParam("skip_head", "unable to parse boolean: strconv.ParseBool: parsing \""
            + s + "\": invalid syntax");
    }
  }

  private ApiResponse reload(ApiRequest r) {
    if (!backend.lifecycleEnabled()) {
      return ApiResponse.text(403, "Lifecycle API is not enabled.\n");
    }
    if (!r.method().equals("POST") && !r.method().equals("PUT")) {
      return ApiResponse.text(405, "Only POST or PUT requests allowed\n");
    }
    try {
      backend.reload();
      return ApiResponse.text(200, "");
    } catch (Exception e) {
      return ApiResponse.text(500, "failed to reload config: " + e.getMessage() + "\n");
    }
  }

  private ApiResponse metrics() {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      ExpositionFormat.PROMETHEUS_TEXT.writer().write(out, backend.registry().scrape());
      return new ApiResponse(200, ExpositionFormat.PROMETHEUS_TEXT.contentType(), out.toByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- queries ----

  /**
   * Serves one request into a sink: a query result is encoded into buffers and, up to
   * {@value #HOLD_LIMIT} bytes, sent whole with its length (one write rather than a chunk every few
   * kilobytes); a larger one is streamed as it is encoded, so that no huge matrix sits in memory as
   * a whole document. Everything else is answered as {@link #handle} answers it.
   */
  public void serve(ApiRequest r, ResponseSink sink) throws IOException {
    serve(r, sink, HOLD_LIMIT);
  }

  /** Query results up to this many bytes (32 MiB) are sent with a Content-Length, longer ones chunked. */
  static final long HOLD_LIMIT = 32 << 20;

  /** Each serving thread's first JSON buffer: a request is done with it before the thread takes the next one. */
  private static final ThreadLocal<byte[]> FIRST_BUFFER = ThreadLocal.withInitial(JsonBytes::newBuffer);

  /** As {@link #serve(ApiRequest, ResponseSink)}, holding query results up to holdLimit bytes. */
  void serve(ApiRequest r, ResponseSink sink, long holdLimit) throws IOException {
    QueryResult res = null;
    ApiResponse resp = null;
    boolean getOrPost = r.method().equals("GET") || r.method().equals("POST");
    if (getOrPost && (r.path().equals("/api/v1/query") || r.path().equals("/api/v1/query_range"))) {
      try {
        res = r.path().equals("/api/v1/query") ? query(r) : queryRange(r);
      } catch (ApiException e) {
        resp = error(e, e.type.status);
      } catch (RuntimeException e) {
        resp = error(new ApiException(ApiException.Type.INTERNAL, String.valueOf(e.getMessage())), 500);
      }
    } else {
      resp = handle(r);
    }
    if (res != null) {
      // Held in memory up to HOLD_LIMIT and sent with its length; longer results are streamed.
      JsonBytes j = new JsonBytes(length -> sink.begin(200, "application/json", length), holdLimit, FIRST_BUFFER.get());
      try {
        QueryJson.write(j, res);
        j.finish();
      } finally {
        if (j.stream() != null) {
          j.stream().close();
        }
      }
      return;
    }
    try (java.io.OutputStream out = sink.begin(resp.status(), resp.contentType(), resp.body().length)) {
      if (out != null) {
        out.write(resp.body());
      }
    }
  }

  private QueryResult query(ApiRequest r) {
    long t;
    try {
      t = r.param("time").isEmpty() ? now.get() : parseTime("time", r.param("time"));
    } catch (ApiException e) {
      throw ApiException.badParam("time", "Invalid time value for 'time': cannot parse \"" + r.param("time")
          + "\" to a valid timestamp");
    }
    long timeout = parseTimeout(r);
    String q = r.param("query");
    Expr e = parse(q);
    return exec(() -> backend.engine(timeout).instantQuery(backend.tsdb(), e, q, t));
  }

  private QueryResult queryRange(ApiRequest r) {
    long start = parseTime("start", r.param("start"));
    long end = parseTime("end", r.param("end"));
    if (end < start) {
      throw new ApiException(ApiException.Type.BAD_DATA, "invalid parameter \"end\": end timestamp must not be before start time");
    }
    long step = parseDuration("step", r.param("step"));
    if (step <= 0) {
      throw new ApiException(ApiException.Type.BAD_DATA,
          "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. "
              + "Try a positive integer");
    }
    if ((end - start) / step > MAX_POINTS) {
      throw new ApiException(ApiException.Type.BAD_DATA,
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    }
    long timeout = parseTimeout(r);
    String q = r.param("query");
    Expr e = parse(q);
    if (e.type() != ValueType.VECTOR && e.type() != ValueType.SCALAR) {
      // No "invalid parameter" prefix here: Prometheus 2.42 returns the engine's error as is.
      throw new ApiException(ApiException.Type.BAD_DATA, "invalid expression type \"" + e.type().documentedName()
          + "\" for range query, must be Scalar or instant Vector");
    }
    return exec(() -> backend.engine(timeout).rangeQuery(backend.tsdb(), e, q, start, end, step));
  }

  /** The request's {@code timeout} in ms, or 0 for the server's {@code --query.timeout}. */
  private static long parseTimeout(ApiRequest r) {
    return r.param("timeout").isEmpty() ? 0 : parseDuration("timeout", r.param("timeout"));
  }

  private Expr parse(String q) {
    try {
      return backend.engine().parse(q);
    } catch (PromQLException e) {
      throw ApiException.badParam("query", e.getMessage());
    } catch (ParseException e) {
      throw ApiException.badParam("query", e.getMessage());
    }
  }

  private static QueryResult exec(Supplier<QueryResult> run) {
    try {
      return run.get();
    } catch (PromQLException e) {
      String m = e.getMessage();
      if (e.getCause() instanceof ParseException) {
        throw ApiException.badParam("query", m);
      }
      if (m.startsWith("query timed out")) {
        throw new ApiException(ApiException.Type.TIMEOUT, m);
      }
      if (m.contains("canceled")) {
        throw new ApiException(ApiException.Type.CANCELED, m);
      }
      throw new ApiException(ApiException.Type.EXECUTION, m);
    }
  }

  static void labels(JsonWriter w, Labels l) throws IOException {
    w.beginObject();
    for (int i = 0; i < l.size(); i++) {
      w.name(l.name(i)).value(l.value(i));
    }
    w.endObject();
  }

  // ---- series and labels ----

  private List<LabelMatcher[]> matchers(ApiRequest r, boolean required) {
    List<String> ms = r.params("match[]");
    if (ms.isEmpty() && required) {
      throw new ApiException(ApiException.Type.BAD_DATA, "no match[] parameter provided");
    }
    List<LabelMatcher[]> out = new ArrayList<>();
    for (String m : ms) {
      Expr e;
      try {
        e = backend.engine().parse(m);
      } catch (PromQLException | ParseException ex) {
        throw ApiException.badParam("match[]", ex.getMessage());
      }
      if (!(e instanceof VectorSelector)) {
        throw ApiException.badParam("match[]", "1:1: parse error: expected a vector selector, got " + m);
      }
      out.add(((VectorSelector) e).matchers().toArray(new LabelMatcher[0]));
    }
    return out;
  }

  private long[] range(ApiRequest r) {
    long start = r.param("start").isEmpty() ? MIN_TIME : parseTime("start", r.param("start"));
    long end = r.param("end").isEmpty() ? MAX_TIME : parseTime("end", r.param("end"));
    if (end < start) {
      throw new ApiException(ApiException.Type.BAD_DATA, "invalid parameter \"end\": end timestamp must not be before start time");
    }
    return new long[] {start, end};
  }

  private int limit(ApiRequest r) {
    String s = r.param("limit");
    if (s.isEmpty()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(s);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badParam("limit", "cannot parse \"" + s + "\": must be a non-negative integer");
    }
  }

  private static int intParam(ApiRequest r, String name) {
    try {
      return Integer.parseInt(r.param(name));
    } catch (NumberFormatException e) {
      throw ApiException.badParam(name, "cannot parse \"" + r.param(name) + "\" as an integer");
    }
  }

  private Json.Body series(ApiRequest r) {
    List<LabelMatcher[]> sets = matchers(r, true);
    long[] rg = range(r);
    int limit = limit(r);
    TreeSet<Labels> out = new TreeSet<>();
    try (Querier q = backend.tsdb().querier(rg[0], rg[1])) {
      for (LabelMatcher[] ms : sets) {
        SeriesSet ss = q.select(true, null, ms);
        while (ss.next()) {
          out.add(ss.at().labels());
        }
        if (ss.err() != null) {
          throw new ApiException(ApiException.Type.EXECUTION, ss.err().getMessage());
        }
      }
    }
    return w -> {
      w.beginArray();
      int n = 0;
      for (Labels l : out) {
        if (limit > 0 && n++ >= limit) {
          break;
        }
        labels(w, l);
      }
      w.endArray();
    };
  }

  private Json.Body labelNames(ApiRequest r) {
    List<LabelMatcher[]> sets = matchers(r, false);
    long[] rg = range(r);
    int limit = limit(r);
    TreeSet<String> names = new TreeSet<>();
    try (Querier q = backend.tsdb().querier(rg[0], rg[1])) {
      if (sets.isEmpty()) {
        names.addAll(q.labelNames());
      }
      for (LabelMatcher[] ms : sets) {
        names.addAll(q.labelNames(ms));
      }
    }
    return strings(names, limit);
  }

  private Json.Body labelValues(ApiRequest r, String rawName) {
    String name = java.net.URLDecoder.decode(rawName, java.nio.charset.StandardCharsets.UTF_8);
    if (name.startsWith("U__")) {
      name = unescapeUtf8Name(name);
    }
    if (name.isEmpty()) {
      throw new ApiException(ApiException.Type.BAD_DATA, "invalid label name: \"" + rawName + "\"");
    }
    List<LabelMatcher[]> sets = matchers(r, false);
    long[] rg = range(r);
    int limit = limit(r);
    TreeSet<String> values = new TreeSet<>();
    try (Querier q = backend.tsdb().querier(rg[0], rg[1])) {
      if (sets.isEmpty()) {
        values.addAll(q.labelValues(name));
      }
      for (LabelMatcher[] ms : sets) {
        values.addAll(q.labelValues(name, ms));
      }
    }
    return strings(values, limit);
  }

  /** Prometheus' {@code U__} escaping of UTF-8 label names in the path: {@code _2e_} is '.', {@code __} is '_'. */
  private static String unescapeUtf8Name(String s) {
    StringBuilder sb = new StringBuilder();
    String body = s.substring(3);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '_') {
        int close = body.indexOf('_', i + 1);
        if (close == i + 1) {
          sb.append('_');
          i++;
          continue;
        }
        if (close > 0) {
          try {
            sb.appendCodePoint(Integer.parseInt(body.substring(i + 1, close), 16));
            i = close;
            continue;
          } catch (NumberFormatException e) {
            return s;
          }
        }
        return s;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static Json.Body strings(Set<String> items, int limit) {
    return w -> {
      w.beginArray();
      int n = 0;
      for (String s : items) {
        if (limit > 0 && n++ >= limit) {
          break;
        }
        w.value(s);
      }
      w.endArray();
    };
  }

  // ---- targets and metadata ----

  private Json.Body targets(ApiRequest r) {
    String state = r.param("state").toLowerCase(java.util.Locale.ROOT);
    boolean active = state.isEmpty() || state.equals("active") || state.equals("any");
    boolean dropped = state.isEmpty() || state.equals("dropped") || state.equals("any");
    Set<String> pools = new LinkedHashSet<>(r.params("scrapePool"));
    List<Target> targets = backend.activeTargets();
    List<Labels> drop = backend.droppedTargets();
    return w -> {
      w.beginObject();
      if (active) {
        w.name("activeTargets").beginArray();
        for (Target t : targets) {
          if (!pools.isEmpty() && !pools.contains(t.scrapePool())) {
            continue;
          }
          w.beginObject().name("discoveredLabels");
          labels(w, t.discoveredLabels());
          w.name("labels");
          labels(w, t.labels());
          w.name("scrapePool").value(t.scrapePool());
          w.name("scrapeUrl").value(t.scrapeUrl());
          w.name("globalUrl").value(globalUrl(t.scrapeUrl()));
          w.name("lastError").value(t.lastError());
          Instant last = t.lastScrape();
          w.name("lastScrape").value(last == null ? "0001-01-01T00:00:00Z" : rfc3339(last));
          w.name("lastScrapeDuration").jsonValue(goFloat(t.lastScrapeDurationSeconds()));
          w.name("health").value(t.health().text());
          w.name("scrapeInterval").value(PromDuration.ofMillis(t.intervalMillis()).toString());
          w.name("scrapeTimeout").value(PromDuration.ofMillis(t.timeoutMillis()).toString());
          w.endObject();
        }
        w.endArray();
      }
      if (dropped) {
        w.name("droppedTargets").beginArray();
        Map<String, Integer> counts = new TreeMap<>();
        for (Labels l : drop) {
          counts.merge(l.get("job"), 1, Integer::sum);
          if (!pools.isEmpty() && !pools.contains(l.get("job"))) {
            continue;
          }
          w.beginObject().name("discoveredLabels");
          labels(w, l);
          w.endObject();
        }
        w.endArray();
        w.name("droppedTargetCounts").beginObject();
        for (Target t : targets) {
          counts.putIfAbsent(t.scrapePool(), 0);
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
          w.name(e.getKey()).value(e.getValue());
        }
        w.endObject();
      }
      w.endObject();
    };
  }

  private Json.Body metadata(ApiRequest r) {
    int limit = r.param("limit").isEmpty() ? -1 : intParam(r, "limit");
    int perMetric = r.param("limit_per_metric").isEmpty() ? -1 : intParam(r, "limit_per_metric");
    String metric = r.param("metric");
    Map<String, Set<Target.Metadata>> all = new TreeMap<>();
    for (Target t : backend.activeTargets()) {
      for (Map.Entry<String, Target.Metadata> e : t.metadata().entrySet()) {
        if (!metric.isEmpty() && !metric.equals(e.getKey())) {
          continue;
        }
        all.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue());
      }
    }
    return w -> {
      w.beginObject();
      int n = 0;
      for (Map.Entry<String, Set<Target.Metadata>> e : all.entrySet()) {
        if (limit >= 0 && n++ >= limit) {
          break;
        }
        w.name(e.getKey()).beginArray();
        int k = 0;
        for (Target.Metadata m : e.getValue()) {
          if (perMetric > 0 && k++ >= perMetric) {
            break;
          }
          w.beginObject().name("type").value(m.type()).name("help").value(m.help()).name("unit").value(m.unit())
              .endObject();
        }
        w.endArray();
      }
      w.endObject();
    };
  }

  /** As Prometheus: a loopback host in the scrape URL is replaced by this machine's host name. */
  static String globalUrl(String scrapeUrl) {
    try {
      URI u = URI.create(scrapeUrl);
      String host = u.getHost();
      if (host == null) {
        return scrapeUrl;
      }
      String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      boolean loopback = h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
      if (!loopback) {
        return scrapeUrl;
      }
      int at = scrapeUrl.indexOf("://") + 3;
      return scrapeUrl.substring(0, at) + HOSTNAME + scrapeUrl.substring(at + host.length());
    } catch (IllegalArgumentException e) {
      return scrapeUrl;
    }
  }

  private static final String HOSTNAME = hostname();

  private static String hostname() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(); // what Go's os.Hostname reads
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: ask the resolver
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** {@code /api/v1/targets/metadata}: per target, filtered by {@code match_target}, {@code metric}, {@code limit}. */
  private Json.Body targetMetadata(ApiRequest r) {
    String metric = r.param("metric");
    int limit = limit(r);
    List<LabelMatcher[]> sel = new ArrayList<>();
    if (!r.param("match_target").isEmpty()) {
      Expr e;
      try {
        e = backend.engine().parse(r.param("match_target"));
      } catch (PromQLException | ParseException ex) {
        throw ApiException.badParam("match_target", ex.getMessage());
      }
      if (!(e instanceof VectorSelector)) {
        throw ApiException.badParam("match_target", "expected a label matcher set, got " + r.param("match_target"));
      }
      List<LabelMatcher> ms = new ArrayList<>(((VectorSelector) e).matchers());
      ms.removeIf(m -> m.name().equals("__name__") && m.value().isEmpty());
      sel.add(ms.toArray(new LabelMatcher[0]));
    }
    List<Target> targets = backend.activeTargets();
    return w -> {
      w.beginArray();
      int n = 0;
      for (Target t : targets) {
        boolean ok = true;
        for (LabelMatcher[] ms : sel) {
          for (LabelMatcher m : ms) {
            ok &= m.matches(t.labels());
          }
        }
        if (!ok) {
          continue;
        }
        for (Map.Entry<String, Target.Metadata> e : new TreeMap<>(t.metadata()).entrySet()) {
          if (!metric.isEmpty() && !metric.equals(e.getKey())) {
            continue;
          }
          if (limit > 0 && n++ >= limit) {
            break;
          }
          w.beginObject().name("target");
          labels(w, t.labels());
          w.name("metric").value(e.getKey()).name("type").value(e.getValue().type()).name("help")
              .value(e.getValue().help()).name("unit").value(e.getValue().unit()).endObject();
        }
      }
      w.endArray();
    };
  }

  // ---- status ----

  private void runtimeInfo(JsonWriter w) throws IOException {
    Runtime rt = Runtime.getRuntime();
    w.beginObject();
    w.name("startTime").value(rfc3339(backend.startTime()));
    w.name("CWD").value(System.getProperty("user.dir"));
    w.name("reloadConfigSuccess").value(backend.lastReloadSucceeded());
    w.name("lastConfigTime").value(rfc3339(backend.lastConfigTime()));
    w.name("corruptionCount").value(0);
    w.name("goroutineCount").value(Thread.activeCount());
    w.name("GOMAXPROCS").value(rt.availableProcessors());
    w.name("GOMEMLIMIT").value(rt.maxMemory());
    w.name("GOGC").value("");
    w.name("GODEBUG").value("");
    w.name("storageRetention").value(backend.flags().getOrDefault("storage.tsdb.retention.time", "15d"));
    w.endObject();
  }

  private void tsdbStatus(JsonWriter w) throws IOException {
    Map<String, Integer> byName = new HashMap<>();
    Map<String, Set<String>> valuesByLabel = new HashMap<>();
    Map<String, Long> bytesByLabel = new HashMap<>();
    Map<String, Integer> byPair = new HashMap<>();
    long numSeries = 0;
    Set<String> pairs = new java.util.HashSet<>();
    try (Querier q = backend.tsdb().querier(MIN_TIME, MAX_TIME)) {
      SeriesSet ss = q.select(false, null, LabelMatcher.re("__name__", ".+"));
      while (ss.next()) {
        Labels l = ss.at().labels();
        numSeries++;
        byName.merge(l.metricName() == null ? "" : l.metricName(), 1, Integer::sum);
        for (int i = 0; i < l.size(); i++) {
          String pair = l.name(i) + "=" + l.value(i);
          if (valuesByLabel.computeIfAbsent(l.name(i), k -> new java.util.HashSet<>()).add(l.value(i))) {
            bytesByLabel.merge(l.name(i), (long) l.value(i).length(), Long::sum);
          }
          pairs.add(pair);
          byPair.merge(pair, 1, Integer::sum);
        }
      }
    }
    long headSeries = backend.tsdb().head().numSeries();
    long minT = backend.tsdb().head().minTime();
    long maxT = backend.tsdb().head().maxTime();
    w.beginObject();
    w.name("headStats").beginObject().name("numSeries").value(headSeries).name("numLabelPairs").value(pairs.size())
        .name("chunkCount").value(numSeries).name("minTime").value(minT).name("maxTime").value(maxT).endObject();
    top(w, "seriesCountByMetricName", byName);
    Map<String, Integer> valueCounts = new HashMap<>();
    valuesByLabel.forEach((k, v) -> valueCounts.put(k, v.size()));
    top(w, "labelValueCountByLabelName", valueCounts);
    Map<String, Integer> bytes = new HashMap<>();
    bytesByLabel.forEach((k, v) -> bytes.put(k, (int) Math.min(Integer.MAX_VALUE, v)));
    top(w, "memoryInBytesByLabelName", bytes);
    top(w, "seriesCountByLabelValuePair", byPair);
    w.endObject();
  }

  private static void top(JsonWriter w, String name, Map<String, Integer> counts) throws IOException {
    List<Map.Entry<String, Integer>> l = new ArrayList<>(counts.entrySet());
    l.sort((a, b) -> b.getValue() != a.getValue().intValue() ? Integer.compare(b.getValue(), a.getValue())
        : a.getKey().compareTo(b.getKey()));
    w.name(name).beginArray();
    for (int i = 0; i < Math.min(10, l.size()); i++) {
      w.beginObject().name("name").value(l.get(i).getKey()).name("value").value(l.get(i).getValue()).endObject();
    }
    w.endArray();
  }

  // ---- parameters ----

  /** Prometheus' {@code parseTime}: float Unix seconds (ms precision) or RFC 3339. */
  static long parseTime(String param, String s) {
    long secs = plainSeconds(s, 12);
    if (secs >= 0) {
      return secs * 1000;
    }
    try {
      BigDecimal d = new BigDecimal(s);
      return d.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      // not a number: try RFC 3339 below
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.badParam(param, "cannot parse \"" + s + "\" to a valid timestamp");
    }
  }

  /** The value of 1 to maxDigits ASCII digits (whole seconds, the usual form), else -1: the slow paths decide. */
  private static long plainSeconds(String s, int maxDigits) {
    int len = s.length();
    if (len == 0 || len > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Prometheus' {@code parseDuration}: float seconds or a Prometheus duration. */
  static long parseDuration(String param, String s) {
    long secs = plainSeconds(s, 9); // far below the overflow check's bound
    if (secs >= 0) {
      return secs * 1000;
    }
    try {
      BigDecimal d = new BigDecimal(s);
      BigDecimal ms = d.movePointRight(3);
      if (ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000)) > 0
          || ms.compareTo(BigDecimal.valueOf(Long.MIN_VALUE / 1_000_000)) < 0) {
        throw ApiException.badParam(param, "cannot parse \"" + s + "\" to a valid duration. It overflows int64");
      }
      return ms.setScale(0, java.math.RoundingMode.DOWN).longValue();
    } catch (NumberFormatException e) {
      // not a number
    }
    try {
      return PromDuration.parse(s).millis();
    } catch (IllegalArgumentException e) {
      throw ApiException.badParam(param, "cannot parse \"" + s + "\" to a valid duration");
    }
  }

  static String rfc3339(Instant t) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.UTC)).replace("+00:00", "Z");
  }

  private static String goFloat(double v) {
    // encoding/json float64: shortest repr; integral values without ".0"
    return Json.value(v);
  }

  // ---- envelopes ----

  private static ApiResponse success(Json.Body data) {
    return ApiResponse.json(200, Json.render(w -> {
      w.beginObject().name("status").value("success").name("data");
      data.write(w);
      w.endObject();
    }));
  }

  private static ApiResponse error(ApiException e, int status) {
    return ApiResponse.json(status, Json.render(w -> w.beginObject().name("status").value("error")
        .name("errorType").value(e.type.text).name("error").value(e.getMessage()).endObject()));
  }
}
