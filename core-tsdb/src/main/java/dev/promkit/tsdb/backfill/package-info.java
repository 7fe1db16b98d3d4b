/**
 * Backfill: TSDB blocks from an OpenMetrics file, with the rules of
 * {@code promtool tsdb create-blocks-from openmetrics} (Prometheus 2.42). Entry point:
 * {@link dev.promkit.tsdb.backfill.Backfill}.
 */
package dev.promkit.tsdb.backfill;
