package dev.promkit.promql.value;

/**
 * A float point of a series.
 *
 * @param t timestamp (ms)
 * @param f value
 */
public record FPoint(long t, double f) {}
