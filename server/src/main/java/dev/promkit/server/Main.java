package dev.promkit.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.promql.rules.RuleFileException;
import dev.promkit.promql.rules.RuleFiles;
import dev.promkit.promql.rules.RuleGroupSpec;
import dev.promkit.promql.rules.RuleTestMain;
import dev.promkit.server.config.Config;
import dev.promkit.server.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar promkit.jar [flags]} runs the server; {@code check config FILE...} and
 * {@code query instant|range URL EXPR} and {@code tsdb create-blocks-from openmetrics FILE [DIR]} behave as
 * the same promtool subcommands.
 */
public final class Main {
  private Main() {}

  /** The CLI's default for {@code --query.warmup}: embedding code starts without a warm-up. */
  static final long DEFAULT_WARMUP_MS = 3000;

  /**
   * Takes {@code --query.warmup=DURATION} (promkit's own flag: how long to warm the JIT on a
   * synthetic database before reporting ready; 0s turns it off) out of args, copying the others
   * to rest (null where the flag was).
   */
  static long warmupFlag(String[] args, String[] rest) {
    long ms = DEFAULT_WARMUP_MS;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = null;
      if (a.startsWith("--query.warmup=")) {
        v = a.substring("--query.warmup=".length());
      } else if (a.equals("--query.warmup")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("expected argument for flag --query.warmup");
        }
        v = args[++i];
      } else {
        rest[i] = a;
        continue;
      }
      try {
        ms = dev.promkit.server.config.PromDuration.parse(v).millis();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid value \"" + v + "\" for flag --query.warmup: " + e.getMessage());
      }
    }
    return ms;
  }

  /** Entry point; exits with promtool's codes for subcommands (0 ok, 1 failure). */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("check")) {
      System.exit(check(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    if (args.length > 1 && args[0].equals("test") && args[1].equals("rules")) {
      System.exit(testRules(Arrays.copyOfRange(args, 2, args.length), System.out));
    }
    if (args.length > 0 && args[0].equals("tsdb")) {
      System.exit(TsdbCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err,
          System.console() != null ? System.err : null));
    }
    if (args.length > 0 && args[0].equals("query")) {
      System.exit(query(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println("usage: java -jar promkit.jar [--config.file=prometheus.yml] [--storage.tsdb.path=data/]\n"
          + "  [--storage.tsdb.retention.time=15d] [--web.listen-address=0.0.0.0:9090] [--web.enable-lifecycle]\n"
          + "  [--web.enable-admin-api]\n"
          + "  [--query.timeout=2m] [--query.max-samples=50000000] [--query.lookback-delta=5m]\n"
          + "  [--web.external-url=URL] [--web.route-prefix=PATH] [--query.warmup=3s]\n"
          + "  [--no-scrape.adjust-timestamps] [--scrape.timestamp-tolerance=2ms]\n"
          + "       java -jar promkit.jar check config FILE...\n"
          + "       java -jar promkit.jar check rules FILE...\n"
          + "       java -jar promkit.jar test rules TEST-FILE...\n"
          + "       java -jar promkit.jar query instant|range URL EXPR [--time=T | --start=T --end=T --step=D]\n"
          + "       java -jar promkit.jar tsdb create-blocks-from openmetrics [--max-block-duration=2h]\n"
          + "         [--human-readable] [--quiet] FILE [DIR]");
      return;
    }
    ServerOptions opts;
    long warmupMillis;
    try {
      String[] rest = new String[args.length];
      warmupMillis = warmupFlag(args, rest);
      opts = ServerOptions.parse(Arrays.stream(rest).filter(a -> a != null).toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      System.err.println("promkit: error: " + e.getMessage() + ", try --help");
      System.exit(2);
      return;
    }
    PromkitServer server;
    try {
      server = PromkitServer.start(opts, warmupMillis);
    } catch (ConfigException e) {
      System.err.println("Error loading config (--config.file=" + opts.configFile() + "): " + e.getMessage());
      System.exit(1);
      return;
    }
    System.err.println("promkit: listening on " + opts.listenAddress() + " (port " + server.port() + ")");
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      done.countDown();
    }, "promkit-shutdown"));
    onSighup(() -> {
      try {
        server.reload();
      } catch (Exception e) {
        System.err.println("promkit: reload failed, keeping the old configuration: " + e.getMessage());
      }
    });
    done.await();
  }

  /** Installs a SIGHUP handler through sun.misc.Signal when the JDK has it; otherwise does nothing. */
  static boolean onSighup(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      Object h = Proxy.newProxyInstance(Main.class.getClassLoader(), new Class<?>[] {handler}, (p, m, a) -> {
        if (m.getName().equals("handle")) {
          action.run();
        }
        return null;
      });
      Method handle = signal.getMethod("handle", signal, handler);
      handle.invoke(null, hup, h);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      System.err.println("promkit: SIGHUP reload unavailable (" + e + "); use POST /-/reload");
      return false;
    }
  }

  /** {@code check config FILE...}: promtool's output and exit code. */
  static int check(String[] args, PrintStream out, PrintStream err) {
    if (args.length >= 1 && args[0].equals("rules")) {
      return checkRules(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (args.length < 2 || !args[0].equals("config")) {
      err.println("usage: check config FILE...");
      return 2;
    }
    int rc = 0;
    for (String f : Arrays.copyOfRange(args, 1, args.length)) {
      out.println("Checking " + f);
      try {
        Config c = Config.load(Path.of(f));
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (String rf : c.ruleFiles()) {
          Path p = c.resolve(rf);
          String name = p.getFileName().toString();
          if (name.contains("*") || name.contains("?") || name.contains("[")) {
            try (var ds = Files.newDirectoryStream(p.getParent(), name)) {
              for (Path ignored : ds) {
                found++;
              }
            }
          } else if (Files.exists(p)) {
            found++;
          } else {
            missing.add(rf);
          }
        }
        if (!missing.isEmpty()) {
          throw new ConfigException("\"" + missing.get(0) + "\" does not point to an existing file", 0);
        }
        if (!c.ruleFiles().isEmpty()) {
          out.println("  SUCCESS: " + found + " rule files found");
        }
        out.println(" SUCCESS: " + f + " is valid prometheus config file syntax");
      } catch (ConfigException | IOException e) {
        err.println("  FAILED: " + e.getMessage());
        rc = 1;
      }
      out.println();
    }
    return rc;
  }

  /** {@code test rules FILE...}: promtool's unit tests for rules; 0 all passed, 1 a failure, 2 without files. */
  static int testRules(String[] files, PrintStream out) {
    return RuleTestMain.run(out, files);
  }

  /** {@code check rules FILE...}: promtool's output; 0 when every file is valid, 1 otherwise, 2 without files. */
  static int checkRules(String[] files, PrintStream out, PrintStream err) {
    if (files.length == 0) {
      err.println("usage: check rules FILE...");
      return 2;
    }
    int rc = 0;
    for (String f : files) {
      out.println("Checking " + f);
      try {
        int n = 0;
        for (RuleGroupSpec g : RuleFiles.load(Path.of(f))) {
          n += g.rules().size();
        }
        out.println("  SUCCESS: " + n + " rules found");
      } catch (RuleFileException e) {
        err.println("  FAILED:");
        for (String m : e.errors()) {
          err.println(m);
        }
        rc = 1;
      }
      out.println();
    }
    return rc;
  }

  /** {@code query instant URL EXPR [--time=T]} and {@code query range URL EXPR --start --end --step}. */
  static int query(String[] args, PrintStream out, PrintStream err) {
    List<String> pos = new ArrayList<>();
    Map<String, String> flags = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        if (eq > 0) {
          flags.put(a.substring(2, eq), a.substring(eq + 1));
        } else if (i + 1 < args.length) {
          flags.put(a.substring(2), args[++i]);
        }
      } else {
        pos.add(a);
      }
    }
    if (pos.size() != 3 || !(pos.get(0).equals("instant") || pos.get(0).equals("range"))) {
      err.println("usage: query instant|range URL EXPR");
      return 2;
    }
    String base = pos.get(1).replaceAll("/+$", "");
    StringBuilder form = new StringBuilder("query=").append(enc(pos.get(2)));
    String path;
    if (pos.get(0).equals("instant")) {
      path = "/api/v1/query";
      form.append("&time=").append(enc(flags.getOrDefault("time",
          Double.toString(System.currentTimeMillis() / 1000.0))));
    } else {
      path = "/api/v1/query_range";
      long now = System.currentTimeMillis();
      String end = flags.getOrDefault("end", Double.toString(now / 1000.0));
      String start = flags.getOrDefault("start", Double.toString((now - 5 * 60_000) / 1000.0));
      form.append("&start=").append(enc(start)).append("&end=").append(enc(end));
      form.append("&step=").append(enc(flags.getOrDefault("step", "15s")));
    }
    try {
      HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
      if (!"success".equals(o.get("status").getAsString())) {
        err.println("query error: " + o.get("errorType").getAsString() + ": " + o.get("error").getAsString());
        return 1;
      }
      JsonObject data = o.getAsJsonObject("data");
      String type = data.get("resultType").getAsString();
      JsonElement res = data.get("result");
      switch (type) {
        case "vector":
          for (JsonElement e : res.getAsJsonArray()) {
            JsonObject s = e.getAsJsonObject();
            out.println(metric(s.getAsJsonObject("metric")) + " => " + pair(s.getAsJsonArray("value")));
          }
          break;
        case "matrix":
          for (JsonElement e : res.getAsJsonArray()) {
            JsonObject s = e.getAsJsonObject();
            StringBuilder sb = new StringBuilder(metric(s.getAsJsonObject("metric"))).append(" =>");
            for (JsonElement p : s.getAsJsonArray("values")) {
              sb.append('\n').append(pair(p.getAsJsonArray()));
            }
            out.println(sb);
          }
          break;
        case "scalar":
          out.println("scalar: " + pair(res.getAsJsonArray()));
          break;
        default:
          out.println(res.getAsJsonArray().get(1).getAsString());
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("query error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** As Prometheus' {@code model.Metric.String()}: {@code name{a="b", c="d"}}. */
  private static String metric(JsonObject m) {
    String name = m.has("__name__") ? m.get("__name__").getAsString() : "";
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : new java.util.TreeMap<>(m.asMap()).entrySet()) {
      if (!e.getKey().equals("__name__")) {
        parts.add(e.getKey() + "=\""
            + e.getValue().getAsString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"");
      }
    }
    if (parts.isEmpty()) {
      return name.isEmpty() ? "{}" : name;
    }
    return name + "{" + String.join(", ", parts) + "}";
  }

  private static String pair(JsonArray p) {
    return p.get(1).getAsString() + " @[" + p.get(0).getAsString() + "]";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
