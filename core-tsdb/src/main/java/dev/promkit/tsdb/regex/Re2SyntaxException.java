package dev.promkit.tsdb.regex;

import java.util.regex.PatternSyntaxException;

/**
 * A regex that RE2 (Go's {@code regexp}, which Prometheus uses) rejects. The message is Go's,
 * word for word: {@code error parsing regexp: <code>: `<offending part>`}.
 */
public final class Re2SyntaxException extends PatternSyntaxException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String expr;

  Re2SyntaxException(String code, String expr, String regex, int index) {
    super(code, regex, index);
    this.code = code;
    this.expr = expr;
  }

  /** Go's error code text, such as {@code missing closing )}. */
  @Override
  public String getDescription() {
    return code;
  }

  /** The part of the regex Go names as the culprit (sometimes the whole regex, or empty). */
  public String offendingPart() {
    return expr;
  }

  @Override
  public String getMessage() {
    return "error parsing regexp: " + code + ": `" + expr + "`";
  }
}
