package dev.promkit.promql.parser;

/** The type of value a PromQL expression evaluates to. */
public enum ValueType {
  /** No value (never the type of a valid expression). */
  NONE("none", "none"),
  /** A single number. */
  SCALAR("scalar", "scalar"),
  /** An instant vector: one sample per series. */
  VECTOR("vector", "instant vector"),
  /** A range vector: a range of samples per series. */
  MATRIX("matrix", "range vector"),
  /** A string. */
  STRING("string", "string");

  private final String text;
  private final String documented;

  ValueType(String text, String documented) {
    this.text = text;
    this.documented = documented;
  }

  /** The name used in the HTTP API ({@code "vector"}, {@code "matrix"}...). */
  public String text() {
    return text;
  }

  /** The name used in documentation and error messages ({@code "instant vector"}...). */
  public String documentedName() {
    return documented;
  }

  @Override
  public String toString() {
    return text;
  }
}
