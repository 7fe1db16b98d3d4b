package dev.promkit.tsdb.record;

/**
 * A deletion of a series' samples in {@code [mint, maxt]}.
 *
 * @param ref the head series reference
 * @param mint first deleted timestamp (ms, inclusive)
 * @param maxt last deleted timestamp (ms, inclusive)
 */
public record Tombstone(long ref, long mint, long maxt) {}
