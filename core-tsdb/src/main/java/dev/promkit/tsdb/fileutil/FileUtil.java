package dev.promkit.tsdb.fileutil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Durable file-system steps the TSDB's writers share: fsync of directories, atomic rename, recursive delete. */
public final class FileUtil {
  private FileUtil() {}

  /**
   * Flushes a directory's entries (file creations, renames, deletions) to disk. On systems that
   * cannot open a directory for reading (Windows) this is a no-op.
   */
  public static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        return;
      }
      throw e;
    }
  }

  /** Renames {@code from} to {@code to} atomically (replacing a file, not a non-empty directory) and fsyncs the parent. */
  public static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    fsyncDir(to.toAbsolutePath().getParent());
  }

  /** Deletes a file or a directory tree; absent is fine. */
  public static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        deleteIfExists(file);
        StepHook.reached("file.deleted");
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteIfExists(Path p) throws IOException {
    try {
      Files.deleteIfExists(p);
    } catch (NoSuchFileException e) {
      // deleted concurrently: the goal is reached
    }
  }
}
