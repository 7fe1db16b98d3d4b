package dev.promkit.tsdb;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.wal.WalOptions;
import java.nio.file.Path;

/**
 * Child process of {@link TsdbCrashTest}: opens the database, continues the series after the newest
 * stored timestamp, and prints {@code ACK <t>} after each commit returns, until killed. Every 10th
 * batch it truncates at t=1 (dropping nothing), so kills also land in checkpoints and segment deletion.
 */
public final class CrashChild {
  static final int SERIES = 40;
  static final int STEPS_PER_BATCH = 5;

  private CrashChild() {}

  static Labels labels(int s) {
    return Labels.of("__name__", "crash_test", "s", Integer.toString(s));
  }

  static double value(int s, long t) {
    return t * 10.0 + s;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (Tsdb db = Tsdb.open(TsdbCrashTest.options(dir), TsdbCrashTest.walOptions())) {
      long t = TsdbCrashTest.maxTime(db) + 1;
      System.out.println("START " + t);
      System.out.flush();
      long[] refs = new long[SERIES];
      Appender app = db.appender();
      for (int batch = 0; ; batch++) {
        for (long k = 0; k < STEPS_PER_BATCH; k++, t++) {
          for (int s = 0; s < SERIES; s++) {
            refs[s] = app.append(refs[s], labels(s), t, value(s, t));
          }
        }
        app.commit();
        System.out.println("ACK " + (t - 1));
        System.out.flush();
        if (batch % 10 == 9) {
          db.truncate(1);
        }
      }
    }
  }
}
