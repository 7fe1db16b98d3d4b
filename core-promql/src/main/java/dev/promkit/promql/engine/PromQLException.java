package dev.promkit.promql.engine;

/** A query failed while being planned or evaluated; the message uses Prometheus' wording. */
public class PromQLException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with Prometheus' message. */
  public PromQLException(String message) {
    super(message);
  }

  /** An error with a cause. */
  public PromQLException(String message, Throwable cause) {
    super(message, cause);
  }
}
