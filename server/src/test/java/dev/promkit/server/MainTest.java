package dev.promkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.server.config.PromDuration;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private PrintStream o() {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  private PrintStream e() {
    return new PrintStream(err, true, StandardCharsets.UTF_8);
  }

  @Test
  void checkConfigAcceptsTheSeedConfigAsPromtoolDoes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("prometheus.yml");
    try (java.io.InputStream in = MainTest.class.getResourceAsStream("/seed/prometheus.yml")) {
      Files.write(f, in.readAllBytes());
    }
    Files.writeString(dir.resolve("rules.yml"), "groups: []\n");
    assertEquals(0, Main.check(new String[] {"config", f.toString()}, o(), e()), err.toString());
    assertEquals("Checking " + f + "\n  SUCCESS: 1 rule files found\n SUCCESS: " + f
        + " is valid prometheus config file syntax\n\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void checkConfigFailsNamingFieldAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yml");
    Files.writeString(f, "scrape_configs:\n  - job_name: a\n    foo: 1\n");
    assertEquals(1, Main.check(new String[] {"config", f.toString()}, o(), e()));
    assertEquals("  FAILED: parsing YAML file " + f + ": yaml: unmarshal errors:\n"
        + "  line 3: field foo not found in type config.ScrapeConfig\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void checkConfigFailsOnMissingRuleFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "rule_files: [nope.yml]\n");
    assertEquals(1, Main.check(new String[] {"config", f.toString()}, o(), e()));
    assertTrue(err.toString().contains("\"nope.yml\" does not point to an existing file"), err.toString());
  }

  @Test
  void queryInstantPrintsAsPromtool(@TempDir Path dir) throws Exception {
    try (PromkitServer s = PromkitServer.start(ServerOptions.parse("--config.file=" + dir.resolve("absent.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0"))) {
      Appender app = s.tsdb().appender();
      app.append(0, Labels.of("__name__", "m", "b", "x", "a", "y"), 1500, 2.5);
      app.commit();
      String url = "http://127.0.0.1:" + s.port();
      assertEquals(0, Main.query(new String[] {"instant", url, "m", "--time=2"}, o(), e()), err.toString());
      assertEquals("m{a=\"y\", b=\"x\"} => 2.5 @[2]\n", out.toString(StandardCharsets.UTF_8));
      out.reset();
      assertEquals(0, Main.query(new String[] {"range", url, "m", "--start=2", "--end=3", "--step=1s"}, o(), e()));
      assertEquals("m{a=\"y\", b=\"x\"} =>\n2.5 @[2]\n2.5 @[3]\n", out.toString(StandardCharsets.UTF_8));
      assertEquals(1, Main.query(new String[] {"instant", url, "m("}, o(), e()));
      assertTrue(err.toString().startsWith("query error: bad_data: invalid parameter \"query\": 1:3: parse error"), err.toString());
      // With no config file, the embedded config scrapes the server itself.
      assertEquals("localhost:" + s.port(), s.activeTargets().get(0).labels().get("instance"));
    }
  }

  @Test
  void serverFlagsUsePrometheusNamesAndDefaults() {
    ServerOptions d = ServerOptions.parse();
    assertEquals(Path.of("prometheus.yml"), d.configFile());
    assertEquals(Path.of("data/"), d.storagePath());
    assertEquals(PromDuration.parse("15d"), d.retention());
    assertEquals("0.0.0.0:9090", d.listenAddress());
    assertFalse(d.enableLifecycle());
    assertEquals(PromDuration.parse("2m"), d.queryTimeout());
    assertEquals(50_000_000, d.maxSamples());
    assertEquals(PromDuration.parse("5m"), d.lookbackDelta());
    ServerOptions o = ServerOptions.parse("--config.file=x.yml", "--storage.tsdb.path", "/d",
        "--storage.tsdb.retention.time=1d", "--web.listen-address=:9091", "--web.enable-lifecycle",
        "--query.timeout=10s", "--query.max-samples=5", "--query.lookback-delta=1m");
    assertEquals(Path.of("x.yml"), o.configFile());
    assertEquals(Path.of("/d"), o.storagePath());
    assertEquals(86_400_000, o.retention().millis());
    assertEquals(9091, o.socketAddress().getPort());
    assertTrue(o.enableLifecycle());
    assertEquals(10_000, o.queryTimeout().millis());
    assertEquals(5, o.maxSamples());
    assertEquals(60_000, o.lookbackDelta().millis());
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse("--nope=1"));
    assertEquals("unknown long flag '--nope'", ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse("--query.timeout=soon"));
    assertTrue(ex.getMessage().startsWith("invalid value \"soon\" for flag --query.timeout"));
  }

  @Test
  void sighupHandlerInstallsWhereTheJdkHasSignals() {
    // On HotSpot/OpenJDK sun.misc.Signal exists; elsewhere the server runs without it.
    assertTrue(Main.onSighup(() -> { }));
  }
}
