package dev.promkit.tsdb.backfill;

import dev.promkit.client.exposition.ExpositionFormat;
import dev.promkit.client.exposition.ExpositionParseException;
import dev.promkit.client.exposition.ExpositionParser;
import dev.promkit.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses chunks of whole OpenMetrics lines into {@link ParsedChunk}s; one per worker thread (its
 * parser and line-key table are its own; the series they lead to are shared).
 */
final class LineParser {
  /** Go's {@code math.NaN()}, which its ParseFloat returns for "NaN" and promtool therefore stores. */
  static final double GO_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

  private final ExpositionParser parser = ExpositionParser.create(ExpositionFormat.OPENMETRICS, new byte[0], 0, 0);
  private final SeriesTable table;

  LineParser(ConcurrentHashMap<Labels, SeriesEntry> series) {
    this.table = new SeriesTable(series);
  }

  /** Parses b[0, len), which ends at a line end (or the end of the file). Stops at the first error. */
  ParsedChunk parse(byte[] b, int len) {
    ParsedChunk out = new ParsedChunk(Math.max(16, len / 48));
    int start = 0;
    int lineNo = 0;
    while (start < len) {
      int nl = indexOf(b, start, len);
      int end = nl < 0 ? len : nl + 1;
      lineNo++;
      if (out.eofLine != 0) {
        out.errorLine = lineNo;
        out.errorMessage = "getting min and max timestamp: next: line %LINE%: unexpected data after # EOF";
        break;
      }
      if (!line(out, b, start, end, lineNo)) {
        break;
      }
      start = end;
    }
    out.lines = lineNo;
    return out;
  }

  private static int indexOf(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** One line [start, end) including its newline; false after recording an error. */
  private boolean line(ParsedChunk out, byte[] buf, int start, int end, int lineNo) {
    parser.reset(buf, start, end - start);
    ExpositionParser.Entry e;
    try {
      e = parser.next();
    } catch (ExpositionParseException ex) {
      String m = ex.getMessage();
      String detail = m.startsWith("line 1, ") ? m.substring("line 1, ".length()) : m;
      return error(out, lineNo, "getting min and max timestamp: next: line %LINE%, " + detail);
    }
    if (e == ExpositionParser.Entry.END) {
      out.eofLine = lineNo;
      return true;
    }
    if (e != ExpositionParser.Entry.SAMPLE) {
      return true;
    }
    if (!parser.hasTimestamp()) {
      return error(out, lineNo, "getting min and max timestamp: expected timestamp for series got none (line %LINE%: "
          + new String(buf, start, end - start - (buf[end - 1] == '\n' ? 1 : 0), StandardCharsets.UTF_8) + ")");
    }
    SeriesEntry s;
    try {
      s = table.lookup(parser);
    } catch (IllegalArgumentException ex) {
      return error(out, lineNo, "getting min and max timestamp: line %LINE%: " + ex.getMessage());
    }
    int i = out.samples;
    if (i == out.t.length) {
      int n = i * 2;
      out.series = Arrays.copyOf(out.series, n);
      out.t = Arrays.copyOf(out.t, n);
      out.v = Arrays.copyOf(out.v, n);
      out.line = Arrays.copyOf(out.line, n);
    }
    double v = parser.value();
    out.series[i] = s;
    out.t[i] = timestamp(buf, start, end);
    out.v[i] = v != v ? GO_NAN : v;
    out.line[i] = lineNo;
    out.samples = i + 1;
    return true;
  }

  private static boolean error(ParsedChunk out, int lineNo, String message) {
    out.errorLine = lineNo;
    out.errorMessage = message;
    return false;
  }

  /**
   * promtool's {@code int64(seconds*1000)} (truncation). The parser rounds, which differs only for a
   * timestamp with a fraction, so such a token is converted again from its text.
   */
  private long timestamp(byte[] b, int start, int end) {
    long rounded = parser.timestampMillis();
    int e = end;
    if (b[e - 1] == '\n') {
      e--;
    }
    if (parser.hasExemplar()) {
      e = lastIndexOf(b, start, e, " # ");
    }
    int s = e;
    boolean plain = true;
    while (s > start && b[s - 1] != ' ') {
      byte c = b[--s];
      if ((c < '0' || c > '9') && c != '-' && c != '+') {
        plain = false;
      }
    }
    if (plain) {
      return rounded; // an integer number of seconds: exact either way
    }
    try {
      return (long) (Double.parseDouble(new String(b, s, e - s, StandardCharsets.US_ASCII)) * 1000);
    } catch (NumberFormatException ex) {
      return rounded; // syntax only Go accepts; the parser's value is as good
    }
  }

  private static int lastIndexOf(byte[] b, int from, int to, String s) {
    outer:
    for (int i = to - s.length(); i >= from; i--) {
      for (int j = 0; j < s.length(); j++) {
        if (b[i + j] != s.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return to;
  }
}
