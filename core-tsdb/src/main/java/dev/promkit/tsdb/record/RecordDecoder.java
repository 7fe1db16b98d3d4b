package dev.promkit.tsdb.record;

import dev.promkit.tsdb.encoding.DecBuf;
import dev.promkit.tsdb.labels.Labels;
import java.util.List;

/**
 * Decodes records written by {@link RecordEncoder} (or by Prometheus) into caller-owned lists, which
 * are appended to, not cleared: replay clears and reuses them between records. Not thread-safe;
 * one decoder per reading thread.
 */
public final class RecordDecoder {
  private final DecBuf d = new DecBuf();
  private String[] scratch = new String[32];

  /** Appends the series of a Series record to {@code into}. */
  public List<RefSeries> series(byte[] rec, int len, List<RefSeries> into) {
    start(rec, len, RecordType.SERIES);
    while (d.remaining() > 0) {
      int at = d.position();
      long ref = d.readBE64();
      int n = d.readUvarintInt("label count");
      if (d.err() == null && n > d.remaining() / 2) {
        throw fail("series", at, "label count " + n + " larger than the record");
      }
      if (scratch.length < 2 * n) {
        scratch = new String[2 * n];
      }
      for (int i = 0; i < 2 * n; i++) {
        scratch[i] = d.readUvarintStr();
      }
      if (d.err() != null) {
        throw fail("series", at, d.err());
      }
      into.add(new RefSeries(ref, labels(n, at)));
    }
    checkDone("series");
    return into;
  }

  private Labels labels(int n, int at) {
    boolean canonical = true;
    for (int i = 0; i < n && canonical; i++) {
      if (scratch[2 * i + 1].isEmpty() || (i > 0 && scratch[2 * i - 2].compareTo(scratch[2 * i]) >= 0)) {
        canonical = false;
      }
    }
    String[] nv = java.util.Arrays.copyOf(scratch, 2 * n);
    if (canonical) {
      return Labels.fromSortedArray(nv); // the usual case: the writer stored them sorted
    }
    try {
      return Labels.of(nv);
    } catch (IllegalArgumentException e) {
      throw fail("series", at, e.getMessage());
    }
  }

  /** Appends the samples of a Samples record to {@code into}. */
  public RefSamples samples(byte[] rec, int len, RefSamples into) {
    start(rec, len, RecordType.SAMPLES);
    if (d.remaining() == 0) {
      return into;
    }
    long ref0 = d.readBE64();
    long t0 = d.readBE64();
    while (d.remaining() > 0) {
      int at = d.position();
      long dref = d.readVarint();
      long dt = d.readVarint();
      long bits = d.readBE64();
      if (d.err() != null) {
        throw fail("samples", at, d.err() + " after " + into.size() + " samples");
      }
      into.add(ref0 + dref, t0 + dt, Double.longBitsToDouble(bits));
    }
    checkDone("samples");
    return into;
  }

  /** Appends the intervals of a Tombstones record to {@code into}. */
  public List<Tombstone> tombstones(byte[] rec, int len, List<Tombstone> into) {
    start(rec, len, RecordType.TOMBSTONES);
    while (d.remaining() > 0) {
      int at = d.position();
      long ref = d.readBE64();
      long mint = d.readVarint();
      long maxt = d.readVarint();
      if (d.err() != null) {
        throw fail("tombstones", at, d.err());
      }
      into.add(new Tombstone(ref, mint, maxt));
    }
    checkDone("tombstones");
    return into;
  }

  private void start(byte[] rec, int len, int type) {
    d.reset(rec, 0, len);
    int t = d.readByte();
    if (d.err() != null || t != type) {
      throw new RecordFormatException("expected a " + RecordType.name(type) + " record, found "
          + (d.err() != null ? "an empty record" : RecordType.name(t)));
    }
  }

  private void checkDone(String what) {
    if (d.err() != null) {
      throw fail(what, d.position(), d.err());
    }
  }

  private static RecordFormatException fail(String what, int at, String why) {
    return new RecordFormatException("invalid " + what + " record at byte " + at + ": " + why);
  }
}
