package dev.promkit.promql.parser;

import java.util.List;

/**
 * A string literal, unquoted.
 *
 * <p>Bytes that are not valid UTF-8 (written with escapes such as {@code "\xc5"}) cannot live
 * in a Java string; each such byte {@code b} is kept as the lone surrogate {@code U+DC00 + b},
 * the "surrogate escape" convention. {@link GoStrings#isValidUtf8(String)} detects them and
 * {@link GoStrings#quote(String)} prints them back as {@code \xNN}, as Go does.
 *
 * @param value the unquoted value
 * @param positionRange where it is in the query
 */
public record StringLiteral(String value, PositionRange positionRange) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }

  @Override
  public List<Expr> children() {
    return List.of();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
