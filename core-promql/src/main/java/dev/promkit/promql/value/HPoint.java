package dev.promkit.promql.value;

/**
 * A native histogram point of a series (reserved: not produced yet).
 *
 * @param t timestamp (ms)
 * @param h the histogram
 */
public record HPoint(long t, HistogramValue h) {}
