package dev.promkit.promql.parser;

/**
 * A 3.x duration expression, as written in a range, subquery step or offset: {@code 5m + 1m},
 * {@code step() * 2}, {@code min_of(range(), 1h)}. Values are in seconds (a unit-less number is
 * seconds). Nodes that hold one keep the constant value next to it as milliseconds, so only
 * expressions using {@code step()} or {@code range()} need evaluating per query.
 */
public sealed interface DurationExpr
    permits DurationExpr.Literal,
        DurationExpr.Unary,
        DurationExpr.Binary,
        DurationExpr.Paren,
        DurationExpr.Step,
        DurationExpr.Range,
        DurationExpr.MinMax {

  /** Where this node is in the query text. */
  PositionRange positionRange();

  /**
   * The value in seconds.
   *
   * @param queryStepMs the query's step (0 for instant queries)
   * @param queryRangeMs the query's end minus start (0 for instant queries)
   * @throws IllegalArgumentException on division or modulo by zero, with Prometheus' message
   */
  double seconds(long queryStepMs, long queryRangeMs);

  /** True when neither {@code step()} nor {@code range()} occurs. */
  boolean isConstant();

  /**
   * The value in milliseconds, as Prometheus converts it (seconds times 1000, truncated).
   *
   * @param allowNegative offsets may be negative or zero; ranges and steps may not
   * @throws IllegalArgumentException naming the problem if the value is not a valid duration
   */
  default long toMillis(long queryStepMs, long queryRangeMs, boolean allowNegative) {
    double s = seconds(queryStepMs, queryRangeMs);
    if (Double.isNaN(s) || Double.isInfinite(s)) {
      throw new IllegalArgumentException("duration is not a valid number: " + s);
    }
    if (s <= 0 && !allowNegative) {
      throw new IllegalArgumentException("duration must be greater than 0");
    }
    double ms = s * 1000;
    if (ms >= 0x1p63 || ms < -0x1p63) {
      throw new IllegalArgumentException("duration is out of range");
    }
    return (long) ms;
  }

  /**
   * A number or duration literal.
   *
   * @param seconds the value in seconds
   * @param unit true if written with a unit ({@code 5m}), false for a plain number
   * @param positionRange where it is
   */
  record Literal(double seconds, boolean unit, PositionRange positionRange)
      implements DurationExpr {
    @Override
    public double seconds(long queryStepMs, long queryRangeMs) {
      return seconds;
    }

    @Override
    public boolean isConstant() {
      return true;
    }

    @Override
    public String toString() {
      return Printer.print(this);
    }
  }

  /**
   * {@code -d} or {@code +d}.
   *
   * @param op {@link TokenType#SUB} or {@link TokenType#ADD}
   * @param expr the operand
   * @param positionRange where it is
   */
  record Unary(TokenType op, DurationExpr expr, PositionRange positionRange)
      implements DurationExpr {
    @Override
    public double seconds(long queryStepMs, long queryRangeMs) {
      double v = expr.seconds(queryStepMs, queryRangeMs);
      return op == TokenType.SUB ? -v : v;
    }

    @Override
    public boolean isConstant() {
      return expr.isConstant();
    }

    @Override
    public String toString() {
      return Printer.print(this);
    }
  }

  /**
   * {@code a op b} for {@code + - * / % ^}.
   *
   * @param op the operator
   * @param lhs left operand
   * @param rhs right operand
   * @param positionRange where it is
   */
  record Binary(TokenType op, DurationExpr lhs, DurationExpr rhs, PositionRange positionRange)
      implements DurationExpr {
    @Override
    public double seconds(long queryStepMs, long queryRangeMs) {
      double a = lhs.seconds(queryStepMs, queryRangeMs);
      double b = rhs.seconds(queryStepMs, queryRangeMs);
      switch (op) {
        case ADD:
          return a + b;
        case SUB:
          return a - b;
        case MUL:
          return a * b;
        case DIV:
          if (b == 0) {
            throw new IllegalArgumentException("division by zero");
          }
          return a / b;
        case MOD:
          if (b == 0) {
            throw new IllegalArgumentException("modulo by zero");
          }
          return a % b; // same as Go's math.Mod: the sign follows the dividend
        case POW:
          return Math.pow(a, b);
        default:
          throw new IllegalStateException("not a duration operator: " + op);
      }
    }

    @Override
    public boolean isConstant() {
      return lhs.isConstant() && rhs.isConstant();
    }

    @Override
    public String toString() {
      return Printer.print(this);
    }
  }

  /**
   * {@code (d)}.
   *
   * @param expr the inner expression
   * @param positionRange where it is, parentheses included
   */
  record Paren(DurationExpr expr, PositionRange positionRange) implements DurationExpr {
    @Override
    public double seconds(long queryStepMs, long queryRangeMs) {
      return expr.seconds(queryStepMs, queryRangeMs);
    }

    @Override
    public boolean isConstant() {
      return expr.isConstant();
    }

    @Override
    public String toString() {
      return Printer.print(this);
    }
  }

  /**
   * {@code step()}: the query's step (0 for instant queries).
   *
   * @param positionRange where it is
   */
  record Step(PositionRange positionRange) implements DurationExpr {
    @Override
    public double seconds(long queryStepMs, long queryRangeMs) {
      return queryStepMs / 1000.0;
    }

    @Override
    public boolean isConstant() {
      return false;
    }

    @Override
    public String toString() {
      return Printer.print(this);
    }
  }

  /**
   * {@code range()}: the query's end minus its start (0 for instant queries).
   *
   * @param positionRange where it is
   */
  record Range(PositionRange positionRange) implements DurationExpr {
    @Override
    public double seconds(long queryStepMs, long queryRangeMs) {
      return queryRangeMs / 1000.0;
    }

    @Override
    public boolean isConstant() {
      return false;
    }

    @Override
    public String toString() {
      return Printer.print(this);
    }
  }

  /**
   * {@code min_of(a, b)} or {@code max_of(a, b)}.
   *
   * @param op {@link TokenType#MIN_OF} or {@link TokenType#MAX_OF}
   * @param lhs first argument
   * @param rhs second argument
   * @param positionRange where it is
   */
  record MinMax(TokenType op, DurationExpr lhs, DurationExpr rhs, PositionRange positionRange)
      implements DurationExpr {
    @Override
    public double seconds(long queryStepMs, long queryRangeMs) {
      double a = lhs.seconds(queryStepMs, queryRangeMs);
      double b = rhs.seconds(queryStepMs, queryRangeMs);
      return op == TokenType.MIN_OF ? Math.min(a, b) : Math.max(a, b);
    }

    @Override
    public boolean isConstant() {
      return lhs.isConstant() && rhs.isConstant();
    }

    @Override
    public String toString() {
      return Printer.print(this);
    }
  }
}
