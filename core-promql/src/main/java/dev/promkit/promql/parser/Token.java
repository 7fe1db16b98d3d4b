package dev.promkit.promql.parser;

/**
 * One lexical token.
 *
 * @param type the kind
 * @param text the source text (for {@link TokenType#ERROR}, the error message)
 * @param pos the offset of the first character in the query
 * @param end the offset just past the last character
 */
record Token(TokenType type, String text, int pos, int end) {
  PositionRange range() {
    return new PositionRange(pos, end);
  }

  /** How Prometheus describes the token in "unexpected ..." messages. */
  String describe() {
    switch (type) {
      case EOF:
        return "end of input";
      case ERROR:
        return text;
      case IDENTIFIER:
        return "identifier " + GoStrings.quote(text);
      case METRIC_IDENTIFIER:
        return "metric identifier " + GoStrings.quote(text);
      case STRING:
        return "string " + shortQuote(text);
      case NUMBER:
        return "number " + shortQuote(text);
      case DURATION:
        return "duration " + shortQuote(text);
      default:
        break;
    }
    if (type.isKeyword()) {
      return "<" + text + ">";
    }
    if (type.isOperator()) {
      return "<op:" + text + ">";
    }
    if (type.isAggregator()) {
      return "<aggr:" + text + ">";
    }
    return GoStrings.quote(text);
  }

  private static String shortQuote(String s) {
    // Go's %.10q: quote at most the first ten characters, then "...".
    if (s.codePointCount(0, s.length()) > 10) {
      return GoStrings.quote(s.substring(0, s.offsetByCodePoints(0, 10))) + "...";
    }
    return GoStrings.quote(s);
  }
}
