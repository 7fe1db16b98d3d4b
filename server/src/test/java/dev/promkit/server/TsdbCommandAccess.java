package dev.promkit.server;

import java.io.PrintStream;
import java.nio.file.Path;

/** Test access to the package-private backfill command: runs it quietly. */
public final class TsdbCommandAccess {
  private TsdbCommandAccess() {}

  /** {@code tsdb create-blocks-from openmetrics --quiet IN DIR}; the exit code. */
  public static int run(Path in, Path dir) {
    PrintStream none = new PrintStream(java.io.OutputStream.nullOutputStream());
    return TsdbCommand.run(new String[] {"create-blocks-from", "openmetrics", "--quiet", in.toString(), dir.toString()},
        none, System.err, null);
  }
}
