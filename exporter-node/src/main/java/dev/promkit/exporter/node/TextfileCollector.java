package dev.promkit.exporter.node;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionParseException;
import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.UnknownSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code textfile}: the metrics of every {@code *.prom} file in a directory (text format 0.0.4),
 * written there by cron jobs and the like, plus their modification times. A file that does not parse,
 * or carries timestamps, is skipped and sets {@code node_textfile_scrape_error}.
 */
final class TextfileCollector implements NodeCollector {
  private static final System.Logger LOG = System.getLogger(TextfileCollector.class.getName());

  private final String directory;

  TextfileCollector(String directory) {
    this.directory = directory;
  }

  @Override
  public void update(Families out) throws Exception {
    boolean error = false;
    if (!directory.isEmpty()) {
      List<Path> files = new ArrayList<>();
      try (Stream<Path> s = Files.list(Path.of(directory))) {
        s.filter(p -> p.getFileName().toString().endsWith(".prom") && Files.isRegularFile(p)).forEach(files::add);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "textfile: cannot read directory " + directory, e);
        error = true;
      }
      files.sort(null);
      for (Path file : files) {
        if (!read(out, file)) {
          error = true;
        }
      }
    }
    out.gauge("node_textfile_scrape_error", "1 if there was an error opening or reading a file, 0 otherwise",
        error ? 1 : 0);
  }

  private static boolean read(Families out, Path file) {
    MetricSnapshots snapshots;
    long mtime;
    try {
      mtime = Files.getLastModifiedTime(file).toMillis() / 1000;
      snapshots = ExpositionParser.parseSnapshots(ExpositionFormat.PROMETHEUS_TEXT, Files.readAllBytes(file));
    } catch (IOException | ExpositionParseException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "textfile: failed to parse " + file + ": " + e.getMessage());
      return false;
    }
    for (MetricSnapshot s : snapshots) {
      for (MetricSnapshot.DataPoint p : s.dataPoints()) {
        if (p.scrapeTimestampMillis() != 0) {
          LOG.log(System.Logger.Level.ERROR, "textfile: " + file + ": metric " + s.metadata().name()
              + " has a timestamp, which the textfile collector does not allow");
          return false;
        }
      }
    }
    for (MetricSnapshot s : snapshots) {
      String exposed = s instanceof CounterSnapshot ? s.metadata().name() + "_total" : s.metadata().name();
      Families.Type want = s instanceof CounterSnapshot ? Families.Type.COUNTER
          : s instanceof GaugeSnapshot ? Families.Type.GAUGE : s instanceof UnknownSnapshot ? Families.Type.UNTYPED : null;
      if (!out.accepts(exposed, want)) {
        LOG.log(System.Logger.Level.ERROR, "textfile: " + file + ": metric " + exposed
            + " conflicts with the same name in another file");
        return false;
      }
    }
    for (MetricSnapshot s : snapshots) {
      String name = s.metadata().name();
      String help = s.metadata().help();
      if (s instanceof CounterSnapshot) {
        for (CounterSnapshot.CounterDataPoint p : ((CounterSnapshot) s).dataPoints()) {
          out.add(Families.Type.COUNTER, name + "_total", help, p.value(), p.labels());
        }
      } else if (s instanceof GaugeSnapshot) {
        for (GaugeSnapshot.GaugeDataPoint p : ((GaugeSnapshot) s).dataPoints()) {
          out.add(Families.Type.GAUGE, name, help, p.value(), p.labels());
        }
      } else if (s instanceof UnknownSnapshot) {
        for (UnknownSnapshot.UnknownDataPoint p : ((UnknownSnapshot) s).dataPoints()) {
          out.add(Families.Type.UNTYPED, name, help, p.value(), p.labels());
        }
      } else {
        out.raw(s);
      }
    }
    out.gauge("node_textfile_mtime_seconds", "Unixtime mtime of textfiles successfully read.", mtime,
        "file", file.toString());
    return true;
  }
}
