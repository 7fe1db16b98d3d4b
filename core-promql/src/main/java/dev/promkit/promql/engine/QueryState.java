package dev.promkit.promql.engine;

import dev.promkit.tsdb.storage.Queryable;

/** State shared by all evaluators of one query: limits, annotations, the query's own times. */
final class QueryState {
  final Queryable queryable;
  final EngineOptions opts;
  final Annotations annotations = new Annotations();
  final long deadlineNanos;
  /** Start, end and step of the whole query (ms); step 0 for an instant query. */
  final long queryStart;
  final long queryEnd;
  final long queryStep;
  private long samples;

  QueryState(Queryable queryable, EngineOptions opts, long queryStart, long queryEnd, long queryStep) {
    this.queryable = queryable;
    this.opts = opts;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.queryStep = queryStep;
    this.deadlineNanos = System.nanoTime() + opts.timeoutMillis() * 1_000_000L;
  }

  /** Throws Prometheus' timeout error once the deadline passed. */
  void checkTimeout() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new PromQLException("query timed out in expression evaluation");
    }
  }

  /**
   * Accounts for samples loaded or produced; throws Prometheus' error past the limit. A coarse
   * bound: every sample a selector loads counts, released ones are not subtracted.
   */
  void addSamples(long n) {
    samples += n;
    if (samples > opts.maxSamples()) {
      throw new PromQLException("query processing would load too many samples into memory in query execution");
    }
  }

  /** Releases samples that are no longer held. */
  void releaseSamples(long n) {
    samples = Math.max(0, samples - n);
  }
}
