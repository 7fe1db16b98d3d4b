package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.engine.Engine;
import dev.promkit.testing.peers.Peer;
import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.storage.MemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group evaluates at the same phase within its interval under promkit and under real Prometheus. */
@Tag("interop")
class RuleGroupAlignmentInteropTest {
  @Test
  void evaluationPhaseMatchesPrometheus(@TempDir Path dir) throws Exception {
    Peers.require(Peers.PROMETHEUS);
    Path rules = dir.resolve("align_rules.yml");
    Files.writeString(rules, "groups:\n- name: align\n  interval: 5s\n  rules:\n  - record: one\n    expr: vector(1)\n");
    try (Peer prom = Peer.prometheus("global:\n  evaluation_interval: 5s\nrule_files:\n  - " + rules + "\n")) {
      Pattern last = Pattern.compile("\"lastEvaluation\":\"([^\"]+)\"");
      Instant evaluated = prom.await(Duration.ofSeconds(20), "first rule group evaluation", p -> {
        try {
          Matcher m = last.matcher(p.get("/api/v1/rules").body());
          if (m.find() && !m.group(1).startsWith("0001-")) {
            return Instant.parse(m.group(1));
          }
          return null;
        } catch (Exception e) {
          return null;
        }
      });
      MemoryStorage storage = new MemoryStorage();
      RuleGroup g = RuleGroup.builder(RuleFiles.load(rules).get(0)).engine(Engine.builder().build())
          .storage(storage, storage).build();
      long wall = evaluated.toEpochMilli();
      long aligned = g.evalTimestamp(wall);
      // Prometheus records the wall clock when its timer fired, a little after the aligned time.
      assertTrue(wall - aligned < 250, "Prometheus evaluated at " + evaluated + ", promkit's aligned time is "
          + Instant.ofEpochMilli(aligned) + " (phase " + Math.floorMod(aligned, 5000) + " ms)");
    }
  }
}
