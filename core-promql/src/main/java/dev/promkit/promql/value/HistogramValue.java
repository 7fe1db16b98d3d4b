package dev.promkit.promql.value;

/**
 * Reserved for native histogram samples. No implementation exists yet: every sample and point
 * produced today is a float, and {@code histogram()} accessors return null.
 */
public interface HistogramValue {}
