/**
 * Block compaction as Prometheus plans it: {@link dev.promkit.tsdb.compact.Planner} picks blocks
 * (overlapping ones first, for vertical compaction; then adjacent blocks that fill a range of the
 * 2 h × 3<sup>i</sup> ladder), {@link dev.promkit.tsdb.compact.Compactor} merges them into one new
 * block, and {@link dev.promkit.tsdb.compact.CompactionMetrics} counts it under Prometheus' names.
 * {@code Tsdb} composes them and deletes the sources once the new block is in place.
 */
package dev.promkit.tsdb.compact;
