package dev.promkit.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promkit.promql.value.FPoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloatPointsTest {
  @Test
  void behavesAsAListOfRecordsThroughGrowthInsertRemoveAndSet() {
    FloatPoints fp = new FloatPoints(1);
    List<FPoint> ref = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      FPoint p = new FPoint(i * 10L, i * 1.5, i % 7 == 0 ? i : 0);
      fp.add(p);
      ref.add(p);
    }
    fp.add(3, new FPoint(25, -1, 9));
    ref.add(3, new FPoint(25, -1, 9));
    fp.remove(50);
    ref.remove(50);
    fp.set(10, new FPoint(99, 2.5));
    ref.set(10, new FPoint(99, 2.5));
    assertEquals(ref, fp);
    assertEquals(fp, ref);
    assertEquals(ref.hashCode(), fp.hashCode());
    for (int i = 0; i < ref.size(); i++) {
      assertEquals(ref.get(i).t(), fp.t(i));
      assertEquals(ref.get(i).f(), fp.f(i));
      assertEquals(ref.get(i).st(), fp.st(i));
    }
  }

  @Test
  void startTimesStayZeroUntilOneIsGiven() {
    FloatPoints fp = new FloatPoints(2);
    fp.add(1, 1);
    fp.add(2, 2);
    assertEquals(null, fp.startTimes());
    fp.add(3, 3, 7);
    assertEquals(List.of(new FPoint(1, 1), new FPoint(2, 2), new FPoint(3, 3, 7)), fp);
  }

  @Test
  void windowIsAMovableViewOfItsRange() {
    FloatPoints fp = new FloatPoints(4);
    for (int i = 0; i < 10; i++) {
      fp.add(i, i * 2.0);
    }
    FloatPoints.Window w = fp.window(2, 5);
    assertEquals(List.of(new FPoint(2, 4), new FPoint(3, 6), new FPoint(4, 8)), w);
    w.set(8, 10);
    assertEquals(List.of(new FPoint(8, 16), new FPoint(9, 18)), w);
    assertEquals(8, w.from());
    assertEquals(10, w.to());
    assertThrows(IndexOutOfBoundsException.class, () -> w.get(2));
    assertThrows(IndexOutOfBoundsException.class, () -> fp.window(5, 11));
  }
}
