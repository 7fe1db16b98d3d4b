package dev.promkit.promql.parser;

import java.util.List;

/**
 * A parenthesised expression.
 *
 * @param expr the inner expression
 * @param positionRange where it is in the query, parentheses included
 */
public record ParenExpr(Expr expr, PositionRange positionRange) implements Expr {
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
