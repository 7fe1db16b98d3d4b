package dev.promkit.tsdb.head;

import dev.promkit.tsdb.labels.Labels;

/**
 * Where a commit records its series and samples BEFORE they reach memory (the write-ahead log).
 * Called by the committing thread with caller-owned arrays that are only valid during the call.
 * A thrown exception aborts the commit: nothing of the batch is applied.
 */
public interface HeadLog {
  /** Logs nothing. */
  HeadLog NONE = new HeadLog() {
    @Override
    public void logSeries(long[] refs, Labels[] labels, int count) {}

    @Override
    public void logSamples(long[] refs, long[] ts, double[] vs, int count) {}
  };

  /** New series created by the batch: {@code refs[i]} has {@code labels[i]}, for i &lt; count. */
  void logSeries(long[] refs, Labels[] labels, int count);

  /** Samples of the batch in append order, for i &lt; count. */
  void logSamples(long[] refs, long[] ts, double[] vs, int count);
}
