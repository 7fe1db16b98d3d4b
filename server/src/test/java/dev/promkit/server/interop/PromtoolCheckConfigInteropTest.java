package dev.promkit.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.server.config.Config;
import dev.promkit.server.config.ConfigException;
import dev.promkit.testing.peers.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file here is accepted or rejected by our parser exactly when promtool 2.42 accepts or rejects it. */
@Tag("interop")
class PromtoolCheckConfigInteropTest {
  private static final String JOB = "scrape_configs:\n  - job_name: a\n";

  @Test
  void acceptsAndRejectsTheSameFilesAsPromtool(@TempDir Path dir) throws Exception {
    Peers.require(Peers.PROMTOOL);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("empty", "");
    files.put("full", "global:\n  scrape_interval: 15s\n  scrape_timeout: 5s\n  external_labels: {r: x}\n" + JOB
        + "    metrics_path: /m\n    scheme: https\n    params: {a: [b]}\n    honor_labels: true\n"
        + "    honor_timestamps: false\n    sample_limit: 5\n    label_limit: 3\n    body_size_limit: 1MB\n"
        + "    basic_auth: {username: u, password: p}\n    tls_config: {insecure_skip_verify: true}\n"
        + "    static_configs:\n      - targets: [a:1]\n        labels: {x: y}\n"
        + "    relabel_configs:\n      - {source_labels: [a], target_label: b}\n"
        + "      - {action: hashmod, source_labels: [a], modulus: 3, target_label: c}\n"
        + "      - {action: labelmap, regex: 'x_(.*)'}\n      - {action: labeldrop, regex: tmp}\n"
        + "      - {action: keepequal, source_labels: [a], target_label: b}\n"
        + "      - {action: lowercase, source_labels: [a], target_label: l}\n"
        + "    metric_relabel_configs:\n      - {action: drop, source_labels: [__name__], regex: 'go_.*'}\n");
    files.put("unknownField", JOB + "    foo: 1\n");
    files.put("unknownTop", "scrape_config: []\n");
    files.put("badDuration", "global:\n  scrape_interval: 1x\n");
    files.put("timeoutOverInterval", JOB + "    scrape_interval: 5s\n    scrape_timeout: 10s\n");
    files.put("globalTimeoutOverInterval", "global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n");
    files.put("duplicateJob", JOB + "  - job_name: a\n");
    files.put("badAction", JOB + "    relabel_configs:\n      - action: explode\n");
    files.put("hashmodNoModulus", JOB + "    relabel_configs:\n      - {action: hashmod, target_label: x}\n");
    files.put("labeldropWithTarget", JOB + "    relabel_configs:\n      - {action: labeldrop, regex: x, target_label: y}\n");
    files.put("replaceNoTarget", JOB + "    relabel_configs:\n      - {action: replace, source_labels: [a]}\n");
    files.put("badRegex", JOB + "    relabel_configs:\n      - {source_labels: [a], regex: '(', target_label: b}\n");
    files.put("wrongBool", JOB + "    honor_labels: maybe\n");
    files.put("badScheme", JOB + "    scheme: ftp\n");
    files.put("authTwice", JOB + "    basic_auth: {username: u}\n    authorization: {credentials: c}\n");
    files.put("missingJobName", "scrape_configs:\n  - static_configs: []\n");
    files.put("badExternalLabel", "global:\n  external_labels: {'0a': x}\n");
    files.put("fileSdBadExtension", JOB + "    file_sd_configs:\n      - files: [x.txt]\n");
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path f = dir.resolve(e.getKey() + ".yml");
      Files.writeString(f, e.getValue());
      Peers.Result r = Peers.run(Peers.PROMTOOL, new byte[0], 30, "check", "config", "--syntax-only", f.toString());
      boolean promtoolOk = r.exitCode() == 0;
      String ours;
      try {
        Config.load(f);
        ours = "ok";
      } catch (ConfigException ex) {
        ours = ex.getMessage();
      }
      assertEquals(promtoolOk, ours.equals("ok"), e.getKey() + ": promtool says\n" + r.output() + "\nwe say\n" + ours);
    }
  }
}
