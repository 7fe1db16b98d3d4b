package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.promql.value.FPoint;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScratchCacheTest {
  private static List<FPoint> series(long seed, int n) {
    Random r = new Random(seed);
    List<FPoint> pts = new ArrayList<>();
    double v = 0;
    for (int i = 0; i < n; i++) {
      v = r.nextInt(10) == 0 ? r.nextInt(3) : v + r.nextInt(3); // resets, repeats and rises
      long st = r.nextInt(20) == 0 ? i * 1000L - 500 : 0;
      pts.add(new FPoint(i * 1000L, r.nextInt(50) == 0 ? Double.NaN : v, st));
    }
    return pts;
  }

  private static void assertWindowMatchesFreshCopy(StandardFunctions.Scratch s, List<FPoint> w, String what) {
    int n = w.size();
    long[] t = new long[n];
    double[] v = new double[n];
    long[] st = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = w.get(i).t();
      v[i] = w.get(i).f();
      st[i] = w.get(i).st();
    }
    assertEquals(n, s.to - s.from, what);
    assertArrayEquals(t, Arrays.copyOfRange(s.t, s.from, s.to), what);
    assertArrayEquals(v, Arrays.copyOfRange(s.v, s.from, s.to), what);
    assertArrayEquals(st, Arrays.copyOfRange(s.st, s.from, s.to), what);
    assertEquals(RateFunctions.resets(t, v, st, 0, n), s.resets(s.from, s.to), what);
    assertEquals(RateFunctions.changes(v, 0, n), s.changes(s.from, s.to), what);
    assertEquals(RateFunctions.startTimestampsOverlap(t, st, n), s.overlaps(s.from, s.to) > 0, what);
  }

  @Test
  void slidingGrowingAndShrinkingWindowsSeeExactlyTheirPoints() {
    StandardFunctions.Scratch s = new StandardFunctions.Scratch();
    Labels a = Labels.of("__name__", "a");
    List<FPoint> pts = series(1, 3000);
    Random r = new Random(2);
    int from = 0;
    int to = 1;
    for (int step = 0; step < 2000; step++) {
      from = Math.min(pts.size() - 1, from + r.nextInt(4));
      to = Math.max(from + 1, Math.min(pts.size(), to + r.nextInt(6) - 1));
      List<FPoint> w = pts.subList(from, to);
      s.fill(a, w);
      assertWindowMatchesFreshCopy(s, w, "window [" + from + ", " + to + ")");
    }
  }

  @Test
  void anotherListWithTheSameLabelsIsNotMistakenForTheCachedOne() {
    StandardFunctions.Scratch s = new StandardFunctions.Scratch();
    Labels a = Labels.of("__name__", "a");
    List<FPoint> first = series(3, 200);
    s.fill(a, first.subList(0, 100));
    List<FPoint> other = series(4, 200); // same timestamps, other point objects
    s.fill(a, other.subList(50, 150));
    assertWindowMatchesFreshCopy(s, other.subList(50, 150), "other list");
    // Same first point object, other middle and end: the end check catches it.
    List<FPoint> spliced = new ArrayList<>(other.subList(50, 150));
    spliced.set(99, new FPoint(149_000, -1));
    s.fill(a, spliced);
    assertWindowMatchesFreshCopy(s, spliced, "spliced list");
  }

  @Test
  void enginesArrayWindowsAreReadInPlaceWithTheSameCountsAsACopy() {
    StandardFunctions.Scratch s = new StandardFunctions.Scratch();
    Labels a = Labels.of("__name__", "a");
    List<FPoint> pts = series(5, 3000);
    dev.promkit.promql.engine.FloatPoints fp = new dev.promkit.promql.engine.FloatPoints(4);
    pts.forEach(fp::add);
    Random r = new Random(6);
    int from = 0;
    int to = 1;
    for (int step = 0; step < 2000; step++) {
      from = Math.min(pts.size() - 1, from + r.nextInt(4));
      to = Math.max(from + 1, Math.min(pts.size(), to + r.nextInt(6) - 1));
      s.fill(a, fp.window(from, to));
      assertWindowMatchesFreshCopy(s, pts.subList(from, to), "array window [" + from + ", " + to + ")");
      if (step % 100 == 0) { // interleave the copying path: switching back and forth stays exact
        List<FPoint> w = pts.subList(from, to);
        s.fill(a, w);
        assertWindowMatchesFreshCopy(s, w, "copied window [" + from + ", " + to + ")");
      }
    }
  }
}
