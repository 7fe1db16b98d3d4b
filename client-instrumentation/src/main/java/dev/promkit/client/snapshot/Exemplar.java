package dev.promkit.client.snapshot;

/**
 * An exemplar: a sampled observation with its own labels (e.g. a trace id).
 *
 * @param labels exemplar labels (OpenMetrics caps their total length at 128 UTF-8 characters)
 * @param value the observed value
 * @param timestampMillis when it was observed, or 0 when unknown
 */
public record Exemplar(Labels labels, double value, long timestampMillis) {}
