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
}
