package dev.promkit.promql.engine;

import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import java.util.List;

/**
 * The implementation of one PromQL function, called once per evaluation step (and, for a function
 * with a range-vector argument, once per input series and step).
 *
 * <p>{@code args} holds one value per argument expression, in order:
 * <ul>
 *   <li>instant-vector argument: a {@link dev.promkit.promql.value.Vector} of the samples at this step
 *       (for {@code timestamp()} over a selector, the samples carry their raw timestamps);
 *   <li>scalar argument: a {@link dev.promkit.promql.value.Scalar} with its value at this step;
 *   <li>string argument: a {@link dev.promkit.promql.value.StringValue};
 *   <li>range-vector argument: a {@link dev.promkit.promql.value.Matrix} holding exactly one series,
 *       whose points are those of the window {@code (windowEnd - range, windowEnd]} (stale markers
 *       removed; see {@link FunctionContext#anchored()}/{@link FunctionContext#smoothed()} for the
 *       extra points those modifiers add). Points read from storage carry their start timestamp
 *       ({@link dev.promkit.promql.value.FPoint#st()}, 0 when unknown); points of a subquery do not.
 * </ul>
 *
 * <p>Result: the output samples at this step. Timestamps are ignored (the engine sets them).
 * For a range-vector function only the value of the first returned sample counts (return an empty
 * vector for "no point at this step"): the engine takes the labels from the input series and drops
 * the metric name unless the function keeps it. For instant-vector functions, the labels of the
 * returned samples are the output labels; set {@link dev.promkit.promql.value.Sample#dropName()} on
 * samples whose metric name PromQL drops (delayed name removal), rather than removing the name.
 * A function whose return type is scalar returns a vector of one sample (its labels are ignored).
 *
 * <p>Throw {@link PromQLException} for a query error; its message is reported verbatim.
 */
@FunctionalInterface
public interface FunctionImpl {
  /** Computes the function at one step. */
  Vector call(List<Value> args, FunctionContext ctx);
}
