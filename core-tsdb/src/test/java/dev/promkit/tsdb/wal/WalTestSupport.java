package dev.promkit.tsdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Helpers for WAL tests: deterministic records and full reads. */
final class WalTestSupport {
  private WalTestSupport() {}

  /** A record of {@code len} bytes whose content depends on {@code seed}. */
  static byte[] record(int seed, int len) {
    byte[] b = new byte[len];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Result of reading a WAL until its end or its first corruption. */
  static final class ReadResult {
    final List<byte[]> records = new ArrayList<>();
    final List<long[]> positions = new ArrayList<>(); // {segment, offset, endOffset}
    WalCorruptionException corruption;
  }

  static ReadResult readAll(Path dir) throws IOException {
    ReadResult res = new ReadResult();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        res.records.add(Arrays.copyOf(r.record(), r.length()));
        res.positions.add(new long[] {r.segment(), r.offset(), r.endOffset()});
      }
    } catch (WalCorruptionException e) {
      res.corruption = e;
    }
    return res;
  }
}
