package dev.promkit.exporter.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardedStatfsTest {
  private static final Path A = Path.of("/a");
  private static final Path HUNG = Path.of("/nfs");
  private static final Path B = Path.of("/b");
  private static final Path BROKEN = Path.of("/broken");

  /** A fake statfs: "/nfs" blocks until released, "/broken" fails, others answer at once. */
  private static final class Fake implements GuardedStatfs.Single {
    final CountDownLatch release = new CountDownLatch(1);
    final Map<Path, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public Statfs.Stats stat(Path path) throws IOException {
      calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      if (path.equals(HUNG)) {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      } else if (path.equals(BROKEN)) {
        throw new IOException("statvfs " + path + ": errno 5");
      }
      return new Statfs.Stats(10, 5, 4, 4096, 100, 50);
    }

    int calls(Path p) {
      AtomicInteger n = calls.get(p);
      return n == null ? 0 : n.get();
    }
  }

  @Test
  void answersEveryMountInOrderAndReportsFailuresAsNull() {
    Fake fake = new Fake();
    Statfs.Stats[] s = new GuardedStatfs(fake, 5000).read(List.of(A, BROKEN, B));
    assertNotNull(s[0]);
    assertNull(s[1]);
    assertEquals(4096, s[2].blockSize());
  }

  @Test
  void hungMountTimesOutAloneIsSkippedWhileStuckAndReturnsWhenItAnswers() throws Exception {
    Fake fake = new Fake();
    GuardedStatfs g = new GuardedStatfs(fake, 200);
    long t0 = System.nanoTime();
    Statfs.Stats[] first = g.read(List.of(A, HUNG, B));
    long firstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertNotNull(first[0]);
    assertNull(first[1], "the hung mount is an error");
    assertNotNull(first[2], "the mount after the hung one is still statted");
    assertTrue(firstMs >= 150 && firstMs < 3000, "one timeout, took " + firstMs + " ms");
    assertEquals(Set.of("/nfs"), g.stuckMounts());

    t0 = System.nanoTime();
    Statfs.Stats[] second = g.read(List.of(A, HUNG, B));
    long secondMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertNull(second[1]);
    assertNotNull(second[2]);
    assertEquals(1, fake.calls(HUNG), "a stuck mount is not called again while its call is pending");
    assertTrue(secondMs < 150, "a stuck mount costs no timeout, took " + secondMs + " ms");

    fake.release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!g.stuckMounts().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(Set.of(), g.stuckMounts(), "the late answer unmarks the mount");
    Statfs.Stats[] third = g.read(List.of(A, HUNG, B));
    assertNotNull(third[1], "statted again once it answers");
    assertEquals(2, fake.calls(HUNG));
  }

  @Test
  void emptyListNeedsNoWorker() {
    assertEquals(0, new GuardedStatfs(new Fake(), 100).read(List.of()).length);
  }
}
