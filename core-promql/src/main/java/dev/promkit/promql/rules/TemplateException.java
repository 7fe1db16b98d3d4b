package dev.promkit.promql.rules;

/** A template that does not parse or fails while expanding, worded as Go's text/template. */
final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  TemplateException(String message) {
    super(message);
  }
}
