package dev.promkit.client.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.client.snapshot.CounterSnapshot;
import dev.promkit.client.snapshot.CounterSnapshot.CounterDataPoint;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.HistogramSnapshot;
import dev.promkit.client.snapshot.HistogramSnapshot.HistogramDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Random values and label strings survive writer -> parser exactly, in both formats. */
class RoundTripPropertyTest {
  private static final String ALPHABET = "az09_ \"\\\n\t{}=,#éü東京\uD83D\uDE00";

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void randomDoublesAndLabelValuesRoundTripBitForBit(ExpositionFormat format) throws Exception {
    Random rnd = new Random(42);
    List<GaugeDataPoint> points = new ArrayList<>();
    double[] values = new double[3000];
    for (int i = 0; i < values.length; i++) {
      values[i] = randomDouble(rnd);
      points.add(new GaugeDataPoint(Labels.of("i", Integer.toString(i), "s", randomString(rnd)), values[i]));
    }
    TreeSet<Double> bounds = new TreeSet<>();
    while (bounds.size() < 200) {
      bounds.add(randomDouble(rnd));
    }
    bounds.removeIf(d -> Double.isNaN(d) || Double.isInfinite(d));
    double[] le = new double[bounds.size() + 1];
    int k = 0;
    for (double d : bounds) {
      le[k++] = d;
    }
    le[k] = Double.POSITIVE_INFINITY;
    long[] counts = new long[le.length];
    java.util.Arrays.fill(counts, 1);
    MetricSnapshots in = MetricSnapshots.of(
        new GaugeSnapshot(MetricMetadata.of("g", "help"), points),
        new HistogramSnapshot(MetricMetadata.of("h", "help"),
            List.of(new HistogramDataPoint(Labels.EMPTY, le, counts, 1.25, null, 0, 0))),
        new CounterSnapshot(MetricMetadata.of("my.utf8.counter", "help"),
            List.of(new CounterDataPoint(Labels.of("host.name", "x"), 7))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    format.writer(NameEscaping.ALLOW_UTF8).write(out, in);

    MetricSnapshots back = ExpositionParser.parseSnapshots(format, out.toByteArray());

    GaugeSnapshot g = (GaugeSnapshot) back.list().stream().filter(s -> s.metadata().name().equals("g"))
        .findFirst().orElseThrow();
    for (int i = 0; i < values.length; i++) {
      GaugeDataPoint p = g.dataPoints().get(i);
      assertEquals(points.get(i).labels(), p.labels());
      assertEquals(Double.doubleToLongBits(values[i]), Double.doubleToLongBits(p.value()),
          "value " + values[i] + " came back as " + p.value());
    }
    HistogramSnapshot h = (HistogramSnapshot) back.list().stream().filter(s -> s.metadata().name().equals("h"))
        .findFirst().orElseThrow();
    for (int i = 0; i < le.length; i++) {
      assertEquals(Double.doubleToLongBits(le[i]), Double.doubleToLongBits(h.dataPoints().get(0).upperBounds()[i]));
    }
    String name = back.list().stream().map(s -> s.metadata().name()).filter(n -> n.startsWith("my"))
        .findFirst().orElseThrow();
    assertEquals("my.utf8.counter", name);
  }

  private static double randomDouble(Random rnd) {
    switch (rnd.nextInt(6)) {
      case 0:
        return rnd.nextInt(2_000_000) - 1_000_000;
      case 1:
        return rnd.nextDouble();
      case 2:
        return Double.longBitsToDouble(rnd.nextLong()); // any bit pattern, NaNs included
      case 3:
        return (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
      case 4:
        return Math.round(rnd.nextDouble() * 1e6) / 1e3;
      default:
        return rnd.nextLong() / 1e3;
    }
  }

  private static String randomString(Random rnd) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(12);
    for (int i = 0; i < n; i++) {
      int c = ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, rnd.nextInt(ALPHABET.codePointCount(0,
          ALPHABET.length()))));
      sb.appendCodePoint(c);
    }
    return sb.toString();
  }
}
