package dev.promkit.server.scrape;

import dev.promkit.server.config.PromDuration;
import dev.promkit.server.config.ScrapeConfig;
import dev.promkit.server.relabel.Relabeler;
import dev.promkit.tsdb.labels.Labels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds targets from discovered addresses as Prometheus' {@code PopulateLabels} does. */
final class TargetLabels {
  private TargetLabels() {}

  /** A target, or null when relabelling dropped it; IllegalArgumentException for an invalid result. */
  static Target populate(ScrapeConfig sc, Relabeler relabeler, Map<String, String> groupLabels, String address) {
    Labels discovered = discovered(sc, groupLabels, address);
    Labels.Builder b = discovered.toBuilder();
    if (!relabeler.process(b)) {
      return null;
    }
    Labels relabelled = b.build();
    String addr = relabelled.get("__address__");
    if (addr == null || addr.isEmpty()) {
      throw new IllegalArgumentException("no address");
    }
    if (addr.contains("/") || addr.contains(" ")) {
      throw new IllegalArgumentException("invalid \"__address__\" label: \"" + addr + "\"");
    }
    long interval;
    long timeout;
    try {
      interval = PromDuration.parse(relabelled.get("__scrape_interval__")).millis();
      timeout = PromDuration.parse(relabelled.get("__scrape_timeout__")).millis();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("error parsing scrape interval or timeout: " + e.getMessage());
    }
    if (interval == 0) {
      throw new IllegalArgumentException("scrape interval cannot be 0");
    }
    if (timeout == 0) {
      throw new IllegalArgumentException("scrape timeout cannot be 0");
    }
    if (timeout > interval) {
      throw new IllegalArgumentException("scrape timeout cannot be greater than scrape interval (\""
          + relabelled.get("__scrape_timeout__") + "\" > \"" + relabelled.get("__scrape_interval__") + "\")");
    }
    String scheme = relabelled.get("__scheme__");
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("invalid scheme \"" + scheme + "\": must be http or https");
    }
    String path = relabelled.get("__metrics_path__");
    TreeMap<String, String> params = new TreeMap<>();
    for (Map.Entry<String, List<String>> p : sc.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        params.put(p.getKey(), p.getValue().get(0));
      }
    }
    Labels.Builder out = Labels.empty().toBuilder();
    for (int i = 0; i < relabelled.size(); i++) {
      String n = relabelled.name(i);
      if (n.startsWith("__param_")) {
        params.put(n.substring("__param_".length()), relabelled.value(i));
      }
      if (!n.startsWith("__")) {
        out.set(n, relabelled.value(i));
      }
    }
    if (out.get("instance").isEmpty()) {
      out.set("instance", addr);
    }
    StringBuilder url = new StringBuilder().append(scheme).append("://").append(addr)
        .append(path.startsWith("/") ? "" : "/").append(path);
    char sep = path.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      // Multi-valued params from the config keep their extra values, as url.Values does.
      List<String> all = sc.params().getOrDefault(p.getKey(), List.of(p.getValue()));
      for (int i = 0; i < Math.max(1, all.size()); i++) {
        String v = i == 0 ? p.getValue() : all.get(i);
        url.append(sep).append(enc(p.getKey())).append('=').append(enc(v));
        sep = '&';
      }
    }
    return new Target(sc.jobName(), out.build(), discovered, url.toString(), interval, timeout);
  }

  /** The labels a target has before relabelling: group labels, address and the job's defaults. */
  static Labels discovered(ScrapeConfig sc, Map<String, String> groupLabels, String address) {
    Labels.Builder b = Labels.empty().toBuilder();
    for (Map.Entry<String, String> e : groupLabels.entrySet()) {
      b.set(e.getKey(), e.getValue());
    }
    b.set("__address__", address);
    setDefault(b, "job", sc.jobName());
    setDefault(b, "__scheme__", sc.scheme());
    setDefault(b, "__metrics_path__", sc.metricsPath());
    setDefault(b, "__scrape_interval__", sc.scrapeInterval().toString());
    setDefault(b, "__scrape_timeout__", sc.scrapeTimeout().toString());
    for (Map.Entry<String, List<String>> p : sc.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        setDefault(b, "__param_" + p.getKey(), p.getValue().get(0));
      }
    }
    return b.build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void setDefault(Labels.Builder b, String name, String value) {
    if (b.get(name).isEmpty()) {
      b.set(name, value);
    }
  }
}
