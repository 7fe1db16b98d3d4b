package dev.promkit.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.promkit.client.http.MetricsServer;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;
import dev.promkit.server.PromkitServer;
import dev.promkit.server.ServerOptions;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our server evaluating the seed's InstanceDown rule and notifying the real Alertmanager 0.25,
 * observed through a webhook receiver: the target going down fires, coming back resolves.
 */
@Tag("interop")
class AlertmanagerInteropTest {
  @TempDir
  Path dir;

  static final String RULES = "groups:\n  - name: availability\n    rules:\n      - alert: InstanceDown\n"
      + "        expr: up == 0\n        for: 2s\n        labels:\n          severity: page\n"
      + "        annotations:\n          summary: '{{ $labels.instance }} is down'\n";

  @Test
  void targetDownFiresThroughAlertmanagerAndRecoveryResolves() throws Exception {
    Peers.require(Peers.ALERTMANAGER);
    LinkedBlockingQueue<JsonObject> webhook = new LinkedBlockingQueue<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      webhook.add(JsonParser.parseString(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonObject());
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    hook.start();
    Registry reg = new Registry();
    Counter.builder().name("work_total").help("Work.").register(reg).inc();
    int targetPort = Peers.freePort();
    MetricsServer target = startTarget(reg, targetPort);
    PromkitServer server = null;
    try (Peer am = Peer.alertmanager("route:\n  receiver: hook\n  group_by: ['alertname']\n  group_wait: 1s\n"
        + "  group_interval: 1s\n  repeat_interval: 1m\nreceivers:\n  - name: hook\n    webhook_configs:\n"
        + "      - url: http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\n        send_resolved: true\n")) {
      Files.writeString(dir.resolve("rules.yml"), RULES);
      Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
          + "  evaluation_interval: 1s\nrule_files: ['rules.yml']\nalerting:\n  alertmanagers:\n"
          + "    - static_configs:\n        - targets: ['127.0.0.1:" + am.port() + "']\nscrape_configs:\n"
          + "  - job_name: app\n    static_configs:\n      - targets: ['127.0.0.1:" + targetPort + "']\n");
      server = PromkitServer.start(ServerOptions.parse("--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0"));
      PromkitServer s = server;
      long deadline = System.currentTimeMillis() + 10_000;
      while (s.activeTargets().get(0).health() != dev.promkit.server.scrape.Target.Health.UP && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      target.close();
      long stopped = System.nanoTime();
      // for (2s) + a scrape and an evaluation interval (2s) + group_wait (1s), with 4s to spare on a shared machine
      JsonObject firing = next(webhook, 9);
      double firedAfter = (System.nanoTime() - stopped) / 1e9;
      assertEquals("firing", firing.get("status").getAsString(), firing.toString());
      JsonObject alert = firing.getAsJsonArray("alerts").get(0).getAsJsonObject();
      assertEquals("{\"alertname\":\"InstanceDown\",\"instance\":\"127.0.0.1:" + targetPort + "\",\"job\":\"app\","
          + "\"severity\":\"page\"}", alert.get("labels").toString());
      assertEquals("127.0.0.1:" + targetPort + " is down",
          alert.getAsJsonObject("annotations").get("summary").getAsString());
      System.out.printf("InstanceDown reached the webhook %.1fs after the target stopped%n", firedAfter);

      target = startTarget(reg, targetPort);
      JsonObject resolved = next(webhook, 8);
      while (!resolved.get("status").getAsString().equals("resolved")) {
        resolved = next(webhook, 8); // a repeat of the firing group may come first
      }
      JsonElement ra = resolved.getAsJsonArray("alerts").get(0);
      assertEquals("resolved", ra.getAsJsonObject().get("status").getAsString());
      assertEquals("InstanceDown", ra.getAsJsonObject().getAsJsonObject("labels").get("alertname").getAsString());
    } finally {
      if (server != null) {
        server.close();
      }
      target.close();
      hook.stop(0);
    }
  }

  private static MetricsServer startTarget(Registry reg, int port) throws Exception {
    return MetricsServer.builder().registry(reg).port(port).bindAddress(InetAddress.getLoopbackAddress()).start();
  }

  private static JsonObject next(LinkedBlockingQueue<JsonObject> q, int seconds) throws InterruptedException {
    JsonObject o = q.poll(seconds, TimeUnit.SECONDS);
    if (o == null) {
      throw new AssertionError("no webhook notification within " + seconds + "s");
    }
    return o;
  }
}
