package dev.promkit.promql.parser;

import java.util.List;

/**
 * A unary {@code -} or {@code +} applied to anything but a number literal (those are folded).
 *
 * @param op {@link TokenType#SUB} or {@link TokenType#ADD}
 * @param expr the operand
 * @param positionRange where it is in the query
 */
public record UnaryExpr(TokenType op, Expr expr, PositionRange positionRange) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public List<Expr> children() {
    return List.of(expr);
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
