package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.promkit.tsdb.labels.Labels;
import org.junit.jupiter.api.Test;

class HistogramBucketKeysTest {
  @Test
  void reusesTheKeyOfASeriesWithinOneCallAndStartsOverForTheNext() {
    Labels series = Labels.of("__name__", "h", "job", "a", "le", "0.5");
    FakeContext call = new FakeContext(0);
    HistogramFunctions.BucketKeys keys = new HistogramFunctions.BucketKeys();
    HistogramFunctions.BucketKey k = keys.forCall(call).of(series);
    assertEquals(Labels.of("__name__", "h", "job", "a"), k.group);
    assertEquals(0.5, k.upper);
    assertSame(k, keys.forCall(call).of(series)); // next step of the same call
    assertNotSame(k, keys.forCall(new FakeContext(0)).of(series)); // another call
  }

  @Test
  void remembersAMalformedLeSoEveryStepStillWarns() {
    Labels series = Labels.of("__name__", "h", "le", "x");
    HistogramFunctions.BucketKeys keys = new HistogramFunctions.BucketKeys().forCall(new FakeContext(0));
    HistogramFunctions.BucketKey k = keys.of(series);
    assertNull(k.group);
    assertEquals("x", k.le);
  }

  private static dev.promkit.promql.value.Sample bucket(Labels l, double v) {
    return new dev.promkit.promql.value.Sample(l, 0, v);
  }

  @Test
  void histogramsReusedAcrossStepsHoldOnlyTheirStepsBuckets() {
    Labels a1 = Labels.of("__name__", "h", "job", "a", "le", "1");
    Labels aInf = Labels.of("__name__", "h", "job", "a", "le", "+Inf");
    Labels b1 = Labels.of("__name__", "h", "job", "b", "le", "1");
    Labels bInf = Labels.of("__name__", "h", "job", "b", "le", "+Inf");
    FakeContext call = new FakeContext(0);
    dev.promkit.promql.value.Vector step1 = new dev.promkit.promql.value.Vector(java.util.List.of(
        bucket(a1, 10), bucket(aInf, 10), bucket(b1, 0), bucket(bInf, 10)));
    dev.promkit.promql.value.Vector out1 = HistogramFunctions.quantile(0.5, step1, call);
    assertEquals(2, out1.size());
    assertEquals(0.5, out1.get(0).f()); // a: all in the first bucket
    assertEquals(1.0, out1.get(1).f()); // b: all above 1, quantile at the highest finite bound
    // next step: b is gone, a's buckets changed (and come in another order)
    dev.promkit.promql.value.Vector step2 = new dev.promkit.promql.value.Vector(java.util.List.of(
        bucket(aInf, 20), bucket(a1, 0)));
    dev.promkit.promql.value.Vector out2 = HistogramFunctions.quantile(0.5, step2, call);
    assertEquals(1, out2.size());
    assertEquals(Labels.of("__name__", "h", "job", "a"), out2.get(0).metric());
    assertEquals(1.0, out2.get(0).f());
    // the first step's answers were not changed by the second
    assertEquals(0.5, out1.get(0).f());
  }
}
