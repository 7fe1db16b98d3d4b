package dev.promkit.tsdb.record;

import dev.promkit.tsdb.encoding.EncBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * What survives into a WAL checkpoint: series the head still holds, their samples at or after
 * {@code mint}, and their tombstones that reach {@code mint}. Record types not written yet
 * (exemplars, metadata, histograms) are dropped, as Prometheus drops types it does not know.
 * Use as {@code Checkpoint.create(wal, from, to, new CheckpointFilter(keep, mint)::filter)}.
 */
public final class CheckpointFilter {
  private final LongPredicate keepSeries;
  private final long mint;
  private final RecordDecoder dec = new RecordDecoder();
  private final List<RefSeries> series = new ArrayList<>();
  private final List<RefSeries> keptSeries = new ArrayList<>();
  private final RefSamples samples = new RefSamples();
  private final RefSamples keptSamples = new RefSamples();
  private final List<Tombstone> stones = new ArrayList<>();
  private final List<Tombstone> keptStones = new ArrayList<>();

  /**
   * @param keepSeries true for the refs of series that are still live in the head
   * @param mint the oldest timestamp (ms) still needed
   */
  public CheckpointFilter(LongPredicate keepSeries, long mint) {
    this.keepSeries = keepSeries;
    this.mint = mint;
  }

  /** Writes the kept part of {@code rec[0, len)} to {@code out}; false when nothing is kept. */
  public boolean filter(byte[] rec, int len, EncBuf out) {
    switch (RecordType.of(rec, len)) {
      case RecordType.SERIES:
        series.clear();
        keptSeries.clear();
        for (RefSeries s : dec.series(rec, len, series)) {
          if (keepSeries.test(s.ref())) {
            keptSeries.add(s);
          }
        }
        if (keptSeries.isEmpty()) {
          return false;
        }
        RecordEncoder.series(keptSeries, out);
        return true;
      case RecordType.SAMPLES:
        samples.clear();
        keptSamples.clear();
        dec.samples(rec, len, samples);
        for (int i = 0; i < samples.size(); i++) {
          if (samples.t(i) >= mint && keepSeries.test(samples.ref(i))) {
            keptSamples.add(samples.ref(i), samples.t(i), samples.v(i));
          }
        }
        if (keptSamples.size() == 0) {
          return false;
        }
        RecordEncoder.samples(keptSamples, out);
        return true;
      case RecordType.TOMBSTONES:
        stones.clear();
        keptStones.clear();
        for (Tombstone t : dec.tombstones(rec, len, stones)) {
          if (t.maxt() >= mint && keepSeries.test(t.ref())) {
            keptStones.add(t);
          }
        }
        if (keptStones.isEmpty()) {
          return false;
        }
        RecordEncoder.tombstones(keptStones, out);
        return true;
      default:
        return false;
    }
  }
}
