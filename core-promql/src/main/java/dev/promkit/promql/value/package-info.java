/**
 * PromQL's value model: {@link dev.promkit.promql.value.Scalar}, {@link dev.promkit.promql.value.StringValue},
 * {@link dev.promkit.promql.value.Vector} (samples at one instant) and {@link dev.promkit.promql.value.Matrix}
 * (series of points over time). A sample or point holds a float; native histograms are reserved through
 * {@link dev.promkit.promql.value.HistogramValue} and not produced yet.
 */
package dev.promkit.promql.value;
