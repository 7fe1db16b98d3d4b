package dev.promkit.promql.parser;

import java.util.List;
import java.util.function.Consumer;

/**
 * A node of the PromQL syntax tree. Records compare by value, including their {@link
 * #positionRange()}; {@link #toString()} prints the node as Prometheus does ({@link Printer}).
 *
 * <p>Java 17 has no pattern {@code switch}: dispatch with an {@code instanceof} chain that ends in
 * a {@code throw}.
 */
public sealed interface Expr
    permits NumberLiteral,
        StringLiteral,
        VectorSelector,
        MatrixSelector,
        SubqueryExpr,
        ParenExpr,
        UnaryExpr,
        BinaryExpr,
        AggregateExpr,
        Call {

  /** Where this node is in the query text. */
  PositionRange positionRange();

  /** The type of value the node evaluates to. */
  ValueType type();

  /** The direct sub-expressions, in source order (an aggregation's parameter comes first). */
  List<Expr> children();

  /** Calls {@code visitor} on this node, then on every descendant, depth first, in source order. */
  default void walk(Consumer<Expr> visitor) {
    visitor.accept(this);
    for (Expr child : children()) {
      child.walk(visitor);
    }
  }
}
