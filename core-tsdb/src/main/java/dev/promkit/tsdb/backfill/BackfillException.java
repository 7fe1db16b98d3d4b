package dev.promkit.tsdb.backfill;

/**
 * A backfill that cannot go on: malformed input (the message names the line), a sample out of order
 * or a duplicate timestamp within a series, or a failure writing a block. The message follows
 * promtool's wording with the position added.
 */
public final class BackfillException extends Exception {
  private final long line;

  /** An error at a 1-based line of the input, or 0 when it concerns no line. */
  public BackfillException(String message, long line, Throwable cause) {
    super(message, cause);
    this.line = line;
  }

  /** The 1-based line of the input the error is about, or 0. */
  public long line() {
    return line;
  }
}
