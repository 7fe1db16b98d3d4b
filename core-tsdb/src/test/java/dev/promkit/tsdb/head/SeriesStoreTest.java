package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.index.MemPostings;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesStoreTest {
  private static Labels l(int i) {
    return Labels.of("__name__", "m" + (i % 7), "i", Integer.toString(i));
  }

  @Test
  void findsEverySeriesByLabelsAndRefThroughGrowthAndRemovals() {
    SeriesStore store = new SeriesStore(new MemPostings());
    boolean[] created = new boolean[1];
    int n = 50_000;
    List<MemSeries> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MemSeries s = store.getOrCreate(l(i), created);
      assertTrue(created[0], "new series " + i);
      all.add(s);
    }
    assertEquals(n, store.size());
    Random r = new Random(1);
    boolean[] gone = new boolean[n];
    for (int k = 0; k < n / 2; k++) {
      int i = r.nextInt(n);
      if (!gone[i]) {
        store.remove(all.get(i));
        gone[i] = true;
      }
    }
    for (int i = 0; i < n; i++) {
      MemSeries s = all.get(i);
      if (gone[i]) {
        assertNull(store.get(l(i)), "removed series " + i + " by labels");
        assertNull(store.get(s.ref), "removed series " + i + " by ref");
      } else {
        assertSame(s, store.get(l(i)), "series " + i + " by labels");
        assertSame(s, store.get(s.ref), "series " + i + " by ref");
        assertSame(s, store.getOrCreate(l(i), created));
        assertFalse(created[0]);
      }
    }
    // re-created series get new refs and are found again
    for (int i = 0; i < n; i++) {
      if (gone[i]) {
        MemSeries s = store.getOrCreate(l(i), created);
        assertTrue(created[0]);
        assertTrue(s.ref > n, "a new ref");
        assertSame(s, store.get(l(i)));
      }
    }
    assertEquals(n, store.size());
  }
}
