package dev.promkit.promql.engine;

import dev.promkit.promql.value.Value;
import java.util.List;

/**
 * A {@link FunctionImpl} of a function with a range-vector argument that can give its value at one
 * step without building a result vector: the engine calls {@link #compute} instead of
 * {@link #call} (once per input series and step, so this saves a vector and a sample each time).
 * Both methods must agree.
 */
public interface RangeFunctionImpl extends FunctionImpl {
  /**
   * Computes the function for the window in {@code args} (as {@link #call} receives them).
   *
   * @param out receives the value in {@code out[0]}
   * @return false for "no point at this step"
   */
  boolean compute(List<Value> args, FunctionContext ctx, double[] out);
}
