package dev.promkit.tsdb.backfill;

import dev.promkit.tsdb.labels.Labels;
import java.util.Arrays;

/** A series of the input: its labels and its samples per block range. */
final class SeriesEntry {
  final Labels labels;
  private RangeSeries[] ranges = new RangeSeries[2];
  private long[] rangeKeys = new long[2];
  private int n;
  private long lastKey = Long.MIN_VALUE;
  private RangeSeries last;

  SeriesEntry(Labels labels) {
    this.labels = labels;
  }

  /** This series' part of range {@code key}, created (and registered with the range) on first use. */
  RangeSeries range(long key, RangeState r) {
    if (key == lastKey) {
      return last; // samples of a series mostly arrive in time order: one range after the other
    }
    RangeSeries rs = null;
    for (int i = n - 1; i >= 0; i--) {
      if (rangeKeys[i] == key) {
        rs = ranges[i];
        break;
      }
    }
    if (rs == null) {
      rs = new RangeSeries(this);
      if (n == ranges.length) {
        ranges = Arrays.copyOf(ranges, n * 2);
        rangeKeys = Arrays.copyOf(rangeKeys, n * 2);
      }
      ranges[n] = rs;
      rangeKeys[n++] = key;
      r.series.add(rs);
    }
    lastKey = key;
    last = rs;
    return rs;
  }
}
