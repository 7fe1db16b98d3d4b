package dev.promkit.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.record.CheckpointFilter;
import dev.promkit.tsdb.record.RecordDecoder;
import dev.promkit.tsdb.record.RecordEncoder;
import dev.promkit.tsdb.record.RecordType;
import dev.promkit.tsdb.record.RefSamples;
import dev.promkit.tsdb.record.RefSeries;
import dev.promkit.tsdb.record.Tombstone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final WalOptions OPTS = new WalOptions(2L * WalFormat.PAGE_SIZE, false);

  @TempDir Path tmp;

  /** Contents of a replay: series refs, "ref@t" samples, "ref:mint-maxt" tombstones. */
  private static final class Replayed {
    final Set<Long> series = new TreeSet<>();
    final Set<String> samples = new TreeSet<>();
    final Set<String> stones = new TreeSet<>();

    void read(WalReader r) throws IOException {
      RecordDecoder dec = new RecordDecoder();
      List<RefSeries> ss = new ArrayList<>();
      RefSamples sm = new RefSamples();
      List<Tombstone> ts = new ArrayList<>();
      while (r.next()) {
        switch (RecordType.of(r.record(), r.length())) {
          case RecordType.SERIES:
            ss.clear();
            dec.series(r.record(), r.length(), ss).forEach(s -> series.add(s.ref()));
            break;
          case RecordType.SAMPLES:
            sm.clear();
            dec.samples(r.record(), r.length(), sm);
            for (int i = 0; i < sm.size(); i++) {
              samples.add(sm.ref(i) + "@" + sm.t(i));
            }
            break;
          case RecordType.TOMBSTONES:
            ts.clear();
            dec.tombstones(r.record(), r.length(), ts).forEach(t -> stones.add(t.ref() + ":" + t.mint() + "-" + t.maxt()));
            break;
          default:
            throw new AssertionError("unexpected record type " + r.record()[0]);
        }
      }
    }
  }

  private static Replayed replay(Path dir) throws IOException {
    Replayed out = new Replayed();
    int after = -1;
    var cp = Checkpoint.last(dir);
    if (cp.isPresent()) {
      try (WalReader r = WalReader.open(cp.get().dir())) {
        out.read(r);
      }
      after = cp.get().index();
    }
    try (WalReader r = WalReader.open(dir, after + 1, Integer.MAX_VALUE)) {
      out.read(r);
    }
    return out;
  }

  /** 10 series, refs 1..10; samples t = 0..99 for every series, 10 per record. */
  private static void fill(Wal w, long tFrom, long tTo) throws IOException {
    EncBuf b = new EncBuf();
    if (tFrom == 0) {
      List<RefSeries> s = new ArrayList<>();
      for (long ref = 1; ref <= 10; ref++) {
        s.add(new RefSeries(ref, Labels.of("__name__", "m", "i", Long.toString(ref))));
      }
      w.log(RecordEncoder.series(s, b));
      w.log(RecordEncoder.tombstones(List.of(new Tombstone(2, 0, 10), new Tombstone(4, 0, 70)), b));
    }
    RefSamples sm = new RefSamples();
    for (long t = tFrom; t < tTo; t++) {
      sm.clear();
      for (long ref = 1; ref <= 10; ref++) {
        sm.add(ref, t, t * ref);
      }
      w.log(RecordEncoder.samples(sm, b));
      w.commit();
    }
  }

  @Test
  void checkpointKeepsExactlyLiveSeriesAndSamplesAtOrAfterMint() throws IOException {
    Path dir = tmp.resolve("wal");
    WalMetrics metrics = new WalMetrics();
    try (Wal w = Wal.open(dir, OPTS, metrics)) {
      fill(w, 0, 60);
      int to = w.nextSegment() - 1;
      fill(w, 60, 100);
      LongPredicate even = ref -> ref % 2 == 0;
      long mint = 50;
      Checkpoint.Stats st = Checkpoint.create(w, 0, to, new CheckpointFilter(even, mint)::filter);
      assertEquals(to, st.index());
      assertTrue(Files.isDirectory(dir.resolve(String.format("checkpoint.%08d", to))));
      assertEquals(1, metrics.checkpointCreations());
      assertFalse(Files.exists(WalFormat.segmentPath(dir, to)), "segments up to the checkpoint are deleted");

      Replayed inCp = new Replayed();
      try (WalReader r = WalReader.open(Checkpoint.last(dir).orElseThrow().dir())) {
        inCp.read(r);
      }
      Set<Long> wantSeries = Set.of(2L, 4L, 6L, 8L, 10L);
      assertEquals(new TreeSet<>(wantSeries), inCp.series);
      Set<String> wantSamples = new TreeSet<>();
      for (long t = mint; t < 60; t++) {
        for (long ref : wantSeries) {
          wantSamples.add(ref + "@" + t);
        }
      }
      assertEquals(wantSamples, inCp.samples);
      assertEquals(Set.of("4:0-70"), inCp.stones, "tombstone of a live series reaching mint kept, older one dropped");

      // replay = checkpoint + the segments after it
      Replayed all = replay(dir);
      for (long t = 60; t < 100; t++) {
        for (long ref = 1; ref <= 10; ref++) {
          wantSamples.add(ref + "@" + t);
        }
      }
      assertEquals(wantSamples, all.samples);
    }
  }

  @Test
  void secondCheckpointFoldsInThePreviousOneAndDeletesIt() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.open(dir, OPTS, new WalMetrics())) {
      fill(w, 0, 30);
      int first = w.nextSegment() - 1;
      Checkpoint.create(w, 0, first, new CheckpointFilter(ref -> ref <= 5, 20)::filter);
      fill(w, 30, 50);
      int second = w.nextSegment() - 1;
      Checkpoint.create(w, 0, second, new CheckpointFilter(ref -> ref <= 3, 40)::filter);
      assertFalse(Files.exists(dir.resolve(Checkpoint.name(first))), "older checkpoint deleted");
      assertEquals(second, Checkpoint.last(dir).orElseThrow().index());
      Replayed all = replay(dir);
      assertEquals(Set.of(1L, 2L, 3L), all.series);
      Set<String> want = new TreeSet<>();
      for (long t = 40; t < 50; t++) {
        for (long ref = 1; ref <= 3; ref++) {
          want.add(ref + "@" + t);
        }
      }
      assertEquals(want, all.samples);
      assertEquals(List.of(second + 1), WalFormat.listSegments(dir));
    }
  }

  @Test
  void leftoverTemporaryCheckpointIsIgnoredAndRemoved() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.open(dir, OPTS, new WalMetrics())) {
      fill(w, 0, 10);
      int to = w.nextSegment() - 1;
      Path junk = dir.resolve("checkpoint.00000099.tmp");
      Files.createDirectories(junk);
      Files.write(junk.resolve("00000000"), new byte[] {9, 9, 9});
      assertTrue(Checkpoint.last(dir).isEmpty());
      Checkpoint.create(w, 0, to, new CheckpointFilter(ref -> true, 0)::filter);
      assertFalse(Files.exists(junk));
      assertEquals(100, replay(dir).samples.size());
    }
  }

  @Test
  void refusesToCheckpointTheSegmentBeingWritten() throws IOException {
    try (Wal w = Wal.open(tmp.resolve("wal"), OPTS, new WalMetrics())) {
      assertThrows(IllegalArgumentException.class,
          () -> Checkpoint.create(w, 0, w.currentSegment(), new CheckpointFilter(r -> true, 0)::filter));
    }
  }
}
