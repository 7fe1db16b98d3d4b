/**
 * Deleted time ranges per series ("tombstones"): {@link dev.promkit.tsdb.tombstones.Intervals}, the
 * in-memory {@link dev.promkit.tsdb.tombstones.Tombstones} and the block file in Prometheus' format,
 * {@link dev.promkit.tsdb.tombstones.TombstonesFile} (see docs/format/tombstones.md). A leaf package:
 * it imports only {@code encoding} and {@code fileutil}.
 */
package dev.promkit.tsdb.tombstones;
