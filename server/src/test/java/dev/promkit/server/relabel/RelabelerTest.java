package dev.promkit.server.relabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.promkit.server.config.Config;
import dev.promkit.server.config.RelabelConfig;
import dev.promkit.tsdb.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelabelerTest {
  private static Relabeler rules(String yaml) {
    Config c = Config.parse("scrape_configs:\n  - job_name: t\n    relabel_configs:\n" + yaml.indent(6));
    return Relabeler.of(c.scrapeConfig("t").relabelConfigs());
  }

  private static final Labels IN = Labels.of("__address__", "host-1:9100", "job", "node", "env", "Prod");

  @Test
  void replaceUsesAnchoredRegexAndGroups() {
    Labels out = rules("- source_labels: [__address__]\n  regex: '(.*):(\\d+)'\n  target_label: host\n"
        + "  replacement: '${1}_x'\n").process(IN);
    assertEquals("host-1_x", out.get("host"));
    // Anchored: "host" alone does not match "host-1:9100".
    out = rules("- source_labels: [__address__]\n  regex: host\n  target_label: h\n").process(IN);
    assertEquals("", out.get("h"));
  }

  @Test
  void replaceExpandsDollarNameAsGoDoes() {
    Labels out = rules("- source_labels: [job]\n  regex: '(.*)'\n  target_label: a\n  replacement: '$1x'\n")
        .process(IN);
    assertEquals("", out.get("a"), "$1x names group '1x', which does not exist");
  }

  @Test
  void replaceWithEmptyResultDeletesTarget() {
    Labels out = rules("- source_labels: [missing]\n  target_label: env\n").process(IN);
    assertEquals("", out.get("env"));
  }

  @Test
  void replaceJoinsSourcesWithSeparator() {
    Labels out = rules("- source_labels: [job, env]\n  separator: '/'\n  target_label: both\n").process(IN);
    assertEquals("node/Prod", out.get("both"));
  }

  @Test
  void keepAndDrop() {
    assertNull(rules("- action: keep\n  source_labels: [job]\n  regex: api\n").process(IN));
    assertEquals(IN, rules("- action: keep\n  source_labels: [job]\n  regex: no.*\n").process(IN));
    assertNull(rules("- action: drop\n  source_labels: [job]\n  regex: no.*\n").process(IN));
    assertEquals(IN, rules("- action: drop\n  source_labels: [job]\n  regex: api\n").process(IN));
  }

  @Test
  void keepEqualAndDropEqual() {
    Labels l = Labels.of("a", "x", "b", "x", "c", "y");
    assertEquals(l, rules("- action: keepequal\n  source_labels: [a]\n  target_label: b\n").process(l));
    assertNull(rules("- action: keepequal\n  source_labels: [a]\n  target_label: c\n").process(l));
    assertNull(rules("- action: dropequal\n  source_labels: [a]\n  target_label: b\n").process(l));
    assertEquals(l, rules("- action: dropequal\n  source_labels: [a]\n  target_label: c\n").process(l));
  }

  @Test
  void hashmodMatchesPrometheus() {
    // Prometheus: md5("host-1:9100") low 64 bits mod 10; computed here independently of Relabeler.
    byte[] h;
    try {
      h = java.security.MessageDigest.getInstance("MD5").digest("host-1:9100".getBytes());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    java.math.BigInteger low = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(h, 8, 16));
    String expected = low.mod(java.math.BigInteger.TEN).toString();
    Labels out = rules("- action: hashmod\n  source_labels: [__address__]\n  modulus: 10\n  target_label: shard\n")
        .process(IN);
    assertEquals(expected, out.get("shard"));
  }

  @Test
  void labelmapCopiesMatchingNames() {
    Labels l = Labels.of("__meta_x_team", "a", "__meta_x_zone", "b", "job", "j");
    Labels out = rules("- action: labelmap\n  regex: __meta_x_(.+)\n").process(l);
    assertEquals("a", out.get("team"));
    assertEquals("b", out.get("zone"));
    assertEquals("a", out.get("__meta_x_team"));
  }

  @Test
  void labeldropAndLabelkeep() {
    Labels out = rules("- action: labeldrop\n  regex: e.*\n").process(IN);
    assertEquals(Labels.of("__address__", "host-1:9100", "job", "node"), out);
    out = rules("- action: labelkeep\n  regex: job|env\n").process(IN);
    assertEquals(Labels.of("job", "node", "env", "Prod"), out);
  }

  @Test
  void lowercaseAndUppercase() {
    Labels out = rules("- action: lowercase\n  source_labels: [env]\n  target_label: lo\n"
        + "- action: uppercase\n  source_labels: [env]\n  target_label: up\n").process(IN);
    assertEquals("prod", out.get("lo"));
    assertEquals("PROD", out.get("up"));
  }

  @Test
  void rulesApplyInOrder() {
    Relabeler r = Relabeler.of(List.of(
        RelabelConfig.of(RelabelConfig.Action.REPLACE, List.of("job"), "(.*)", "x", "$1-1"),
        RelabelConfig.of(RelabelConfig.Action.REPLACE, List.of("x"), "(.*)", "y", "$1-2")));
    assertEquals("node-1-2", r.process(IN).get("y"));
  }

  // RE2 (Prometheus) and java.util.regex read these differently; the expected results are Prometheus 2.42's.

  @Test
  void dotDoesNotMatchNewlineUnlessTheRegexSetsS() {
    Labels l = Labels.of("v", "a\nb", "job", "x");
    assertEquals(l, rules("- action: drop\n  source_labels: [v]\n  regex: a.b\n").process(l),
        "^(?:a.b)$: '.' stops at a newline in Prometheus 2.42's relabelling");
    assertNull(rules("- action: drop\n  source_labels: [v]\n  regex: (?s)a.b\n").process(l));
  }

  @Test
  void goNamedGroupsExpandByName() {
    Labels out = rules("- source_labels: [__address__]\n  regex: '(?P<host>[^:]+):(?P<port_no>\\d+)'\n"
        + "  target_label: hp\n  replacement: '${port_no}@$host'\n").process(IN);
    assertEquals("9100@host-1", out.get("hp"));
  }

  @Test
  void ampersandsInACharacterClassAreLiteral() {
    // Java reads [a&&b] as the intersection of a and b (nothing); RE2 as the set {a, &, b}.
    Labels l = Labels.of("v", "&", "job", "x");
    assertNull(rules("- action: drop\n  source_labels: [v]\n  regex: '[a&&b]'\n").process(l));
  }

  @Test
  void quotedTextIsLiteral() {
    Labels l = Labels.of("v", "a.*", "job", "x");
    assertNull(rules("- action: drop\n  source_labels: [v]\n  regex: 'a\\Q.*\\E'\n").process(l));
    assertEquals(IN, rules("- action: drop\n  source_labels: [job]\n  regex: 'no\\Q.*\\E'\n").process(IN));
  }

  @Test
  void labelmapAndLabeldropUseRe2Too() {
    Labels l = Labels.of("__meta_a_b", "1", "job", "x");
    Labels out = rules("- action: labelmap\n  regex: '__meta_(?P<rest>.+)'\n  replacement: 'm_${rest}'\n").process(l);
    assertEquals("1", out.get("m_a_b"));
    out = rules("- action: labeldrop\n  regex: '[_&&]{2}meta.*'\n").process(l);
    assertEquals("", out.get("__meta_a_b"));
  }
}
