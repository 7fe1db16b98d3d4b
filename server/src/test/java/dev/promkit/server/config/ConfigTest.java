package dev.promkit.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  /** The seed project's prometheus.yml, byte for byte. */
  static String seed() {
    try (java.io.InputStream in = ConfigTest.class.getResourceAsStream("/seed/prometheus.yml")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void parsesTheSeedConfigUnchanged() {
    Config c = Config.parse(seed());
    assertEquals(PromDuration.ofSeconds(10), c.global().scrapeInterval());
    assertEquals(PromDuration.ofSeconds(10), c.global().scrapeTimeout());
    assertEquals(PromDuration.ofSeconds(10), c.global().evaluationInterval());
    assertEquals(List.of("rules.yml"), c.ruleFiles());
    assertEquals(List.of("localhost:9093"), c.alerting().alertmanagers().get(0).staticConfigs().get(0).targets());
    assertEquals(2, c.scrapeConfigs().size());
    ScrapeConfig node = c.scrapeConfig("node");
    assertEquals(List.of("localhost:9100"), node.staticConfigs().get(0).targets());
    assertEquals(PromDuration.ofSeconds(10), node.scrapeInterval());
    assertEquals("/metrics", node.metricsPath());
    assertEquals("http", node.scheme());
    assertTrue(node.honorTimestamps());
    assertFalse(node.honorLabels());
  }

  @Test
  void appliesPrometheusDefaultsToAnEmptyFile() {
    Config c = Config.parse("");
    assertEquals(PromDuration.ofSeconds(60), c.global().scrapeInterval());
    assertEquals(PromDuration.ofSeconds(10), c.global().scrapeTimeout());
    assertEquals(PromDuration.ofSeconds(60), c.global().evaluationInterval());
    assertTrue(c.scrapeConfigs().isEmpty());
  }

  @Test
  void parsesEveryScrapeField() {
    Config c = Config.parse("""
        global:
          external_labels: {region: eu}
        scrape_configs:
          - job_name: j
            scrape_interval: 1m30s
            scrape_timeout: 5s
            metrics_path: /m
            scheme: https
            params: {module: [a, b]}
            honor_labels: true
            honor_timestamps: false
            sample_limit: 10
            label_limit: 5
            label_name_length_limit: 20
            label_value_length_limit: 30
            body_size_limit: 10MB
            basic_auth: {username: u, password: p}
            tls_config: {insecure_skip_verify: true}
            static_configs:
              - targets: [a:1, b:2]
                labels: {env: prod}
            file_sd_configs:
              - files: [targets/*.json]
                refresh_interval: 30s
            relabel_configs:
              - source_labels: [__address__]
                regex: (.*):.*
                target_label: host
              - action: hashmod
                source_labels: [host]
                modulus: 4
                target_label: shard
            metric_relabel_configs:
              - action: labeldrop
                regex: tmp_.*
        """);
    assertEquals(Map.of("region", "eu"), c.global().externalLabels());
    ScrapeConfig j = c.scrapeConfig("j");
    assertEquals(90_000, j.scrapeInterval().millis());
    assertEquals(5_000, j.scrapeTimeout().millis());
    assertEquals("/m", j.metricsPath());
    assertEquals("https", j.scheme());
    assertEquals(List.of("a", "b"), j.params().get("module"));
    assertTrue(j.honorLabels());
    assertFalse(j.honorTimestamps());
    assertEquals(new ScrapeLimits(10, 5, 20, 30, 10L << 20, 0), j.limits());
    assertEquals("u", j.http().basicAuth().username());
    assertTrue(j.http().tls().insecureSkipVerify());
    assertEquals(Map.of("env", "prod"), j.staticConfigs().get(0).labels());
    assertEquals(30_000, j.fileSdConfigs().get(0).refreshInterval().millis());
    RelabelConfig r = j.relabelConfigs().get(0);
    assertEquals(RelabelConfig.Action.REPLACE, r.action());
    assertEquals(";", r.separator());
    assertEquals("$1", r.replacement());
    assertEquals(RelabelConfig.Action.HASHMOD, j.relabelConfigs().get(1).action());
    assertEquals(RelabelConfig.Action.LABELDROP, j.metricRelabelConfigs().get(0).action());
  }

  @Test
  void jobTimeoutDefaultsToTheIntervalWhenGlobalTimeoutIsLonger() {
    Config c = Config.parse("scrape_configs:\n  - job_name: fast\n    scrape_interval: 2s\n");
    assertEquals(2_000, c.scrapeConfig("fast").scrapeTimeout().millis());
  }

  @Test
  void bearerTokenBecomesAuthorization() {
    Config c = Config.parse("scrape_configs:\n  - job_name: a\n    bearer_token: xyz\n");
    assertEquals("Bearer", c.scrapeConfig("a").http().authorization().type());
    assertEquals("xyz", c.scrapeConfig("a").http().authorization().credentials());
  }

  @Test
  void rejectsUnknownFieldNamingFieldTypeAndLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.parse("""
        global:
          scrape_interval: 10s
        scrape_configs:
          - job_name: a
            foo: 1
        """));
    assertEquals("yaml: unmarshal errors:\n  line 5: field foo not found in type config.ScrapeConfig", e.getMessage());
    assertEquals(5, e.line());
  }

  @Test
  void badRelabelRegexIsRejectedWithGoMessageAndLine() {
    // Messages as promtool check config (Prometheus 2.42) prints them for the same files.
    String[][] cases = {
        {"(abc", "error parsing regexp: missing closing ): `^(?:(abc)$`"},
        {"a++", "error parsing regexp: invalid nested repetition operator: `++`"},
        // without \E the quote runs to the end of ^(?:regex)$, swallowing its ")$"
        {"a\\Q.*", "error parsing regexp: missing closing ): `^(?:a\\Q.*)$`"},
        {"x{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`"},
        {"[z-a]", "error parsing regexp: invalid character class range: `z-a`"},
        {"\\8", "error parsing regexp: invalid escape sequence: `\\8`"},
    };
    for (String[] c : cases) {
      ConfigException e = assertThrows(ConfigException.class, () -> Config.parse(
          "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: [x]\n"
              + "        regex: '" + c[0] + "'\n"));
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
      assertEquals(5, e.line(), c[0]);
    }
  }

  @Test
  void rejectsUnknownTopLevelField() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.parse("scrape_config:\n  - job_name: a\n"));
    assertEquals("yaml: unmarshal errors:\n  line 1: field scrape_config not found in type config.Config",
        e.getMessage());
  }

  @Test
  void rejectsWrongTypeWithLine() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Config.parse("scrape_configs:\n  - job_name: a\n    honor_labels: maybe\n"));
    assertEquals("yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `maybe` into bool", e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> Config.parse("scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: x\n"));
    assertTrue(e.getMessage().contains("line 4: cannot unmarshal !!str `x` into []string"), e.getMessage());
  }

  @Test
  void rejectsBadDurationNamingFieldAndLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.parse("global:\n  scrape_interval: 10 s\n"));
    assertEquals("yaml: unmarshal errors:\n  line 2: field scrape_interval: not a valid duration string: \"10 s\"",
        e.getMessage());
  }

  @Test
  void rejectsTimeoutLongerThanInterval() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.parse(
        "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 10s\n"));
    assertTrue(e.getMessage().startsWith(
        "scrape timeout greater than scrape interval for scrape config with job name \"a\""), e.getMessage());
    assertEquals(4, e.line());
    e = assertThrows(ConfigException.class,
        () -> Config.parse("global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n"));
    assertTrue(e.getMessage().startsWith("global scrape timeout greater than scrape interval"));
  }

  @Test
  void rejectsDuplicateJobNames() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Config.parse("scrape_configs:\n  - job_name: a\n  - job_name: a\n"));
    assertTrue(e.getMessage().startsWith("found multiple scrape configs with job name \"a\""), e.getMessage());
  }

  @Test
  void rejectsUnknownRelabelActionAndMissingModulus() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.parse(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: explode\n"));
    assertEquals("yaml: unmarshal errors:\n  line 4: unknown relabel action \"explode\"", e.getMessage());
    e = assertThrows(ConfigException.class, () -> Config.parse(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        target_label: x\n"));
    assertTrue(e.getMessage().startsWith("relabel configuration for hashmod requires non-zero modulus"));
    e = assertThrows(ConfigException.class, () -> Config.parse(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: labeldrop\n        target_label: x\n"));
    assertTrue(e.getMessage().startsWith("labeldrop action requires only 'regex', and no other fields"));
  }

  @Test
  void rejectsBothBasicAuthAndAuthorization() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.parse(
        "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    authorization: {credentials: c}\n"));
    assertTrue(e.getMessage().startsWith("at most one of basic_auth, oauth2 & authorization must be configured"));
  }

  @Test
  void reportsYamlSyntaxErrorsWithLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.parse("global:\n  a: [\n"));
    assertTrue(e.getMessage().startsWith("yaml: line "), e.getMessage());
  }

  @Test
  void durationsRoundTripInPrometheusSyntax() {
    assertEquals("1h30m", PromDuration.parse("90m").toString());
    assertEquals("15d", PromDuration.parse("15d").toString());
    assertEquals("2w", PromDuration.parse("14d").toString());
    assertEquals("1s500ms", PromDuration.parse("1500ms").toString());
    assertEquals("0s", PromDuration.parse("0").toString());
    assertThrows(IllegalArgumentException.class, () -> PromDuration.parse("1m1h"));
    assertThrows(IllegalArgumentException.class, () -> PromDuration.parse("1.5s"));
  }
}
