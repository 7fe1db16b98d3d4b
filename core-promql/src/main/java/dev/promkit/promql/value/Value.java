package dev.promkit.promql.value;

/** A PromQL value: {@link Scalar}, {@link StringValue}, {@link Vector} or {@link Matrix}. */
public interface Value {
  /** The PromQL type name as Prometheus prints it: "scalar", "string", "vector" or "matrix". */
  String typeName();
}
