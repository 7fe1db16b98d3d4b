package dev.promkit.tsdb.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);
  private final RecordDecoder dec = new RecordDecoder();

  private static byte[] hex(String s) {
    s = s.replace(" ", "");
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  @Test
  void samplesRecordHasPrometheusBytes() {
    RefSamples s = new RefSamples();
    s.add(2, 1000, 1.5);
    s.add(1, 1010, STALE);
    EncBuf out = RecordEncoder.samples(s, new EncBuf());
    assertArrayEquals(hex("02 0000000000000002 00000000000003e8"
        + " 00 00 3ff8000000000000"
        + " 01 14 7ff0000000000002"), out.toByteArray());
  }

  @Test
  void seriesRecordHasPrometheusBytes() {
    EncBuf out = RecordEncoder.series(List.of(new RefSeries(7, Labels.of("__name__", "up", "job", "a"))), new EncBuf());
    assertArrayEquals(hex("01 0000000000000007 02 08 5f5f6e616d655f5f 02 7570 03 6a6f62 01 61"), out.toByteArray());
  }

  @Test
  void samplesRoundTripKeepingStaleMarkerBitsAndNegativeDeltas() {
    RefSamples in = new RefSamples(1);
    in.add(100, 5_000, 1);
    in.add(3, 4_000, -2.5);
    in.add(Long.MAX_VALUE / 2, Long.MIN_VALUE / 4, STALE);
    in.add(100, Long.MAX_VALUE / 4, Double.NaN);
    EncBuf buf = RecordEncoder.samples(in, new EncBuf(8));
    RefSamples out = new RefSamples();
    out.add(-1, -1, -1); // decoder appends: existing content stays
    dec.samples(buf.array(), buf.len(), out);
    assertEquals(5, out.size());
    for (int i = 0; i < in.size(); i++) {
      assertEquals(in.ref(i), out.ref(i + 1));
      assertEquals(in.t(i), out.t(i + 1));
      assertEquals(Double.doubleToRawLongBits(in.v(i)), Double.doubleToRawLongBits(out.v(i + 1)));
    }
  }

  @Test
  void arrayEncoderWritesTheSameBytesAsTheBatchEncoder() {
    RefSamples s = new RefSamples();
    s.add(9, 100, 1);
    s.add(4, 90, 2);
    long[] refs = {9, 4, 77};
    long[] ts = {100, 90, 0};
    double[] vs = {1, 2, 0};
    assertArrayEquals(RecordEncoder.samples(s, new EncBuf()).toByteArray(),
        RecordEncoder.samples(refs, ts, vs, 2, new EncBuf()).toByteArray());
  }

  @Test
  void emptySamplesRecordIsOnlyTheTypeByte() {
    EncBuf buf = RecordEncoder.samples(new RefSamples(), new EncBuf());
    assertEquals(1, buf.len());
    assertEquals(0, dec.samples(buf.array(), buf.len(), new RefSamples()).size());
  }

  @Test
  void seriesRoundTripIncludingUtf8() {
    List<RefSeries> in = List.of(
        new RefSeries(1, Labels.of("__name__", "http_requests_total", "path", "/ü/☃")),
        new RefSeries(1L << 40, Labels.empty()),
        new RefSeries(3, Labels.of("a", "1", "b", "2", "c", "3")));
    EncBuf buf = RecordEncoder.series(in, new EncBuf());
    List<RefSeries> out = dec.series(buf.array(), buf.len(), new ArrayList<>());
    assertEquals(in, out);
  }

  @Test
  void unsortedLabelsFromAForeignWriterAreSorted() {
    EncBuf b = new EncBuf().putByte(RecordType.SERIES).putBE64(1).putUvarint(2)
        .putUvarintStr("z").putUvarintStr("1").putUvarintStr("a").putUvarintStr("2");
    List<RefSeries> out = dec.series(b.array(), b.len(), new ArrayList<>());
    assertEquals(Labels.of("a", "2", "z", "1"), out.get(0).labels());
  }

  @Test
  void tombstonesRoundTrip() {
    List<Tombstone> in = List.of(new Tombstone(5, -100, 100), new Tombstone(6, Long.MIN_VALUE, Long.MAX_VALUE));
    EncBuf buf = RecordEncoder.tombstones(in, new EncBuf());
    assertEquals(in, dec.tombstones(buf.array(), buf.len(), new ArrayList<>()));
  }

  @Test
  void truncatedSamplesRecordNamesTheByte() {
    RefSamples in = new RefSamples();
    in.add(1, 1, 1);
    in.add(1, 2, 2);
    EncBuf buf = RecordEncoder.samples(in, new EncBuf());
    RecordFormatException e = assertThrows(RecordFormatException.class,
        () -> dec.samples(buf.array(), buf.len() - 3, new RefSamples()));
    assertTrue(e.getMessage().contains("samples record at byte 27"), e.getMessage());
  }

  @Test
  void wrongRecordTypeIsRejected() {
    EncBuf buf = RecordEncoder.samples(new RefSamples(), new EncBuf());
    RecordFormatException e = assertThrows(RecordFormatException.class,
        () -> dec.series(buf.array(), buf.len(), new ArrayList<>()));
    assertTrue(e.getMessage().contains("expected a series record, found samples"), e.getMessage());
  }

  @Test
  void hugeLabelCountIsRejectedNotAllocated() {
    EncBuf b = new EncBuf().putByte(RecordType.SERIES).putBE64(1).putUvarint(1_000_000_000);
    assertThrows(RecordFormatException.class, () -> dec.series(b.array(), b.len(), new ArrayList<>()));
  }

  @Test
  void typeOfKnowsReservedTypes() {
    assertEquals(RecordType.SAMPLES_V2, RecordType.of(new byte[] {11}, 1));
    assertEquals(RecordType.HISTOGRAM_SAMPLES, RecordType.of(new byte[] {7}, 1));
    assertEquals(RecordType.UNKNOWN, RecordType.of(new byte[] {42}, 1));
    assertEquals(RecordType.UNKNOWN, RecordType.of(new byte[0], 0));
  }
}
