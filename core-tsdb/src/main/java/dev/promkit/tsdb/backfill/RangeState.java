package dev.promkit.tsdb.backfill;

import java.util.ArrayList;
import java.util.List;

/**
 * One block range [key·d, (key+1)·d): its series and promtool's appender state. promtool reads the
 * file once per range through a fresh head, committing every {@link Backfill#SAMPLES_PER_COMMIT}
 * accepted appends; a range keeps that state so that one pass over the file decides the same.
 */
final class RangeState {
  final long key;
  final List<RangeSeries> series = new ArrayList<>();
  long epoch; // commits so far
  int appends; // appends since the last commit
  long minT = Long.MAX_VALUE;
  long maxT = Long.MIN_VALUE;
  long samples;
  BackfillException failure; // first error in this range; the range takes no more samples

  RangeState(long key) {
    this.key = key;
  }
}
