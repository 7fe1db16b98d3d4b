package dev.promkit.server.web;

/** An API error with Prometheus' errorType and HTTP status. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Prometheus' error types with their HTTP statuses. */
  enum Type {
    BAD_DATA("bad_data", 400),
    EXECUTION("execution", 422),
    TIMEOUT("timeout", 503),
    CANCELED("canceled", 503),
    INTERNAL("internal", 500),
    NOT_FOUND("not_found", 404),
    UNAVAILABLE("unavailable", 503);

    final String text;
    final int status;

    Type(String text, int status) {
      this.text = text;
      this.status = status;
    }
  }

  final Type type;

  ApiException(Type type, String message) {
    super(message);
    this.type = type;
  }

  static ApiException badParam(String param, String message) {
    return new ApiException(Type.BAD_DATA, "invalid parameter \"" + param + "\": " + message);
  }
}
