package dev.promkit.promql.engine;

/**
 * Engine settings.
 *
 * @param lookbackDeltaMillis how far back an instant selector looks for a sample (Prometheus: 5m)
 * @param timeoutMillis per-query timeout
 * @param maxSamples most samples a query may hold in memory
 * @param noStepSubqueryIntervalMillis the step of a subquery written without one ({@code [5m:]})
 * @param functions the function implementations
 */
record EngineOptions(
    long lookbackDeltaMillis,
    long timeoutMillis,
    long maxSamples,
    long noStepSubqueryIntervalMillis,
    FunctionRegistry functions) {}
