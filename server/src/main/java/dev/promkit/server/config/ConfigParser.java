package dev.promkit.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Turns YAML nodes into {@link Config} records, validating as Prometheus' config package does. */
final class ConfigParser {
  private static final Set<String> TOP = Set.of("global", "rule_files", "scrape_configs", "alerting",
      "scrape_config_files", "remote_write", "remote_read", "storage", "tracing", "runtime", "otlp");
  private static final Set<String> UNSUPPORTED_TOP = Set.of("scrape_config_files", "remote_write", "remote_read",
      "storage", "tracing", "runtime", "otlp");
  private static final Set<String> GLOBAL = Set.of("scrape_interval", "scrape_timeout", "evaluation_interval",
      "external_labels", "query_log_file", "scrape_failure_log_file", "body_size_limit", "sample_limit",
      "label_limit", "label_name_length_limit", "label_value_length_limit", "target_limit", "keep_dropped_targets",
      "scrape_protocols", "rule_query_offset");
  private static final Set<String> HTTP = Set.of("basic_auth", "authorization", "bearer_token", "bearer_token_file",
      "tls_config", "follow_redirects", "enable_http2", "proxy_url", "no_proxy", "proxy_from_environment");
  private static final Set<String> SCRAPE;
  private static final Set<String> ALERTMANAGER;
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  static {
    Set<String> s = new java.util.HashSet<>(HTTP);
    s.addAll(List.of("job_name", "honor_labels", "honor_timestamps", "track_timestamps_staleness", "params",
        "scrape_interval", "scrape_timeout", "scrape_protocols", "fallback_scrape_protocol", "enable_compression",
        "metrics_path", "scheme", "body_size_limit", "sample_limit", "target_limit", "label_limit",
        "label_name_length_limit", "label_value_length_limit", "keep_dropped_targets", "relabel_configs",
        "metric_relabel_configs", "static_configs", "file_sd_configs"));
    SCRAPE = Set.copyOf(s);
    Set<String> a = new java.util.HashSet<>(HTTP);
    a.addAll(List.of("scheme", "path_prefix", "timeout", "api_version", "static_configs", "file_sd_configs",
        "relabel_configs", "alert_relabel_configs"));
    ALERTMANAGER = Set.copyOf(a);
  }

  private final Path baseDir;

  ConfigParser(Path baseDir) {
    this.baseDir = baseDir;
  }

  Config parse(String yaml) {
    Node root;
    try {
      root = new Compose(LoadSettings.builder().setLabel("prometheus.yml").build()).composeString(yaml).orElse(null);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException("yaml: line " + line + ": " + e.getProblem(), line);
    } catch (YamlEngineException e) {
      throw new ConfigException("yaml: " + e.getMessage(), 0);
    }
    YamlMap top = YamlMap.of(root, "config.Config", TOP);
    for (String k : UNSUPPORTED_TOP) {
      if (top.has(k)) {
        throw YamlMap.invalid(top.keyNode(k), "field " + k + " is not supported by promkit yet");
      }
    }
    GlobalConfig global = global(top.get("global"));
    List<String> ruleFiles = top.strList("rule_files");
    for (String f : ruleFiles) {
      if (f.isEmpty()) {
        throw YamlMap.invalid(top.keyNode("rule_files"), "invalid rule file path \"\"");
      }
    }
    AlertingConfig alerting = alerting(top.get("alerting"), global);
    List<ScrapeConfig> jobs = new ArrayList<>();
    Map<String, Node> names = new HashMap<>();
    for (Node n : top.list("scrape_configs", "[]*config.ScrapeConfig")) {
      ScrapeConfig sc = scrape(n, global);
      if (names.put(sc.jobName(), n) != null) {
        throw YamlMap.invalid(n, "found multiple scrape configs with job name \"" + sc.jobName() + "\"");
      }
      jobs.add(sc);
    }
    return new Config(global, ruleFiles, alerting, jobs, yaml, baseDir);
  }

  private static GlobalConfig global(Node n) {
    YamlMap m = YamlMap.of(n, "config.GlobalConfig", GLOBAL);
    GlobalConfig d = GlobalConfig.DEFAULT;
    PromDuration interval = m.duration("scrape_interval", d.scrapeInterval());
    PromDuration timeout = m.duration("scrape_timeout", null);
    if (interval.millis() == 0) {
      interval = d.scrapeInterval();
    }
    if (timeout == null || timeout.millis() == 0) {
      timeout = d.scrapeTimeout().compareTo(interval) > 0 ? interval : d.scrapeTimeout();
    }
    if (timeout.compareTo(interval) > 0) {
      throw YamlMap.invalid(m.keyNode("scrape_timeout"), "global scrape timeout greater than scrape interval");
    }
    PromDuration eval = m.duration("evaluation_interval", d.evaluationInterval());
    if (eval.millis() == 0) {
      eval = d.evaluationInterval();
    }
    Map<String, String> ext = m.strMap("external_labels", "labels.Labels");
    for (Map.Entry<String, String> e : ext.entrySet()) {
      if (!LABEL_NAME.matcher(e.getKey()).matches()) {
        throw YamlMap.invalid(m.keyNode("external_labels"), "\"" + e.getKey() + "\" is not a valid label name");
      }
      if (e.getKey().equals("__name__")) {
        throw YamlMap.invalid(m.keyNode("external_labels"), "\"__name__\" is not a valid external label name");
      }
    }
    m.strList("scrape_protocols");
    m.duration("rule_query_offset", null);
    m.str("query_log_file", null);
    m.str("scrape_failure_log_file", null);
    m.bool("keep_dropped_targets", false);
    return new GlobalConfig(interval, timeout, eval, ext, limits(m, ScrapeLimits.NONE));
  }

  private static ScrapeLimits limits(YamlMap m, ScrapeLimits d) {
    long body = d.bodySizeLimit();
    Node b = m.get("body_size_limit");
    if (b != null) {
      String s = YamlMap.scalar(b, "units.Base2Bytes");
      try {
        body = parseBytes(s);
      } catch (IllegalArgumentException e) {
        throw YamlMap.err(b, "field body_size_limit: " + e.getMessage());
      }
    }
    return new ScrapeLimits(m.integer("sample_limit", d.sampleLimit(), "uint"),
        m.integer("label_limit", d.labelLimit(), "uint"),
        m.integer("label_name_length_limit", d.labelNameLengthLimit(), "uint"),
        m.integer("label_value_length_limit", d.labelValueLengthLimit(), "uint"),
        body, m.integer("target_limit", d.targetLimit(), "uint"));
  }

  /** Go's {@code units.ParseBase2Bytes}: KB and KiB both mean 1024. */
  static long parseBytes(String s) {
    java.util.regex.Matcher mt = Pattern.compile("([0-9]+)\\s*([KMGTPE]i?B|B)?").matcher(s.trim());
    if (!mt.matches()) {
      throw new IllegalArgumentException("invalid size \"" + s + "\"");
    }
    long n = Long.parseLong(mt.group(1));
    String u = mt.group(2) == null ? "B" : mt.group(2);
    int shift = "BKMGTPE".indexOf(u.charAt(0)) * 10;
    return n << shift;
  }

  private HttpClientConfig http(YamlMap m) {
    HttpClientConfig.BasicAuth basic = null;
    Node b = m.get("basic_auth");
    if (b != null) {
      YamlMap bm = YamlMap.of(b, "config.BasicAuth", Set.of("username", "username_file", "password", "password_file"));
      basic = new HttpClientConfig.BasicAuth(bm.str("username", ""), bm.str("password", null),
          file(bm.str("password_file", null)));
      if (basic.password() != null && basic.passwordFile() != null) {
        throw YamlMap.invalid(b, "at most one of basic_auth password & password_file must be configured");
      }
    }
    HttpClientConfig.Authorization auth = null;
    Node a = m.get("authorization");
    if (a != null) {
      YamlMap am = YamlMap.of(a, "config.Authorization", Set.of("type", "credentials", "credentials_file"));
      String type = am.str("type", "Bearer");
      if (type.isEmpty()) {
        type = "Bearer";
      }
      if (type.equalsIgnoreCase("basic")) {
        throw YamlMap.invalid(a, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      auth = new HttpClientConfig.Authorization(type, am.str("credentials", null),
          file(am.str("credentials_file", null)));
      if (auth.credentials() != null && auth.credentialsFile() != null) {
        throw YamlMap.invalid(a, "at most one of authorization credentials & credentials_file must be configured");
      }
    }
    String bearer = m.str("bearer_token", null);
    String bearerFile = m.str("bearer_token_file", null);
    if (bearer != null || bearerFile != null) {
      if (bearer != null && bearerFile != null) {
        throw YamlMap.invalid(m.keyNode("bearer_token"), "at most one of bearer_token & bearer_token_file must be configured");
      }
      if (auth != null) {
        throw YamlMap.invalid(m.keyNode("bearer_token"),
            "at most one of bearer_token, bearer_token_file & authorization must be configured");
      }
      auth = new HttpClientConfig.Authorization("Bearer", bearer, file(bearerFile));
    }
    if (basic != null && auth != null) {
      throw YamlMap.invalid(m.node(), "at most one of basic_auth, oauth2 & authorization must be configured");
    }
    HttpClientConfig.TlsConfig tls = HttpClientConfig.DEFAULT.tls();
    Node t = m.get("tls_config");
    if (t != null) {
      YamlMap tm = YamlMap.of(t, "config.TLSConfig", Set.of("ca_file", "ca", "cert_file", "cert", "key_file", "key",
          "server_name", "insecure_skip_verify", "min_version", "max_version"));
      tls = new HttpClientConfig.TlsConfig(file(tm.str("ca_file", null)), file(tm.str("cert_file", null)),
          file(tm.str("key_file", null)), tm.str("server_name", null), tm.bool("insecure_skip_verify", false));
      tm.str("min_version", null);
      tm.str("max_version", null);
      if (tm.has("ca") || tm.has("cert") || tm.has("key")) {
        throw YamlMap.invalid(t, "inline ca/cert/key in tls_config are not supported by promkit yet; use the _file fields");
      }
    }
    m.str("proxy_url", null);
    m.str("no_proxy", null);
    m.bool("proxy_from_environment", false);
    return new HttpClientConfig(basic, auth, tls, m.bool("follow_redirects", true), m.bool("enable_http2", true));
  }

  private String file(String f) {
    if (f == null || f.isEmpty() || baseDir == null) {
      return f == null || f.isEmpty() ? null : f;
    }
    return baseDir.resolve(f).toString();
  }

  private ScrapeConfig scrape(Node n, GlobalConfig g) {
    YamlMap m = YamlMap.of(n, "config.ScrapeConfig", SCRAPE);
    String job = m.str("job_name", "");
    if (job.isEmpty()) {
      throw YamlMap.invalid(n, "job_name is empty");
    }
    PromDuration interval = m.duration("scrape_interval", null);
    if (interval == null || interval.millis() == 0) {
      interval = g.scrapeInterval();
    }
    PromDuration timeout = m.duration("scrape_timeout", null);
    if (timeout == null || timeout.millis() == 0) {
      timeout = g.scrapeTimeout().compareTo(interval) > 0 ? interval : g.scrapeTimeout();
    }
    if (timeout.compareTo(interval) > 0) {
      throw YamlMap.invalid(m.keyNode("scrape_timeout"),
          "scrape timeout greater than scrape interval for scrape config with job name \"" + job + "\"");
    }
    String path = m.str("metrics_path", "/metrics");
    if (path.isEmpty()) {
      path = "/metrics";
    }
    String scheme = m.str("scheme", "http");
    if (scheme.isEmpty()) {
      scheme = "http";
    }
    // Like Prometheus, any scheme passes here; targets with one other than http/https are dropped.
    List<String> protocols = m.strList("scrape_protocols");
    for (String p : protocols) {
      if (!Set.of("PrometheusProto", "OpenMetricsText0.0.1", "OpenMetricsText1.0.0", "PrometheusText0.0.4",
          "PrometheusText1.0.0").contains(p)) {
        throw YamlMap.invalid(m.keyNode("scrape_protocols"), "unknown scrape protocol " + p);
      }
    }
    m.str("fallback_scrape_protocol", null);
    m.bool("track_timestamps_staleness", false);
    m.bool("keep_dropped_targets", false);
    HttpClientConfig http = http(m);
    List<StaticConfig> statics = new ArrayList<>();
    int i = 0;
    for (Node s : m.list("static_configs", "discovery.StaticConfig")) {
      statics.add(staticConfig(s, String.valueOf(i++)));
    }
    List<FileSdConfig> files = new ArrayList<>();
    for (Node f : m.list("file_sd_configs", "[]*file.SDConfig")) {
      files.add(fileSd(f));
    }
    return new ScrapeConfig(job, interval, timeout, path, scheme, m.strListMap("params"), m.bool("honor_labels", false),
        m.bool("honor_timestamps", true), m.bool("enable_compression", true), limits(m, g.limits()), http, statics,
        files, relabels(m, "relabel_configs"), relabels(m, "metric_relabel_configs"));
  }

  static StaticConfig staticConfig(Node n, String source) {
    YamlMap m = YamlMap.of(n, "targetgroup.Group", Set.of("targets", "labels"));
    List<String> targets = m.strList("targets");
    for (String t : targets) {
      if (t.isEmpty()) {
        throw YamlMap.invalid(n, "empty target address");
      }
      if (t.contains("/")) {
        throw YamlMap.invalid(n, "\"" + t + "\" is not a valid hostname");
      }
    }
    Map<String, String> labels = m.strMap("labels", "model.LabelSet");
    for (String k : labels.keySet()) {
      if (!LABEL_NAME.matcher(k).matches()) {
        throw YamlMap.invalid(m.keyNode("labels"), "\"" + k + "\" is not a valid label name");
      }
    }
    return new StaticConfig(targets, labels, source);
  }

  private FileSdConfig fileSd(Node n) {
    YamlMap m = YamlMap.of(n, "file.SDConfig", Set.of("files", "refresh_interval"));
    List<String> files = m.strList("files");
    if (files.isEmpty()) {
      throw YamlMap.invalid(n, "file service discovery config must contain at least one path name");
    }
    List<String> resolved = new ArrayList<>();
    for (String f : files) {
      String last = Path.of(f).getFileName() == null ? f : Path.of(f).getFileName().toString();
      if (!(last.endsWith(".json") || last.endsWith(".yml") || last.endsWith(".yaml"))) {
        throw YamlMap.invalid(m.keyNode("files"), "path name \"" + f + "\" is not valid for file discovery");
      }
      resolved.add(file(f));
    }
    PromDuration refresh = m.duration("refresh_interval", PromDuration.ofSeconds(300));
    return new FileSdConfig(resolved, refresh);
  }

  private AlertingConfig alerting(Node n, GlobalConfig g) {
    YamlMap m = YamlMap.of(n, "config.AlertingConfig", Set.of("alert_relabel_configs", "alertmanagers"));
    List<AlertingConfig.Alertmanager> ams = new ArrayList<>();
    for (Node a : m.list("alertmanagers", "config.AlertmanagerConfigs")) {
      YamlMap am = YamlMap.of(a, "config.AlertmanagerConfig", ALERTMANAGER);
      String apiVersion = am.str("api_version", "v2");
      if (!apiVersion.equals("v2")) {
        throw YamlMap.invalid(am.keyNode("api_version"), "expected Alertmanager api version to be one of [v2] but got "
            + apiVersion);
      }
      List<StaticConfig> statics = new ArrayList<>();
      int i = 0;
      for (Node s : am.list("static_configs", "discovery.StaticConfig")) {
        statics.add(staticConfig(s, String.valueOf(i++)));
      }
      List<FileSdConfig> files = new ArrayList<>();
      for (Node f : am.list("file_sd_configs", "[]*file.SDConfig")) {
        files.add(fileSd(f));
      }
      ams.add(new AlertingConfig.Alertmanager(am.str("scheme", "http"), am.str("path_prefix", "/"),
          am.duration("timeout", PromDuration.ofSeconds(10)), apiVersion, http(am), statics, files,
          relabels(am, "relabel_configs")));
      relabels(am, "alert_relabel_configs");
    }
    return new AlertingConfig(relabels(m, "alert_relabel_configs"), ams);
  }

  private static List<RelabelConfig> relabels(YamlMap m, String key) {
    List<RelabelConfig> out = new ArrayList<>();
    for (Node n : m.list(key, "[]*relabel.Config")) {
      out.add(relabel(n));
    }
    return out;
  }

  static RelabelConfig relabel(Node n) {
    YamlMap m = YamlMap.of(n, "relabel.Config", Set.of("source_labels", "separator", "target_label", "regex",
        "modulus", "replacement", "action"));
    String actionName = m.str("action", "replace");
    RelabelConfig.Action action = RelabelConfig.Action.fromYaml(actionName);
    if (action == null) {
      throw YamlMap.err(m.keyNode("action"), "unknown relabel action \"" + actionName + "\"");
    }
    List<String> sources = m.strList("source_labels");
    for (String s : sources) {
      if (!LABEL_NAME.matcher(s).matches()) {
        throw YamlMap.err(m.keyNode("source_labels"), "\"" + s + "\" is not a valid label name");
      }
    }
    String regex = m.str("regex", RelabelConfig.DEFAULT_REGEX);
    try {
      // As Prometheus 2.42 compiles a relabel regex (RE2, ^(?:regex)$), with Go's error text.
      dev.promkit.tsdb.regex.Re2Pattern.compile("^(?:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw YamlMap.err(m.keyNode("regex"), e.getMessage());
    }
    String target = m.str("target_label", "");
    String replacement = m.str("replacement", "$1");
    String separator = m.str("separator", ";");
    long modulus = m.integer("modulus", 0, "uint64");
    RelabelConfig rc = new RelabelConfig(sources, separator, target, regex, modulus, replacement, action);
    validate(rc, m);
    return rc;
  }

  private static void validate(RelabelConfig rc, YamlMap m) {
    RelabelConfig.Action a = rc.action();
    String name = a.yamlName();
    if (a == RelabelConfig.Action.HASHMOD && rc.modulus() == 0) {
      throw YamlMap.invalid(m.node(), "relabel configuration for hashmod requires non-zero modulus");
    }
    boolean needsTarget = a == RelabelConfig.Action.REPLACE || a == RelabelConfig.Action.HASHMOD
        || a == RelabelConfig.Action.LOWERCASE || a == RelabelConfig.Action.UPPERCASE
        || a == RelabelConfig.Action.KEEPEQUAL || a == RelabelConfig.Action.DROPEQUAL;
    if (needsTarget && rc.targetLabel().isEmpty()) {
      throw YamlMap.invalid(m.node(), "relabel configuration for " + name + " action requires 'target_label' value");
    }
    boolean templated = a == RelabelConfig.Action.REPLACE;
    if (needsTarget && !templated && !LABEL_NAME.matcher(rc.targetLabel()).matches()) {
      throw YamlMap.invalid(m.node(), "\"" + rc.targetLabel() + "\" is invalid 'target_label' for " + name + " action");
    }
    if (templated && !Pattern.compile("[a-zA-Z_$][a-zA-Z0-9_${}]*").matcher(rc.targetLabel()).matches()) {
      throw YamlMap.invalid(m.node(), "\"" + rc.targetLabel() + "\" is invalid 'target_label' for " + name + " action");
    }
    if (a == RelabelConfig.Action.LABELDROP || a == RelabelConfig.Action.LABELKEEP) {
      if (!rc.sourceLabels().isEmpty() || !rc.targetLabel().isEmpty() || rc.modulus() != 0
          || !rc.separator().equals(";") || !rc.replacement().equals("$1")) {
        throw YamlMap.invalid(m.node(), name + " action requires only 'regex', and no other fields");
      }
    }
    if (a == RelabelConfig.Action.KEEPEQUAL || a == RelabelConfig.Action.DROPEQUAL) {
      if (!rc.regex().equals(RelabelConfig.DEFAULT_REGEX) || rc.modulus() != 0 || !rc.separator().equals(";")
          || !rc.replacement().equals("$1")) {
        throw YamlMap.invalid(m.node(), name + " action requires only 'source_labels' and `target_label`, and no other fields");
      }
    }
  }
}
