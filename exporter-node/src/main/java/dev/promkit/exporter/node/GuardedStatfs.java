package dev.promkit.exporter.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mount points statted one after another on a worker thread, as node_exporter does, with a
 * per-mount timeout: a mount that does not answer in time is reported as an error, remembered as
 * stuck, and skipped (an error again) by later scrapes until its pending call returns. Its worker
 * thread stays blocked in the call; a fresh worker goes on with the next mount. So a hung network
 * mount costs one timeout once, and one blocked thread, instead of every scrape.
 */
final class GuardedStatfs implements Statfs.Reader {
  private static final System.Logger LOG = System.getLogger(GuardedStatfs.class.getName());

  /** statfs of one mount point; may block for as long as the file system does. */
  interface Single {
    Statfs.Stats stat(Path path) throws IOException;
  }

  private final Single single;
  private final long timeoutNanos;
  private final ExecutorService workers;
  private final Set<String> stuck = ConcurrentHashMap.newKeySet();

  GuardedStatfs(Single single, long timeoutMillis) {
    this.single = single;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    AtomicInteger n = new AtomicInteger();
    // Grows only by one thread per stuck mount; idle threads go after two minutes.
    this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 120, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "node-exporter-statfs-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Mount points whose statfs has not returned within the timeout and is still pending. */
  Set<String> stuckMounts() {
    return Set.copyOf(stuck);
  }

  @Override
  public Statfs.Stats[] read(List<Path> paths) {
    Walk walk = new Walk(paths);
    if (paths.isEmpty()) {
      return walk.out;
    }
    synchronized (walk) {
      workers.execute(() -> walk(walk, 0, 0));
      try {
        while (walk.next < paths.size()) {
          int waitingFor = walk.next;
          long deadline = System.nanoTime() + timeoutNanos;
          long left = timeoutNanos;
          while (walk.next == waitingFor && left > 0) {
            TimeUnit.NANOSECONDS.timedWait(walk, left);
            left = deadline - System.nanoTime();
          }
          if (walk.next == waitingFor) {
            // Mark stuck before the walker can publish: its late return then finds a newer
            // generation and unmarks the mount.
            String key = paths.get(waitingFor).toString();
            stuck.add(key);
            LOG.log(System.Logger.Level.WARNING, "statfs of {0} did not return within {1} ms; "
                + "mount marked as stuck until it answers", key, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            walk.next = waitingFor + 1;
            int gen = ++walk.generation;
            if (walk.next < paths.size()) {
              workers.execute(() -> walk(walk, gen, waitingFor + 1));
            }
          }
        }
      } catch (InterruptedException e) {
        walk.generation++; // the walker stops at its next mount
        Thread.currentThread().interrupt();
      }
      return walk.out.clone();
    }
  }

  private void walk(Walk walk, int generation, int from) {
    for (int i = from; i < walk.paths.size(); i++) {
      String key = walk.paths.get(i).toString();
      Statfs.Stats s = null;
      boolean wasStuck = stuck.contains(key);
      if (!wasStuck) {
        try {
          s = single.stat(walk.paths.get(i));
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "statfs failed: {0}", e.getMessage());
        } catch (RuntimeException | LinkageError e) {
          LOG.log(System.Logger.Level.ERROR, "statfs of " + key + " failed", e);
        }
      }
      if (!walk.publish(generation, i, s)) {
        // The scrape gave up on this call (or was interrupted): a late answer unmarks the mount.
        if (!wasStuck && stuck.remove(key)) {
          LOG.log(System.Logger.Level.INFO, "mount point {0} answers again", key);
        }
        return;
      }
    }
  }

  /** One scrape's progress; guarded by its own monitor. */
  private static final class Walk {
    final List<Path> paths;
    final Statfs.Stats[] out;
    int next;
    int generation;

    Walk(List<Path> paths) {
      this.paths = paths;
      this.out = new Statfs.Stats[paths.size()];
    }

    synchronized boolean publish(int gen, int index, Statfs.Stats s) {
      if (gen != generation) {
        return false;
      }
      out[index] = s;
      next = index + 1;
      notifyAll();
      return true;
    }
  }
}
