package dev.promkit.promql.parser;

/**
 * A PromQL syntax or type error. {@link #getMessage()} reads as Prometheus' {@code
 * ParseErr.Error()}: {@code 1:5: parse error: unexpected end of input}.
 */
public final class ParseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient PositionRange positionRange;
  private final String query;
  private final String reason;

  /**
   * @param positionRange where the problem is
   * @param query the whole query text
   * @param reason the message without position ({@code unexpected end of input})
   */
  public ParseException(PositionRange positionRange, String query, String reason) {
    super(format(positionRange, query, reason));
    this.positionRange = positionRange;
    this.query = query;
    this.reason = reason;
  }

  private static String format(PositionRange pos, String query, String reason) {
    String where;
    if (pos.start() < 0 || pos.start() > query.length()) {
      where = "invalid position:";
    } else {
      where = pos.lineColumn(query) + ":";
    }
    return where + " parse error: " + reason;
  }

  /** Where the problem is. */
  public PositionRange positionRange() {
    return positionRange;
  }

  /** The query that failed. */
  public String query() {
    return query;
  }

  /** The message without the position prefix. */
  public String reason() {
    return reason;
  }
}
