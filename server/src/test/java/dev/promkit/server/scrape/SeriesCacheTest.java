package dev.promkit.server.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {
  private static byte[] key(int i) {
    return ("some_metric_total{instance=\"host-" + i + "\",job=\"j\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** Keys inside a larger array, as the parser hands them out (the body). */
  private static int get(SeriesCache c, int i) {
    byte[] k = key(i);
    byte[] body = new byte[k.length + 10];
    System.arraycopy(k, 0, body, 7, k.length);
    return c.get(body, 7, k.length);
  }

  @Test
  void findsEveryLiveEntryThroughEvictionsIdReuseAndArenaCompaction() {
    SeriesCache c = new SeriesCache();
    Map<Integer, Long> live = new HashMap<>(); // key number -> ref stored with it
    Random rnd = new Random(3);
    int next = 0;
    for (int round = 0; round < 12; round++) {
      for (int n = 0; n < 3000; n++) {
        int k = next++;
        byte[] b = key(k);
        assertEquals(SeriesCache.NONE, c.get(b, 0, b.length), "new key " + k);
        int id = c.put(b, 0, b.length, null);
        c.ref(id, 1000L + k);
        live.put(k, 1000L + k);
      }
      // evict a random half (Prometheus evicts series unseen for two scrapes)
      Map<Integer, Boolean> drop = new HashMap<>();
      for (int k : live.keySet()) {
        drop.put(k, rnd.nextBoolean());
      }
      c.removeIf(id -> drop.get((int) (c.ref(id) - 1000)));
      drop.forEach((k, d) -> {
        if (d) {
          live.remove(k);
        }
      });
      assertEquals(live.size(), c.size());
      for (int k = 0; k < next; k++) {
        int id = get(c, k);
        if (live.containsKey(k)) {
          assertNotEquals(SeriesCache.NONE, id, "live key " + k + " in round " + round);
          assertEquals(live.get(k), c.ref(id));
        } else {
          assertEquals(SeriesCache.NONE, id, "evicted key " + k + " in round " + round);
        }
      }
    }
  }

  @Test
  void reservedCacheHoldsMoreEntriesThanReservedAndStillFindsThemAll() {
    SeriesCache c = new SeriesCache();
    c.reserve(1000, 20_000);
    for (int k = 0; k < 5000; k++) { // beyond the reservation: grows as usual
      byte[] b = key(k);
      c.ref(c.put(b, 0, b.length, null), k);
    }
    c.reserve(100_000, 1 << 20); // not empty: ignored
    for (int k = 0; k < 5000; k++) {
      assertEquals(k, c.ref(get(c, k)));
    }
    assertEquals(5000, c.size());
  }

  @Test
  void orderHintAndTableAgreeWhenTheTargetReordersItsSeries() {
    SeriesCache c = new SeriesCache();
    c.beginScrape();
    for (int k = 0; k < 100; k++) {
      byte[] b = key(k);
      int id = c.put(b, 0, b.length, null);
      c.ref(id, k);
      c.seen(id);
    }
    c.endScrape();
    c.beginScrape();
    for (int k = 99; k >= 0; k--) { // reversed: the hint misses, the table finds it
      int id = get(c, k);
      assertEquals(k, c.ref(id));
      c.seen(id);
    }
    c.endScrape();
    c.beginScrape();
    for (int k = 99; k >= 0; k--) { // now the hint is the reversed order
      int id = get(c, k);
      assertEquals(k, c.ref(id));
      c.seen(id);
    }
    c.endScrape();
  }
}
