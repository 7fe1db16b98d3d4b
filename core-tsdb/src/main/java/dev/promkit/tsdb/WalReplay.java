package dev.promkit.tsdb;

import dev.promkit.tsdb.head.Head;
import dev.promkit.tsdb.record.RecordDecoder;
import dev.promkit.tsdb.record.RecordFormatException;
import dev.promkit.tsdb.record.RecordType;
import dev.promkit.tsdb.record.RefSamples;
import dev.promkit.tsdb.record.RefSeries;
import dev.promkit.tsdb.record.Tombstone;
import dev.promkit.tsdb.wal.Checkpoint;
import dev.promkit.tsdb.wal.Wal;
import dev.promkit.tsdb.wal.WalCorruptionException;
import dev.promkit.tsdb.wal.WalMetrics;
import dev.promkit.tsdb.wal.WalReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * Rebuilds the head from the last checkpoint and the WAL segments after it, without logging the
 * replayed samples again. A corrupt or torn tail is repaired (cut at the last good record) and
 * replay keeps everything before it; a damaged checkpoint is an error, since it cannot be repaired
 * without losing what it alone holds.
 */
final class WalReplay {
  private static final System.Logger LOG = System.getLogger(WalReplay.class.getName());

  /**
   * What a replay did.
   *
   * @param series series records applied
   * @param samples samples applied
   * @param skippedSamples samples dropped (unknown series, out of order)
   * @param corruption the repaired corruption, or null
   * @param refs head refs of the replayed series (their Series records are in the WAL)
   * @param tombstones head deletions, by head ref
   */
  record Result(long series, long samples, long skippedSamples, WalCorruptionException corruption, LongHashSet refs,
      List<Tombstone> tombstones) {}

  private final Head head;
  private final RecordDecoder dec = new RecordDecoder();
  private final List<RefSeries> series = new ArrayList<>();
  private final RefSamples samples = new RefSamples(1024);
  // WAL ref -> head ref, only for series whose labels the head already knew under another ref
  private final Long2LongHashMap remap = new Long2LongHashMap(-1);
  private final LongHashSet refs = new LongHashSet();
  private final List<Tombstone> stones = new ArrayList<>();
  private final List<Tombstone> stonesRead = new ArrayList<>();
  private long seriesCount;
  private long sampleCount;
  private long skipped;

  private WalReplay(Head head) {
    this.head = head;
  }

  static Result replay(Path walDir, Head head, WalMetrics metrics) throws IOException {
    WalReplay r = new WalReplay(head);
    long t0 = System.nanoTime();
    int after = -1;
    Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
    if (cp.isPresent()) {
      after = cp.get().index();
      try (WalReader reader = WalReader.open(cp.get().dir())) {
        r.readAll(reader);
      } catch (WalCorruptionException e) {
        throw new IOException("WAL checkpoint " + cp.get().dir() + " is damaged; refusing to start: " + e.getMessage(), e);
      }
    }
    WalCorruptionException corruption = null;
    try (WalReader reader = WalReader.open(walDir, after + 1, Integer.MAX_VALUE)) {
      r.readAll(reader);
    } catch (WalCorruptionException e) {
      corruption = e;
      Wal.repair(walDir, e, metrics);
    }
    LOG.log(Level.INFO, "WAL replay of {0}: {1} series, {2} samples ({3} skipped) in {4} ms", walDir,
        r.seriesCount, r.sampleCount, r.skipped, (System.nanoTime() - t0) / 1_000_000);
    return new Result(r.seriesCount, r.sampleCount, r.skipped, corruption, r.refs, r.stones);
  }

  private void readAll(WalReader reader) throws IOException {
    while (reader.next()) {
      byte[] rec = reader.record();
      int len = reader.length();
      try {
        apply(rec, len);
      } catch (RecordFormatException e) {
        // CRC-valid but undecodable: treat like a damaged record, so the tail gets repaired
        throw new WalCorruptionException(reader.dir(), reader.segment(), reader.offset(), e.getMessage());
      }
    }
  }

  private void apply(byte[] rec, int len) {
    switch (RecordType.of(rec, len)) {
      case RecordType.SERIES:
        series.clear();
        dec.series(rec, len, series);
        for (int i = 0; i < series.size(); i++) {
          RefSeries s = series.get(i);
          long ref;
          try {
            ref = head.replaySeries(s.ref(), s.labels());
          } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "WAL replay: skipping series {0} {1}: {2}", s.ref(), s.labels(), e.getMessage());
            continue;
          }
          if (ref != s.ref()) {
            remap.put(s.ref(), ref);
          }
          refs.add(s.ref());
          seriesCount++;
        }
        break;
      case RecordType.SAMPLES:
        samples.clear();
        dec.samples(rec, len, samples);
        for (int i = 0, n = samples.size(); i < n; i++) {
          long ref = samples.ref(i);
          long mapped = remap.get(ref);
          if (head.replaySample(mapped == -1 ? ref : mapped, samples.t(i), samples.v(i))) {
            sampleCount++;
          } else {
            skipped++;
          }
        }
        break;
      case RecordType.TOMBSTONES:
        stonesRead.clear();
        for (Tombstone t : dec.tombstones(rec, len, stonesRead)) {
          long mapped = remap.get(t.ref());
          stones.add(mapped == -1 ? t : new Tombstone(mapped, t.mint(), t.maxt()));
        }
        break;
      default:
        // exemplars, metadata, histograms: the head keeps none of them yet
        break;
    }
  }
}
