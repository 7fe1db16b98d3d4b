package dev.promkit.promql.parser;

/**
 * A half-open range {@code [start, end)} of character offsets into the query text.
 *
 * <p>Prometheus counts bytes; promkit counts Java chars. The two agree for ASCII queries.
 */
public record PositionRange(int start, int end) {
  /** The range used for synthesised nodes that have no place in any query text. */
  public static final PositionRange NONE = new PositionRange(0, 0);

  /** The smallest range covering both. */
  public PositionRange merge(PositionRange other) {
    return new PositionRange(Math.min(start, other.start), Math.max(end, other.end));
  }

  /**
   * {@code line:column} of the start (both 1-based), as Prometheus prints it in errors and
   * annotations.
   */
  public String lineColumn(String query) {
    int line = 1;
    int lastBreak = -1;
    int pos = Math.min(Math.max(start, 0), query.length());
    for (int i = 0; i < pos; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lastBreak = i;
      }
    }
    return line + ":" + (pos - lastBreak);
  }
}
