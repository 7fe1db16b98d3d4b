package dev.promkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * short-job against the real Pushgateway 1.5 (memory only, free port of 127.0.0.1): what it pushes
 * lands in group {job="batch"} of {@code /api/v1/metrics}, and a failed run updates the duration
 * but neither sets nor clears the last success.
 */
@Tag("interop")
class ShortJobInteropTest {
  private static final String DURATION = "my_batch_job_duration_seconds";
  private static final String LAST_SUCCESS = "my_batch_job_last_success_seconds";

  @Test
  void gatewayKeepsBothGaugesUnderJobBatchAndAFailureLeavesLastSuccessAlone() throws Exception {
    Peers.require(Peers.PUSHGATEWAY);
    try (Peer gateway = Peer.pushgateway()) {
      String address = "127.0.0.1:" + gateway.port();

      assertEquals(1, run(address, "--fail"), "a failing first run");
      JsonObject g = batchGroup(gateway);
      assertNotNull(g, "no group {job=batch} in " + api(gateway));
      assertTrue(value(g, DURATION) >= 0.1, g.toString());
      assertFalse(g.has(LAST_SUCCESS), "a failed job must not set last success: " + g);

      double before = System.currentTimeMillis() / 1000.0;
      assertEquals(0, run(address));
      g = batchGroup(gateway);
      double lastSuccess = value(g, LAST_SUCCESS);
      assertTrue(lastSuccess >= before - 0.001 && lastSuccess <= System.currentTimeMillis() / 1000.0 + 0.001,
          "last success " + lastSuccess + " in " + g);
      double successDuration = value(g, DURATION);
      assertEquals("GAUGE", g.getAsJsonObject(DURATION).get("type").getAsString());
      assertEquals("GAUGE", g.getAsJsonObject(LAST_SUCCESS).get("type").getAsString());
      assertEquals("batch", g.getAsJsonObject(DURATION).getAsJsonArray("metrics").get(0).getAsJsonObject()
          .getAsJsonObject("labels").get("job").getAsString());

      assertEquals(1, run(address, "--fail"), "a failing later run");
      g = batchGroup(gateway);
      assertEquals(lastSuccess, value(g, LAST_SUCCESS), "pushAdd of a failed run keeps the last success: " + g);
      assertNotEquals(successDuration, value(g, DURATION), "the failed run's duration replaced the old one: " + g);
      assertTrue(g.getAsJsonPrimitive("last_push_successful").getAsBoolean(), g.toString());
    }
  }

  private static int run(String address, String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "--pushgateway";
    args[1] = address;
    System.arraycopy(extra, 0, args, 2, extra.length);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
    int code = ShortJob.main(args, out, out);
    System.out.print(sink.toString(StandardCharsets.UTF_8));
    return code;
  }

  private static String api(Peer gateway) throws Exception {
    return gateway.get("/api/v1/metrics").body();
  }

  /** The group whose labels are exactly {job="batch"}, or null. */
  private static JsonObject batchGroup(Peer gateway) throws Exception {
    JsonArray data = JsonParser.parseString(api(gateway)).getAsJsonObject().getAsJsonArray("data");
    for (JsonElement e : data) {
      JsonObject g = e.getAsJsonObject();
      JsonObject labels = g.getAsJsonObject("labels");
      if (labels.entrySet().size() == 1 && labels.has("job") && labels.get("job").getAsString().equals("batch")) {
        return g;
      }
    }
    return null;
  }

  private static double value(JsonObject group, String metric) {
    assertTrue(group.has(metric), "no " + metric + " in " + group);
    return Double.parseDouble(group.getAsJsonObject(metric).getAsJsonArray("metrics").get(0).getAsJsonObject()
        .get("value").getAsString());
  }
}
