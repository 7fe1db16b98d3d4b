package dev.promkit.promql.parser;

import java.util.List;

/**
 * A function call.
 *
 * @param function the function, from the table
 * @param args the arguments, in source order
 * @param positionRange where it is in the query
 */
public record Call(Function function, List<Expr> args, PositionRange positionRange)
    implements Expr {

  /** Copies the argument list. */
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return function.returnType();
  }

  @Override
  public List<Expr> children() {
    return args;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
