package dev.promkit.promql.parser;

import java.util.List;

/**
 * A binary operation.
 *
 * @param op the operator ({@link TokenType#isBinaryOperator()})
 * @param lhs left operand
 * @param rhs right operand
 * @param matching vector matching; null unless both operands are instant vectors
 * @param returnBool the {@code bool} modifier of comparisons
 * @param positionRange where it is in the query
 */
public record BinaryExpr(
    TokenType op,
    Expr lhs,
    Expr rhs,
    VectorMatching matching,
    boolean returnBool,
    PositionRange positionRange)
    implements Expr {

  @Override
  public ValueType type() {
    if (lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR) {
      return ValueType.SCALAR;
    }
    return ValueType.VECTOR;
  }

  @Override
  public List<Expr> children() {
    return List.of(lhs, rhs);
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
