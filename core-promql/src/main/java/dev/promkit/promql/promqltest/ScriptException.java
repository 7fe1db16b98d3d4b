package dev.promkit.promql.promqltest;

/** A {@code .test} script could not be parsed; the message names the file and line. */
public final class ScriptException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ScriptException(String file, int line, String message) {
    super(file + ":" + line + ": " + message);
  }
}
