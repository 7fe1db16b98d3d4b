package dev.promkit.promql.engine;

/**
 * A warning or info note attached to a query result, as Prometheus' annotations.
 *
 * @param severity warning or info
 * @param message the text without the "PromQL warning: " prefix and without position
 * @param start offset in the query text of the expression it is about, or -1 when unknown
 * @param end end offset (exclusive) of that expression, or -1
 */
public record Annotation(Severity severity, String message, int start, int end) {
  /** Annotation kinds. */
  public enum Severity {
    /** Rendered as "PromQL warning: ...". */
    WARNING("PromQL warning: "),
    /** Rendered as "PromQL info: ...". */
    INFO("PromQL info: ");

    private final String prefix;

    Severity(String prefix) {
      this.prefix = prefix;
    }

    /** The text Prometheus puts before the message. */
    public String prefix() {
      return prefix;
    }
  }

  /**
   * Prometheus' rendering: {@code PromQL warning: <message> (<line>:<col>)}, line and column 1-based,
   * counted in the query text; without position when it is unknown.
   */
  public String render(String query) {
    String s = severity.prefix + message;
    if (start < 0 || query == null) {
      return s;
    }
    int line = 1;
    int col = 1;
    for (int i = 0; i < start && i < query.length(); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return s + " (" + line + ":" + col + ")";
  }
}
