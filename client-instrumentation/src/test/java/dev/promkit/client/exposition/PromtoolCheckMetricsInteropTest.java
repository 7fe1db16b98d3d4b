package dev.promkit.client.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.client.defaults.DefaultMetrics;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.UnknownSnapshot;
import dev.promkit.client.snapshot.UnknownSnapshot.UnknownDataPoint;
import dev.promkit.testing.peers.Peers;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("interop")
class PromtoolCheckMetricsInteropTest {

  @Test
  void promtoolAcceptsOurTextOutputOfEveryTypeAndTheDefaultMetrics() throws Exception {
    Registry registry = new Registry();
    // promtool lints a family without HELP (exit 3): the fixture's untyped family gets one here.
    registry.register(() -> Fixtures.allTypes().filter(n -> !n.equals("legacy_thing")));
    registry.register(() -> MetricSnapshots.of(new UnknownSnapshot(MetricMetadata.of("legacy_thing", "Untyped."),
        List.of(new UnknownDataPoint(Labels.of("a", "b"), 1.5)))));
    DefaultMetrics.register(registry);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormat.PROMETHEUS_TEXT.writer().write(out, registry.scrape());

    Peers.Result r = Peers.run(Peers.PROMTOOL, out.toByteArray(), 60, "check", "metrics");

    assertEquals(0, r.exitCode(), "promtool check metrics said:\n" + r.output() + "\non:\n" + out);
  }
}
