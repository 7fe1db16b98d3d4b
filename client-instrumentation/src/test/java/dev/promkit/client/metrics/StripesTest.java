package dev.promkit.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StripesTest {
  @Test
  void aThreadThatClaimedACellFindsItOnTheFastPath() {
    Stripes<CounterCell> s = new Stripes<>(CounterCell::new);
    Thread me = Thread.currentThread();
    assertNull(s.owned(me));
    CounterCell c = s.claim(me);
    assertNotNull(c);
    assertSame(c, s.owned(me));
  }

  @Test
  void concurrentThreadsEachGetTheirOwnHomeCellUntilTheArrayIsFull() throws Exception {
    Stripes<CounterCell> s = new Stripes<>(CounterCell::new);
    int threads = Math.min(4, Stripes.MAX_CELLS / 2);
    CountDownLatch claimed = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    Set<Object> cells = java.util.Collections.synchronizedSet(new HashSet<>());
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          CounterCell c = s.claim(Thread.currentThread());
          cells.add(c);
          CounterCell fast = s.owned(Thread.currentThread());
          // off home only if two threads still collide at the maximum size
          if (fast != null) {
            assertSame(c, fast);
          }
          claimed.countDown();
          release.await();
        } catch (Throwable e) {
          errors.add(e);
          claimed.countDown();
        }
      });
      t.start();
      ts.add(t);
    }
    claimed.await();
    release.countDown();
    for (Thread t : ts) {
      t.join();
    }
    assertTrue(errors.isEmpty(), errors.toString());
    assertEquals(threads, cells.size(), "every live thread owns a different cell");
  }

  @Test
  void aDeadThreadsCellIsTakenOverWithItsCount() throws Exception {
    Stripes<CounterCell> s = new Stripes<>(CounterCell::new);
    Thread t = new Thread(() -> s.claim(Thread.currentThread()).ownerAdd(5L));
    t.start();
    t.join();
    long total = 0;
    for (int round = 0; round < 3; round++) {
      Thread u = new Thread(() -> {
        CounterCell c = s.claim(Thread.currentThread());
        c.ownerAdd(1L);
      });
      u.start();
      u.join();
    }
    for (Cell c : s.cells()) {
      if (c != null) {
        total += ((CounterCell) c).count();
      }
    }
    assertEquals(8, total);
  }
}
