package dev.promkit.promql.value;

/**
 * A string result (only string literals produce one).
 *
 * @param t evaluation timestamp (ms)
 * @param s the string
 */
public record StringValue(long t, String s) implements Value {
  @Override
  public String typeName() {
    return "string";
  }
}
