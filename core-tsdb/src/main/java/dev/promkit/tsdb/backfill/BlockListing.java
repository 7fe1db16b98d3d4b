package dev.promkit.tsdb.backfill;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * promtool's block table ({@code printBlocks}): a Go tabwriter (minimum cell width 13, padding 2)
 * per call, so each block's line is aligned on its own (with the header for the first block).
 */
public final class BlockListing {
  private static final String[] HEADER = {"BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES",
      "NUM CHUNKS", "NUM SERIES", "SIZE"};
  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private BlockListing() {}

  /**
   * The lines promtool prints for one block (each ending in a newline).
   *
   * @param withHeader true for the first block of a run
   * @param humanReadable promtool's {@code --human-readable}: UTC dates and Base2 sizes
   */
  public static String format(CreatedBlock b, boolean withHeader, boolean humanReadable) {
    String[] row = {b.ulid(), time(b.minTime(), humanReadable), time(b.maxTime(), humanReadable),
        goDuration(b.maxTime() - b.minTime()), Long.toString(b.numSamples()), Long.toString(b.numChunks()),
        Long.toString(b.numSeries()), humanReadable ? base2Bytes(b.sizeBytes()) : Long.toString(b.sizeBytes())};
    int[] width = new int[row.length - 1]; // the last cell ends no column: it is not padded
    for (int i = 0; i < width.length; i++) {
      int w = row[i].length();
      if (withHeader) {
        w = Math.max(w, HEADER[i].length());
      }
      width[i] = Math.max(13, w + 2);
    }
    StringBuilder sb = new StringBuilder();
    if (withHeader) {
      appendRow(sb, HEADER, width);
    }
    appendRow(sb, row, width);
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
    for (int i = 0; i < cells.length; i++) {
      sb.append(cells[i]);
      if (i < width.length) {
        for (int j = cells[i].length(); j < width[i]; j++) {
          sb.append(' ');
        }
      }
    }
    sb.append('\n');
  }

  private static String time(long ms, boolean humanReadable) {
    if (!humanReadable) {
      return Long.toString(ms);
    }
    // Go: time.Unix(ms/1000, 0).UTC().String()
    return GO_TIME.format(Instant.ofEpochSecond(ms / 1000)) + " +0000 UTC";
  }

  /** Go's {@code time.Duration.String()} for a whole number of milliseconds. */
  static String goDuration(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    if (ms < 1000) {
      return sb.append(ms).append("ms").toString();
    }
    long s = ms / 1000;
    long frac = ms % 1000;
    long h = s / 3600;
    long m = (s / 60) % 60;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (s >= 60) {
      sb.append(m).append('m');
    }
    sb.append(s % 60);
    if (frac != 0) {
      String f = String.format("%03d", frac);
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
    return sb.append('s').toString();
  }

  /** alecthomas/units' {@code Base2Bytes.String()}: {@code 659B}, {@code 19MiB1010KiB935B}. */
  static String base2Bytes(long n) {
    String[] units = {"", "K", "M", "G", "T", "P", "E"};
    String[] out = new String[units.length];
    for (int i = 0; i < units.length; i++) {
      if (n % 1024 != 0 || (i == 0 && n == 0)) {
        out[units.length - 1 - i] = (n % 1024) + units[i] + (i == 0 ? "B" : "iB");
      }
      n /= 1024;
      if (n == 0) {
        break;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String s : out) {
      if (s != null) {
        sb.append(s);
      }
    }
    return sb.toString();
  }
}
