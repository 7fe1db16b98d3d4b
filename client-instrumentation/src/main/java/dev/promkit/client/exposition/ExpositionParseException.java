package dev.promkit.client.exposition;

/** Malformed exposition text; the message names the line and column (1-based, in bytes). */
public final class ExpositionParseException extends Exception {
  private final int line;
  private final int column;

  /** An error at a position. */
  public ExpositionParseException(int line, int column, String message) {
    super("line " + line + ", column " + column + ": " + message);
    this.line = line;
    this.column = column;
  }

  /** 1-based line number. */
  public int line() {
    return line;
  }

  /** 1-based byte column within the line. */
  public int column() {
    return column;
  }
}
