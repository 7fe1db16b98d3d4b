package dev.promkit.exporter.node;

import static dev.promkit.exporter.node.Fixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextfileCollectorTest {
  private static final Path DIR = Fixture.root().resolveSibling("textfile");

  @Test
  void readsPromFilesSkipsBrokenAndStampedOnesAndFlagsTheError() throws Exception {
    Families out = new Families();
    new TextfileCollector(DIR.toString()).update(out);
    MetricSnapshots snaps = MetricSnapshots.of(out.toSnapshots());
    HistogramSnapshot h = null;
    for (MetricSnapshot s : snaps) {
      if (s instanceof HistogramSnapshot) {
        h = (HistogramSnapshot) s;
      }
    }
    assertEquals("job_duration_seconds", h.metadata().name());
    assertEquals(3, h.dataPoints().get(0).count());
    snaps = snaps.filter(n -> !n.equals("job_duration_seconds"));
    Map<String, TextFamilies.Family> f = TextFamilies.of(snaps);
    assertEquals(1, value(f, "node_textfile_scrape_error"));
    assertEquals(1.7e9, value(f, "backup_last_success_seconds", "db", "main"));
    assertEquals(1.6e9, value(f, "backup_last_success_seconds", "db", "aux"), "same family across files merges");
    assertEquals("counter", f.get("backup_runs_total").type);
    assertEquals(12, value(f, "backup_runs_total"));
    Set<String> files = new TreeSet<>();
    f.get("node_textfile_mtime_seconds").samples.forEach(s -> files.add(Path.of(s.labels().get("file")).getFileName()
        .toString()));
    assertEquals(Set.of("backup.prom", "histogram.prom"), files,
        "broken, stamped, conflicting (backup_runs as gauge after a counter) and non-.prom files are not read");
    assertEquals(1, f.get("backup_runs_total").samples.size());
    assertFalse(f.containsKey("stamped_metric"));
    assertFalse(f.containsKey("not_read"));
    double mtime = value(f, "node_textfile_mtime_seconds", "file", DIR.resolve("backup.prom").toString());
    assertEquals(Files.getLastModifiedTime(DIR.resolve("backup.prom")).toMillis() / 1000, mtime);
  }

  @Test
  void noDirectoryMeansNoErrorAndNoMetrics() throws Exception {
    Map<String, TextFamilies.Family> f = Fixture.run(new TextfileCollector(""));
    assertEquals(Set.of("node_textfile_scrape_error"), f.keySet());
    assertEquals(0, value(f, "node_textfile_scrape_error"));
    Map<String, TextFamilies.Family> missing = Fixture.run(new TextfileCollector("/nonexistent-promkit-dir"));
    assertEquals(1, value(missing, "node_textfile_scrape_error"));
  }

  @Test
  void familyClashingWithAnotherCollectorIsDroppedAndReportedNotFatal(@TempDir Path dir) throws Exception {
    Files.copy(Fixture.root().resolveSibling("clash.prom.txt"), dir.resolve("clash.prom"));
    Map<String, TextFamilies.Family> f = TextFamilies.of(Fixture.builder().disableDefaults().enable("loadavg")
        .enable("textfile").option("textfile.directory", dir.toString()).build().collect());
    assertEquals("gauge", f.get("node_load1").type);
    assertEquals(0.03, value(f, "node_load1"));
    assertEquals(0, f.get("node_scrape_collector_success").byLabels().get(Labels.of("collector", "textfile")));
    assertEquals(1, f.get("node_scrape_collector_success").byLabels().get(Labels.of("collector", "loadavg")));
    assertTrue(f.containsKey("node_textfile_mtime_seconds"));
  }
}
