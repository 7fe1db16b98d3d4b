package dev.promkit.promql.value;

/**
 * A scalar result.
 *
 * @param t evaluation timestamp (ms)
 * @param v the value
 */
public record Scalar(long t, double v) implements Value {
  @Override
  public String typeName() {
    return "scalar";
  }

  @Override
  public String toString() {
    return "scalar: " + v + " @[" + t + "]";
  }
}
