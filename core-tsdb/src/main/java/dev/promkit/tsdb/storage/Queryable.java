package dev.promkit.tsdb.storage;

/** Storage that can be read: core-promql reads through this and nothing else. */
@FunctionalInterface
public interface Queryable {
  /** A querier over samples with mint &lt;= t &lt;= maxt (ms). */
  Querier querier(long mint, long maxt);
}
