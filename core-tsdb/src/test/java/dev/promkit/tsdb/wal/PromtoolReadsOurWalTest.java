package dev.promkit.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.record.CheckpointFilter;
import dev.promkit.tsdb.record.RecordEncoder;
import dev.promkit.tsdb.record.RefSamples;
import dev.promkit.tsdb.record.RefSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format check that matters: Prometheus' own promtool replays a checkpoint and segments that we
 * wrote (records spanning pages and segments) and dumps exactly our samples.
 */
@Tag("interop")
class PromtoolReadsOurWalTest {
  @TempDir Path tmp;

  @Test
  void promtoolDumpsSamplesFromOurCheckpointAndSegments() throws Exception {
    String promtool = Peers.require(Peers.PROMTOOL).toString();
    Path wal = tmp.resolve("wal");
    Set<String> want = new TreeSet<>();
    long base = 1_700_000_000_000L;
    try (Wal w = Wal.open(wal, new WalOptions(4L * WalFormat.PAGE_SIZE, true), new WalMetrics())) {
      EncBuf b = new EncBuf();
      List<RefSeries> series = new ArrayList<>();
      for (int i = 1; i <= 300; i++) {
        // long label values make the series record span several pages
        series.add(new RefSeries(i, Labels.of("__name__", "wal_interop", "i", Integer.toString(i),
            "pad", "x".repeat(200))));
      }
      w.log(RecordEncoder.series(series, b));
      RefSamples s = new RefSamples();
      for (int step = 0; step < 40; step++) {
        s.clear();
        long t = base + step * 15_000L;
        for (int i = 1; i <= 300; i += 7) {
          s.add(i, t, step * 0.5 + i);
          if (step >= 10 && i % 2 == 1) { // the checkpoint below drops even series and steps < 10
            want.add(i + " " + t);
          }
        }
        w.log(RecordEncoder.samples(s, b));
        w.commit();
        if (step == 19) {
          int to = w.nextSegment() - 1;
          Checkpoint.create(w, 0, to, new CheckpointFilter(ref -> ref % 2 == 1, base + 10 * 15_000L)::filter);
        }
      }
    }
    Process p = new ProcessBuilder(promtool, "tsdb", "dump", tmp.toString())
        .redirectErrorStream(false).start();
    byte[] out;
    byte[] err;
    try {
      out = p.getInputStream().readAllBytes();
      err = p.getErrorStream().readAllBytes();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool timed out");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), new String(err, StandardCharsets.UTF_8));
    Set<String> got = new TreeSet<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      // {__name__="wal_interop", i="7", pad="xxx"} 12.5 1700000150000
      int close = line.lastIndexOf('}');
      String lbls = line.substring(0, close);
      String[] rest = line.substring(close + 2).split(" ");
      int at = lbls.indexOf("i=\"") + 3;
      String i = lbls.substring(at, lbls.indexOf('"', at));
      int step = (int) ((Long.parseLong(rest[1]) - base) / 15_000L);
      assertEquals(step * 0.5 + Integer.parseInt(i), Double.parseDouble(rest[0]), line);
      got.add(i + " " + rest[1]);
    }
    assertEquals(want, got);
  }
}
