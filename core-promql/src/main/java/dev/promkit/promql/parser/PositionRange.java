package dev.promkit.promql.parser;

/**
 * A half-open range {@code [start, end)} of character offsets into the query text.
 *
 * <p>Offsets count Java chars (Prometheus counts bytes); {@link #lineColumn(String)} converts to
 * Prometheus' byte-based column, so printed positions agree.
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
   * annotations. Like Prometheus, the column counts UTF-8 bytes, so the text matches for
   * non-ASCII queries too.
   */
  public String lineColumn(String query) {
    int line = 1;
    int byteCol = 0; // bytes since the last line break
    int pos = Math.min(Math.max(start, 0), query.length());
    for (int i = 0; i < pos; i++) {
      char c = query.charAt(i);
      if (c == '\n') {
        line++;
        byteCol = 0;
      } else if (c < 0x80) {
        byteCol += 1;
      } else if (c < 0x800) {
        byteCol += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < pos
          && Character.isLowSurrogate(query.charAt(i + 1))) {
        byteCol += 4; // one supplementary code point
        i++;
      } else {
        byteCol += 3;
      }
    }
    return line + ":" + (byteCol + 1);
  }
}
