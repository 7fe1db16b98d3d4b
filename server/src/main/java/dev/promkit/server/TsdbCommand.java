package dev.promkit.server;

import dev.promkit.tsdb.backfill.Backfill;
import dev.promkit.tsdb.backfill.BackfillException;
import dev.promkit.tsdb.backfill.BlockListing;
import dev.promkit.tsdb.backfill.CreatedBlock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tsdb create-blocks-from openmetrics [--max-block-duration=2h] [-r|--human-readable] [-q|--quiet]
 * FILE [DIR]}: promtool's backfill command (2.42), its flags, output and exit codes.
 */
final class TsdbCommand {
  static final String USAGE = "usage: tsdb create-blocks-from openmetrics [--max-block-duration=2h]"
      + " [--human-readable] [--quiet] <input file> [<output directory>]";
  private static final Pattern GO_DURATION = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");

  private TsdbCommand() {}

  /**
   * Runs the subcommand (arguments after {@code tsdb}); 0 on success, 1 on a failed backfill, 2 on a
   * usage error.
   *
   * @param progress where a progress bar goes (stderr on a terminal), or null for none
   */
  static int run(String[] args, PrintStream out, PrintStream err, PrintStream progress) {
    if (args.length < 2 || !args[0].equals("create-blocks-from") || !args[1].equals("openmetrics")) {
      err.println(USAGE);
      return 2;
    }
    long maxBlock = Backfill.DEFAULT_MAX_BLOCK_DURATION_MS;
    boolean human = false;
    boolean quiet = false;
    List<String> pos = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-r") || a.equals("--human-readable")) {
        human = true;
      } else if (a.equals("-q") || a.equals("--quiet")) {
        quiet = true;
      } else if (a.equals("-h") || a.equals("--help")) {
        out.println(USAGE);
        return 0;
      } else if (a.startsWith("--max-block-duration")) {
        String v;
        if (a.startsWith("--max-block-duration=")) {
          v = a.substring("--max-block-duration=".length());
        } else if (a.equals("--max-block-duration") && i + 1 < args.length) {
          v = args[++i];
        } else {
          err.println("promkit: error: expected argument for flag '--max-block-duration', try --help");
          return 2;
        }
        try {
          maxBlock = parseGoDuration(v);
        } catch (IllegalArgumentException e) {
          err.println("promkit: error: " + e.getMessage() + ", try --help");
          return 2;
        }
      } else if (a.startsWith("-") && a.length() > 1) {
        err.println("promkit: error: unknown flag '" + a + "', try --help");
        return 2;
      } else {
        pos.add(a);
      }
    }
    if (pos.isEmpty() || pos.size() > 2) {
      err.println(pos.isEmpty() ? "promkit: error: required argument 'input file' not provided, try --help"
          : "promkit: error: unexpected " + pos.get(2) + ", try --help");
      return 2;
    }
    Path input = Path.of(pos.get(0));
    Path dir = Path.of(pos.size() > 1 ? pos.get(1) : "data/");
    if (!Files.isReadable(input)) {
      err.println("open " + input + ": no such file or directory");
      return 1;
    }
    boolean finalQuiet = quiet;
    boolean finalHuman = human;
    ProgressBar bar = progress == null ? null : new ProgressBar(progress);
    boolean[] first = {true};
    Backfill.Listener l = new Backfill.Listener() {
      @Override
      public void progress(long bytesRead, long totalBytes) {
        if (bar != null) {
          bar.update(bytesRead, totalBytes);
        }
      }

      @Override
      public void blockWritten(CreatedBlock b) {
        if (bar != null) {
          bar.clear();
        }
        if (!finalQuiet) {
          out.print(BlockListing.format(b, first[0], finalHuman));
          out.flush();
          first[0] = false;
        }
      }
    };
    try {
      Backfill.run(input, dir, maxBlock, l);
      return 0;
    } catch (BackfillException e) {
      if (bar != null) {
        bar.clear();
      }
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      if (bar != null) {
        bar.clear();
      }
      err.println("block creation: " + e.getMessage());
      return 1;
    }
  }

  /** Go's {@code time.ParseDuration} (as kingpin reads the flag), to whole milliseconds. */
  static long parseGoDuration(String s) {
    String t = s.startsWith("+") ? s.substring(1) : s;
    if (t.equals("0")) {
      return 0;
    }
    Matcher m = GO_DURATION.matcher(t);
    double ms = 0;
    int at = 0;
    while (at < t.length() && m.find(at) && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      switch (m.group(2)) {
        case "ns": ms += n / 1e6; break;
        case "us": case "µs": ms += n / 1e3; break;
        case "ms": ms += n; break;
        case "s": ms += n * 1e3; break;
        case "m": ms += n * 60e3; break;
        default: ms += n * 3600e3; break;
      }
      at = m.end();
    }
    if (t.isEmpty() || at != t.length()) {
      throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
    }
    return (long) ms;
  }

  /** A one-line bar on a terminal: {@code [=====>    ]  45%  300/658 MiB}, redrawn in place. */
  static final class ProgressBar {
    private final PrintStream err;
    private int lastPermille = -1;
    private boolean shown;

    ProgressBar(PrintStream err) {
      this.err = err;
    }

    void update(long done, long total) {
      if (total < (16 << 20)) {
        return; // small files finish before a bar would help
      }
      int permille = (int) (done * 1000 / total);
      if (permille == lastPermille) {
        return;
      }
      lastPermille = permille;
      int width = 40;
      int filled = permille * width / 1000;
      StringBuilder sb = new StringBuilder("\rreading [");
      for (int i = 0; i < width; i++) {
        sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
      }
      sb.append("] ").append(String.format("%5.1f%%  %d/%d MiB", permille / 10.0, done >> 20, total >> 20));
      err.print(sb);
      err.flush();
      shown = true;
    }

    void clear() {
      if (shown) {
        err.print("\r" + " ".repeat(80) + "\r");
        err.flush();
        shown = false;
      }
    }
  }
}
