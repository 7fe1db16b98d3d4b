package dev.promkit.server.config;

/** A configuration file that cannot be used; the message names the field and the line. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int line;

  /** An error at a line (0 when unknown). */
  public ConfigException(String message, int line) {
    super(message);
    this.line = line;
  }

  /** The 1-based line the error refers to, or 0. */
  public int line() {
    return line;
  }
}
