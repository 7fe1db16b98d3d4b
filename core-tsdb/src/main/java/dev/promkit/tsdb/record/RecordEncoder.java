package dev.promkit.tsdb.record;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.labels.Labels;
import java.util.List;

/**
 * Encodes records in Prometheus' WAL record format (docs/format/wal.md) into a caller-owned
 * {@link EncBuf}, which is reset first. Stateless.
 */
public final class RecordEncoder {
  private RecordEncoder() {}

  /** A Series record: per series the ref (8 bytes BE), the label count and each name and value. */
  public static EncBuf series(List<RefSeries> series, EncBuf out) {
    out.reset().putByte(RecordType.SERIES);
    for (int i = 0, n = series.size(); i < n; i++) {
      RefSeries s = series.get(i);
      out.putBE64(s.ref());
      putLabels(s.labels(), out);
    }
    return out;
  }

  /** A Series record for one series. */
  public static EncBuf series(long ref, Labels labels, EncBuf out) {
    out.reset().putByte(RecordType.SERIES).putBE64(ref);
    putLabels(labels, out);
    return out;
  }

  private static void putLabels(Labels l, EncBuf out) {
    int n = l.size();
    out.putUvarint(n);
    for (int i = 0; i < n; i++) {
      out.putUvarintStr(l.name(i));
      out.putUvarintStr(l.value(i));
    }
  }

  /**
   * A Samples record: the first sample's ref and timestamp in full (8 bytes BE each), then per
   * sample the ref and timestamp as signed varint deltas from those, and the value's 8 bytes. An
   * empty batch gives a record of only the type byte.
   */
  public static EncBuf samples(RefSamples samples, EncBuf out) {
    out.reset().putByte(RecordType.SAMPLES);
    int n = samples.size();
    if (n == 0) {
      return out;
    }
    long ref0 = samples.ref(0);
    long t0 = samples.t(0);
    out.putBE64(ref0).putBE64(t0);
    for (int i = 0; i < n; i++) {
      // Deltas from the first sample, not the previous one: batches mix series, so refs jump both ways.
      out.putVarint(samples.ref(i) - ref0);
      out.putVarint(samples.t(i) - t0);
      out.putBE64Double(samples.v(i));
    }
    return out;
  }

  /**
   * As {@link #samples(RefSamples, EncBuf)}, from parallel arrays (a head appender's own buffers),
   * for {@code i < count}: no copy.
   */
  public static EncBuf samples(long[] refs, long[] ts, double[] vs, int count, EncBuf out) {
    return samples(refs, ts, vs, 0, count, out);
  }

  /** As {@link #samples(long[], long[], double[], int, EncBuf)}, for {@code from <= i < to}. */
  public static EncBuf samples(long[] refs, long[] ts, double[] vs, int from, int to, EncBuf out) {
    out.reset().putByte(RecordType.SAMPLES);
    if (to <= from) {
      return out;
    }
    long ref0 = refs[from];
    long t0 = ts[from];
    out.putBE64(ref0).putBE64(t0);
    for (int i = from; i < to; i++) {
      out.putVarint(refs[i] - ref0);
      out.putVarint(ts[i] - t0);
      out.putBE64Double(vs[i]);
    }
    return out;
  }

  /** A Tombstones record: per interval the ref (8 bytes BE), mint and maxt as signed varints. */
  public static EncBuf tombstones(List<Tombstone> stones, EncBuf out) {
    out.reset().putByte(RecordType.TOMBSTONES);
    for (int i = 0, n = stones.size(); i < n; i++) {
      Tombstone s = stones.get(i);
      out.putBE64(s.ref()).putVarint(s.mint()).putVarint(s.maxt());
    }
    return out;
  }
}
