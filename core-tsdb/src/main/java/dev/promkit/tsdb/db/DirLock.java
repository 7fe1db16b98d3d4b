package dev.promkit.tsdb.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The lock of a data directory: an OS lock on {@code <dir>/lock} against other processes, plus a set
 * of the directories this JVM holds (an OS file lock is per process, so it cannot stop a second
 * open in the same JVM).
 */
public final class DirLock implements AutoCloseable {
  private static final Set<Path> HELD = new HashSet<>();

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private DirLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir} (created if missing).
   *
   * @throws IllegalStateException if this JVM or another process holds it
   */
  public static DirLock acquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path key = dir.toRealPath();
    synchronized (HELD) {
      if (!HELD.add(key)) {
        throw new IllegalStateException("data directory " + key + " is already open in this JVM (another Tsdb holds it)");
      }
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(key.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        throw new IllegalStateException("data directory " + key + " is locked by another process (" + key.resolve("lock")
            + " is held)");
      }
      return new DirLock(key, ch, l);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      synchronized (HELD) {
        HELD.remove(key);
      }
      throw e;
    }
  }

  /** Releases the lock (the lock file stays, as Prometheus leaves it). Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      synchronized (HELD) {
        HELD.remove(dir);
      }
    }
  }
}
