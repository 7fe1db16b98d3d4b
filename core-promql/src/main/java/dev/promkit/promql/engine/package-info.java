/**
 * The PromQL engine: {@link dev.promkit.promql.engine.Engine} runs instant and range queries over a
 * {@link dev.promkit.tsdb.storage.Queryable} with Prometheus 3.x semantics.
 *
 * <p>Roles: {@code Engine} (settings, limits, result shaping), {@code Evaluator} (one method per
 * node type, selectors, subqueries, delayed name removal), {@code BinaryOps}, {@code Aggregations},
 * {@code FunctionCalls} and {@code InfoFunction}. Function implementations plug in through
 * {@link dev.promkit.promql.engine.FunctionImpl} and {@link dev.promkit.promql.engine.FunctionRegistry}.
 */
package dev.promkit.promql.engine;
