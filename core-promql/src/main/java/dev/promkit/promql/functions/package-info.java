/**
 * The PromQL function library: {@link dev.promkit.promql.functions.StandardFunctions} registers an
 * implementation for every entry of the parser's function table (except those it lists as not
 * implemented) into a {@link dev.promkit.promql.engine.FunctionRegistry}. The numerical cores are
 * package-private static methods over primitive arrays, grouped by family, with Prometheus 3.x's
 * exact semantics.
 */
package dev.promkit.promql.functions;
